// The agent's image endpoints: the node's images with pinned/in-use flags, pull (with the node's
// registries.yaml credentials), remove one unused image, remove every unused one. In use means some
// container on the node was created from it (the kubelet's image GC rule); pinned images (CRI pinned, or
// the sandbox image, as the kubelet's GC keeps it) are kept.
// After a change the node's status.images is reported again at once (onChanged).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CriClient } from '../cri/client';
import type { Container, Image } from '../cri/types';
import type { AgentImage, AgentImageRequest, AgentPruneResult, AgentPullResult } from '../../../main/protocol/node-images';
import { SANDBOX_IMAGE } from '../../../main/protocol/containerd-config';
import { withDefaultTag } from '../pods/image-ref';
import { registryAuthFor } from '../pods/registry-auth';
import { pullErrorText } from '../pods/pull-errors';
import { AgentHttpError, badRequest, sendJson } from './http-status';

export interface ImageEndpoints { cri: CriClient; onChanged?: () => void }

const MAX_BODY = 64 * 1024;

async function readRequest(req: IncomingMessage): Promise<AgentImageRequest> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) throw badRequest('the request body is too large');
    parts.push(c);
  }
  let body: unknown;
  try { body = JSON.parse(Buffer.concat(parts).toString('utf8')); } catch { throw badRequest('the request body must be JSON: {"image": "<reference>"}'); }
  const image = (body as { image?: unknown } | null)?.image;
  if (typeof image !== 'string' || !image.trim()) throw badRequest('image must be a non-empty string');
  return { image: image.trim() };
}

function usedIds(images: Image[], containers: Container[]): Set<string> {
  const byRef = new Map<string, string>();
  for (const i of images) for (const r of [i.id, ...i.repo_tags, ...i.repo_digests]) byRef.set(r, i.id);
  const used = new Set<string>();
  for (const c of containers) {
    for (const r of [c.image_ref, c.image?.image ?? '']) {
      const id = byRef.get(r);
      if (id) used.add(id);
    }
  }
  return used;
}

async function snapshot(cri: CriClient): Promise<AgentImage[]> {
  const [images, containers] = await Promise.all([cri.listImages(), cri.listContainers()]);
  const used = usedIds(images, containers);
  return images
    .map((i) => ({
      id: i.id, repoTags: i.repo_tags, repoDigests: i.repo_digests, sizeBytes: Number(i.size) || 0,
      pinned: i.pinned || i.repo_tags.includes(SANDBOX_IMAGE), inUse: used.has(i.id),
    }))
    .sort((a, b) => b.sizeBytes - a.sizeBytes);
}

function find(images: AgentImage[], ref: string): AgentImage | undefined {
  let normalized = ref;
  try { normalized = withDefaultTag(ref); } catch { /* an id or digest */ }
  return images.find((i) => i.id === ref || i.repoTags.includes(ref) || i.repoTags.includes(normalized) || i.repoDigests.includes(ref));
}

/** What removing an image removes: every tag it has (CRI RemoveImage drops the image with all its names), else its digest or id. */
const namesOf = (i: AgentImage): string[] => (i.repoTags.length ? i.repoTags : [i.repoDigests[0] ?? i.id]);

export async function serveImages(ep: ImageEndpoints, what: 'list' | 'pull' | 'remove' | 'prune', req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (what === 'list') return sendJson(res, 200, { images: await snapshot(ep.cri) });
  if (what === 'prune') {
    const removable = (await snapshot(ep.cri)).filter((i) => !i.pinned && !i.inUse);
    const out: AgentPruneResult = { images: 0, removed: [], freedBytes: 0 };
    for (const i of removable) {
      await ep.cri.removeImage(i.id);
      out.images++;
      out.removed.push(...namesOf(i));
      out.freedBytes += i.sizeBytes;
    }
    if (out.removed.length) ep.onChanged?.();
    return sendJson(res, 200, out);
  }
  const { image } = await readRequest(req);
  if (what === 'pull') {
    let ref: string;
    try { ref = withDefaultTag(image); } catch (e) { throw badRequest((e as Error).message); }
    let imageRef: string;
    try {
      imageRef = await ep.cri.pullImage(ref, undefined, undefined, registryAuthFor(ref));
    } catch (e) {
      throw new AgentHttpError(502, 'InternalError', `pulling ${ref} failed: ${pullErrorText(e)}`);
    }
    ep.onChanged?.();
    return sendJson(res, 200, { imageRef } satisfies AgentPullResult);
  }
  const found = find(await snapshot(ep.cri), image);
  if (!found) throw new AgentHttpError(404, 'NotFound', `image ${image} is not on this node`);
  if (found.pinned) throw new AgentHttpError(409, 'Conflict', `image ${image} is pinned by the container runtime (the pod sandbox image) and is kept`);
  if (found.inUse) throw new AgentHttpError(409, 'Conflict', `image ${image} is used by a container on this node: delete its pods first`);
  await ep.cri.removeImage(found.id);
  ep.onChanged?.();
  return sendJson(res, 200, { images: 1, removed: namesOf(found), freedBytes: found.sizeBytes } satisfies AgentPruneResult);
}
