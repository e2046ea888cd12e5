// status.images from CRI ListImages, as the kubelet reports them: largest first (equal sizes by image ID, descending, as
// the kubelet's ByImageSize: ListImages' order is containerd's map order, and an order that changed between two checks
// would make the node's status differ every 10 s and be written, waking every node watcher), at most 50, up to 5 names each.
import type { NodeStatus } from '../../../main/api/types';
import type { Image } from '../cri/types';

export function nodeImages(images: Image[]): NonNullable<NodeStatus['images']> {
  return images
    .map((i) => ({ id: i.id, names: [...i.repo_digests, ...i.repo_tags].slice(0, 5), sizeBytes: Number(i.size) || 0 }))
    .filter((i) => i.names.length > 0)
    .sort((a, b) => b.sizeBytes - a.sizeBytes || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .slice(0, 50)
    .map(({ names, sizeBytes }) => ({ names, sizeBytes }));
}
