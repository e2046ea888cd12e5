// The node agent's image endpoints (GET /images, POST /images/pull, /images/remove, /images/prune), as the
// control plane and the agent both read them: every image containerd holds, not only the 50 of status.images.

export interface AgentImage {
  /** The image id (sha256:… of its config). */
  id: string;
  repoTags: string[];
  repoDigests: string[];
  sizeBytes: number;
  /** CRI pinned: the runtime keeps it (the sandbox "pause" image); never removed by Flotilla. */
  pinned: boolean;
  /** Some container on the node (running or not) was created from it. */
  inUse: boolean;
}

export interface AgentImageList { images: AgentImage[] }

/** POST /images/pull and /images/remove: one image by reference (or id for remove). */
export interface AgentImageRequest { image: string }

export interface AgentPullResult { imageRef: string }

/** POST /images/prune and /images/remove: what was removed (their names, or ids when untagged). */
export interface AgentPruneResult {
  /** How many images were removed. */
  images: number;
  /** Every name they had. */
  removed: string[];
  freedBytes: number;
}
