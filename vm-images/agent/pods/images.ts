// Ensures a container's image is present according to imagePullPolicy.
import type { Container } from 'kubernetes-types/core/v1';
import type { CriClient } from '../cri/client';
import { CriError } from '../cri/client';
import type { Image, PodSandboxConfig } from '../cri/types';

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** ErrImagePull / ErrImageNeverPull, carrying the message the kubelet would show. */
export class ImagePullError extends Error {
  constructor(readonly reason: 'ErrImagePull' | 'ErrImageNeverPull', message: string) { super(message); }
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

/** The image to create the container with, whether it was pulled and how long that took, and its user (CRI image status). */
export interface EnsuredImage { image: string; pulled: boolean; ms: number; uid?: number; username: string }

function user(st: Image | null): { uid?: number; username: string } {
  return { ...(st?.uid ? { uid: Number(st.uid.value) } : {}), username: st?.username ?? '' };
}

/** Returns the image reference to create the container with; onPull fires before a pull starts. */
export async function ensureImage(cri: CriClient, c: Container, sandbox: PodSandboxConfig, onPull?: () => void): Promise<EnsuredImage> {
  const image = c.image ?? '';
  const policy = pullPolicy(c);
  if (policy !== 'Always') {
    const present = await cri.imageStatus(image);
    if (present) return { image, pulled: false, ms: 0, ...user(present) };
    if (policy === 'Never') throw new ImagePullError('ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`);
  }
  onPull?.();
  const t0 = Date.now();
  try {
    await cri.pullImage(image, sandbox);
    const ms = Date.now() - t0;
    return { image, pulled: true, ms, ...user(await cri.imageStatus(image)) };
  } catch (err) {
    const detail = err instanceof CriError ? `rpc error: code = ${grpcCodeName(err.code)} desc = ${err.details}` : String(err);
    throw new ImagePullError('ErrImagePull', detail);
  }
}

function grpcCodeName(code: number): string {
  const names = ['OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists', 'PermissionDenied',
    'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated'];
  return names[code] ?? String(code);
}
