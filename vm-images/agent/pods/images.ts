// Ensures a container's image is present according to imagePullPolicy.
import type { Container } from 'kubernetes-types/core/v1';
import type { CriClient } from '../cri/client';
import { CriError } from '../cri/client';
import type { PodSandboxConfig } from '../cri/types';

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

export interface EnsuredImage { image: string; pulled: boolean; ms: number }

/** Returns the image reference to create the container with; onPull fires before a pull starts. */
export async function ensureImage(cri: CriClient, c: Container, sandbox: PodSandboxConfig, onPull?: () => void): Promise<EnsuredImage> {
  const image = c.image ?? '';
  const policy = pullPolicy(c);
  if (policy !== 'Always') {
    const present = await cri.imageStatus(image);
    if (present) return { image, pulled: false, ms: 0 };
    if (policy === 'Never') throw new ImagePullError('ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`);
  }
  onPull?.();
  const t0 = Date.now();
  try {
    await cri.pullImage(image, sandbox);
    return { image, pulled: true, ms: Date.now() - t0 };
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
