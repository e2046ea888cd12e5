// Ensures a container's image is present as the kubelet's image manager does (pkg/kubelet/images):
// the default tag, imagePullPolicy, the per-image pull back-off, the pull with the pod's credentials
// tried in turn, and what each outcome is called (waiting reason, message, events).
import type { Container } from 'kubernetes-types/core/v1';
import type { CriClient } from '../cri/client';
import type { AuthConfig, Image, PodSandboxConfig } from '../cri/types';
import { withDefaultTag } from './image-ref';
import { pullErrorText } from './pull-errors';
import { PullProgress } from './pull-progress';
import type { MirrorRewriter } from './mirror-rewrite';

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** Why the image is not there, with the kubelet's waiting reason and the message its status shows. */
export class ImagePullError extends Error {
  constructor(readonly reason: 'ErrImagePull' | 'ErrImageNeverPull' | 'InvalidImageName', message: string) { super(message); }
}

export function pullPolicy(c: Container): PullPolicy {
  const p = c.imagePullPolicy;
  if (p === 'Always' || p === 'IfNotPresent' || p === 'Never') return p;
  const image = c.image ?? '';
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** The image to create the container with; when pulled, how long it took and its size; its user (CRI image status). */
export interface EnsuredImage { image: string; pulled: boolean; ms: number; sizeBytes: number; uid?: number; username: string }

/** What a pull needs besides the container: the credentials to try (looked up only when pulling) and the Pulling hook. */
export interface PullOptions {
  /** The credentials to try for a reference pulled (the image, or a mirror's rewritten reference). */
  credentials?: (ref: string) => Promise<AuthConfig[]>;
  /** registries.yaml's mirror rewrites: the rewritten references tried first, and the image renamed after such a pull. */
  rewrite?: MirrorRewriter;
  /** Fires just before the pull starts (the kubelet's Pulling event). */
  onPull?: () => void;
  /** While the pull runs: containerd's content store directory and what to call with the bytes fetched so far (every progressEveryMs). */
  progress?: { dir: string; report: (bytes: number) => void; everyMs?: number };
  /** Resolves once the node's image tarball that may bring the image is in: an image not present is looked for again after, before any pull. */
  imported?: (image: string) => Promise<void>;
}

/** Runs `pull` while sampling the content store; the sampler stops with the pull. */
async function withProgress(progress: PullOptions['progress'], pull: () => Promise<void>): Promise<void> {
  if (!progress) return pull();
  const watch = await PullProgress.start(progress.dir);
  let last = -1;
  let sampling = false;
  const timer = setInterval(() => {
    if (sampling) return;
    sampling = true;
    // Reported only as it grows: a sample never goes back.
    void watch.bytes().then((n) => { if (n > last) { last = n; progress.report(n); } }).catch(() => undefined).finally(() => { sampling = false; });
  }, progress.everyMs ?? 1000);
  try {
    await pull();
  } finally {
    clearInterval(timer);
  }
}

function user(st: Image | null): { uid?: number; username: string } {
  return { ...(st?.uid ? { uid: Number(st.uid.value) } : {}), username: st?.username ?? '' };
}

/**
 * Pulls with each credential in turn until one works (no credentials: one anonymous pull); fails with
 * every attempt's error, as utilerrors.NewAggregate prints them (one error alone, else `[e1, e2]`).
 */
async function pullWithCredentials(cri: CriClient, image: string, sandbox: PodSandboxConfig, creds: AuthConfig[]): Promise<void> {
  if (!creds.length) {
    await cri.pullImage(image, sandbox);
    return;
  }
  const errors: string[] = [];
  for (const auth of creds) {
    try {
      await cri.pullImage(image, sandbox, undefined, auth);
      return;
    } catch (err) {
      errors.push(pullErrorText(err));
    }
  }
  throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
}

/**
 * The pull: first from each mirror endpoint whose rewrite applies (k3s' order; a failure there moves on), the image then
 * named as asked; else the usual pull, where containerd tries the mirrors' endpoints (hosts.toml) and the registry.
 */
async function pullThroughMirrors(cri: CriClient, image: string, sandbox: PodSandboxConfig, opts: PullOptions): Promise<void> {
  const creds = async (ref: string): Promise<AuthConfig[]> => (opts.credentials ? opts.credentials(ref) : []);
  for (const ref of opts.rewrite?.refs(image) ?? []) {
    try {
      await pullWithCredentials(cri, ref, sandbox, await creds(ref));
    } catch {
      continue; // the next endpoint, at last the registry itself, whose error the pod shows
    }
    await opts.rewrite?.rename(ref, image);
    return;
  }
  await pullWithCredentials(cri, image, sandbox, await creds(image));
}

/** Returns the image reference to create the container with, pulling it when the policy says so. */
export async function ensureImage(cri: CriClient, c: Container, sandbox: PodSandboxConfig, opts: PullOptions = {}): Promise<EnsuredImage> {
  let image: string;
  try {
    image = withDefaultTag(c.image ?? '');
  } catch (err) {
    throw new ImagePullError('InvalidImageName', `Failed to apply default image tag "${c.image ?? ''}": ${(err as Error).message}`);
  }
  const policy = pullPolicy(c);
  if (policy !== 'Always') {
    let present = await cri.imageStatus(image);
    if (!present && opts.imported) {
      await opts.imported(image);
      present = await cri.imageStatus(image);
    }
    if (present) return { image, pulled: false, ms: 0, sizeBytes: Number(present.size), ...user(present) };
    if (policy === 'Never') throw new ImagePullError('ErrImageNeverPull', `Container image "${c.image ?? ''}" is not present with pull policy of Never`);
  }
  const t0 = Date.now();
  try {
    opts.onPull?.();
    await withProgress(opts.progress, () => pullThroughMirrors(cri, image, sandbox, opts));
  } catch (err) {
    throw new ImagePullError('ErrImagePull', pullErrorText(err));
  }
  const ms = Date.now() - t0;
  const st = await cri.imageStatus(image);
  return { image, pulled: true, ms, sizeBytes: Number(st?.size ?? 0), ...user(st) };
}
