// status.images from CRI ListImages, as the kubelet reports them: largest first, at most 50, up to 5 names each.
import type { NodeStatus } from '../../../main/api/types';
import type { Image } from '../cri/types';

export function nodeImages(images: Image[]): NonNullable<NodeStatus['images']> {
  return images
    .map((i) => ({ names: [...i.repo_digests, ...i.repo_tags].slice(0, 5), sizeBytes: Number(i.size) || 0 }))
    .filter((i) => i.names.length > 0)
    .sort((a, b) => b.sizeBytes - a.sizeBytes)
    .slice(0, 50);
}
