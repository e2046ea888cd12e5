// registries.yaml's mirror rewrites on the node (REGISTRY_REWRITE_FILE, read afresh on every pull): k3s pulls
// `docker.io/library/x:1` from a mirror whose rewrite `^library/(.*)` → `mirrored/$1` applies as `mirrored/x:1` at each of
// the mirror's endpoints in turn (never at the registry's default endpoint), and keeps the image under the name the pod
// asked for. containerd 1.6 cannot rewrite, so the agent pulls `<endpoint>/mirrored/x:1` through CRI, then moves the names
// (tag and repo digest) to `docker.io/library/x` with containerd's Images service: `crictl images`, the pod's
// status.image and imageID then read as Kubernetes on k3s shows them.
import { readFileSync } from 'node:fs';
import { REGISTRY_REWRITE_FILE, rewrittenRefs, splitRef, type RegistryRewriteFile } from '../../../main/protocol/registry-rewrite';
import { pollUntil } from '../../../main/protocol/poll';
import type { CriClient } from '../cri/client';
import { ContainerdImages } from '../cri/containerd-images';
import { parseImageRef } from './image-ref';

export interface MirrorRewriter {
  /** References to pull `image` from before the usual pull (its registry's mirror endpoints, rewritten); often none. */
  refs(image: string): string[];
  /** After `pulled` (one of refs(image)) was pulled: the image is named `image` instead, its tag and repo digest. */
  rename(pulled: string, image: string): Promise<void>;
}

function readRewriteFile(file: string): RegistryRewriteFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined; // no rewrites configured
  }
  const parsed = JSON.parse(text) as Partial<RegistryRewriteFile>;
  return { mirrors: parsed.mirrors ?? {} };
}

/** `busybox:1` → docker.io/library/busybox:1 (a digest wins over a tag, as containerd names a pulled reference). */
export function normalizedRef(image: string): string {
  const ref = parseImageRef(image);
  return ref.digest ? `${ref.repository}@${ref.digest}` : `${ref.repository}:${ref.tag ?? 'latest'}`;
}

const repoOf = (ref: string): string => {
  const s = splitRef(ref);
  return s ? `${s.host}/${s.path}` : ref;
};

export function mirrorRewriter(cri: CriClient, file: string = REGISTRY_REWRITE_FILE): MirrorRewriter {
  return {
    refs(image) {
      const settings = readRewriteFile(file);
      if (!settings) return [];
      let normalized: string;
      try {
        normalized = normalizedRef(image);
      } catch {
        return []; // the usual pull reports the malformed name
      }
      return rewrittenRefs(normalized, settings);
    },
    async rename(pulled, image) {
      const images = new ContainerdImages(cri.socket);
      try {
        const record = await images.get(pulled);
        if (!record) throw new Error(`the image pulled as ${pulled} is not in containerd's image store`);
        const digest = record.target.digest;
        const wanted = [normalizedRef(image), `${repoOf(normalizedRef(image))}@${digest}`];
        for (const name of wanted) await images.put(name, record.target, record.labels);
        for (const name of [pulled, `${repoOf(pulled)}@${digest}`]) if (!wanted.includes(name)) await images.remove(name);
        // The CRI plugin takes the new names from containerd's image events: wait until it resolves the pod's name.
        await pollUntil(async () => (await cri.imageStatus(image)) !== null, 10_000, `containerd's CRI plugin to know ${image}`, 50);
      } finally {
        images.close();
      }
    },
  };
}
