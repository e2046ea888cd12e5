// Which pods use an image: an image's names (repo tags and digests, as CRI ListImages and Node
// status.images give them) against pods' container images and the imageIDs their statuses report,
// all normalized as the kubelet parses references (busybox → docker.io/library/busybox:latest).
import type { Container, ContainerStatus, Pod } from './types';
import { parseImageRef } from './image-ref';
import { compareCodePoints } from './string-order';

export interface PodRef { namespace: string; name: string }

/** The keys one reference matches under: repository:tag and/or repository@digest, or the bare id (sha256:…). */
export function imageKeys(ref: string): string[] {
  if (!ref) return [];
  const plain = ref.replace(/^docker-pullable:\/\//, '').replace(/^docker:\/\//, '');
  if (/^sha256:[0-9a-f]{64}$/.test(plain)) return [plain];
  try {
    const r = parseImageRef(plain);
    const keys: string[] = [];
    if (r.digest) keys.push(`${r.repository}@${r.digest}`);
    if (r.tag !== undefined || !r.digest) keys.push(`${r.repository}:${r.tag ?? 'latest'}`);
    return keys;
  } catch {
    return [plain];
  }
}

function podContainers(p: Pod): Container[] {
  return [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? []), ...((p.spec?.ephemeralContainers ?? []) as Container[])];
}

function podStatuses(p: Pod): ContainerStatus[] {
  return [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? []), ...(p.status?.ephemeralContainerStatuses ?? [])];
}

/** Every key under which a pod refers to an image: its containers' images and the imageIDs and images it reports. */
export function podImageKeys(p: Pod): Set<string> {
  const keys = new Set<string>();
  for (const c of podContainers(p)) for (const k of imageKeys(c.image ?? '')) keys.add(k);
  for (const s of podStatuses(p)) for (const r of [s.imageID, s.image]) for (const k of imageKeys(r ?? '')) keys.add(k);
  return keys;
}

/** The pods (namespace/name, sorted) that use the image with these names (and id, when known). */
export function podsUsingImage(names: readonly string[], pods: readonly Pod[], id?: string): PodRef[] {
  const mine = new Set([...names.flatMap(imageKeys), ...(id ? [id] : [])]);
  return pods
    .filter((p) => [...podImageKeys(p)].some((k) => mine.has(k)))
    .map((p) => ({ namespace: p.metadata?.namespace ?? '', name: p.metadata?.name ?? '' }))
    .sort((a, b) => compareCodePoints(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`));
}
