// A container's image step as the kubelet's EnsureImageExists and startContainer word it: the events
// (Pulling, Pulled with durations and size or "already present", Failed, BackOff), the waiting reason
// (ErrImagePull, then ImagePullBackOff while the per-image back-off lasts, ErrImageNeverPull,
// InvalidImageName) and the message with the registry's own reason on one line. While a pull runs, the
// waiting ContainerCreating message says how many bytes have come so far (Kubernetes leaves it empty).
import type { Container } from 'kubernetes-types/core/v1';
import { formatGoDurationMs } from '../../../main/api/go-duration';
import type { ContainerKind } from './runtime-state';
import type { RunningSandbox, StartDeps, StartState } from './container-start';
import { fieldPath } from './events';
import { ensureImage, ImagePullError, type EnsuredImage } from './images';
import { podPullCredentials } from './pull-credentials';
import { pullWaitingMessage } from './pull-errors';
import { contentStoreDir, formatBytes } from './pull-progress';

/** How often the BackOff events repeat while a pull waits out its back-off (the kubelet's pod resync). */
const BACKOFF_EVENT_EVERY_MS = 10_000;

const contentDirs = new WeakMap<object, Promise<string | undefined>>();

/** The node's containerd content store directory (asked once per CRI client, again while unknown). */
function contentDir(cri: StartDeps['cri']): Promise<string | undefined> {
  let dir = contentDirs.get(cri);
  if (!dir) {
    dir = contentStoreDir(cri);
    contentDirs.set(cri, dir);
    void dir.then((d) => { if (!d) contentDirs.delete(cri); });
  }
  return dir;
}

/** The image, or how soon (ms) to look again when the container cannot start yet. */
export async function ensureContainerImage(
  deps: StartDeps, st: StartState, c: Container, kind: ContainerKind, sandbox: RunningSandbox,
): Promise<EnsuredImage | number> {
  const key = `${kind}/${c.name}`;
  const path = fieldPath(kind, c.name);
  const image = c.image ?? '';
  // As the kubelet's backOffKey `<pod uid>_<image>`: containers of one image share it.
  const pullKey = `${st.uid}/pull/${image}`;
  const failure = st.pullFailures.get(`pull/${image}`);
  if (failure && deps.backoff.inBackoffSince(pullKey, failure.at)) {
    const waiting = st.waiting.get(key);
    const now = Date.now();
    if (waiting?.reason !== 'ImagePullBackOff' || now - (failure.reportedAt ?? 0) >= BACKOFF_EVENT_EVERY_MS) {
      failure.reportedAt = now;
      st.event('Normal', 'BackOff', `Back-off pulling image "${image}"`, path);
      st.event('Warning', 'Failed', 'Error: ImagePullBackOff', path);
    }
    st.waiting.set(key, { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}": ErrImagePull: ${failure.message}` });
    return Math.min(deps.backoff.remainingMs(pullKey, failure.at) + 5, BACKOFF_EVENT_EVERY_MS);
  }
  if (!st.waiting.has(key) || st.waiting.get(key)?.reason === 'CrashLoopBackOff') st.waiting.set(key, { reason: 'ContainerCreating' });
  const dir = await contentDir(deps.cri);
  const progress = dir ? {
    dir,
    report: (bytes: number) => {
      if (st.waiting.get(key)?.reason !== 'ContainerCreating') return;
      st.waiting.set(key, { reason: 'ContainerCreating', message: `Pulling image "${image}": ${formatBytes(bytes)} so far` });
      st.refresh?.();
    },
  } : undefined;
  try {
    const ensured = await ensureImage(deps.cri, c, sandbox.config, {
      progress,
      onPull: () => st.event('Normal', 'Pulling', `Pulling image "${image}"`, path),
      credentials: (ref) => podPullCredentials(deps, st.pod, ref, (type, reason, message) => st.event(type, reason, message)),
      rewrite: deps.mirrorRewrite,
      imported: deps.imagesImported,
    });
    if (ensured.pulled) {
      const took = formatGoDurationMs(ensured.ms);
      st.event('Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${ensured.sizeBytes} bytes.`, path);
    } else {
      st.event('Normal', 'Pulled', `Container image "${image}" already present on machine`, path);
    }
    st.pullFailures.delete(`pull/${image}`);
    if (st.waiting.get(key)?.message) st.waiting.set(key, { reason: 'ContainerCreating' });
    return ensured;
  } catch (err) {
    if (!(err instanceof ImagePullError)) throw err;
    if (err.reason === 'ErrImagePull') {
      st.event('Warning', 'Failed', `Failed to pull image "${image}": ${err.message}`, path);
      deps.backoff.next(pullKey);
      const message = pullWaitingMessage(err.message);
      st.pullFailures.set(`pull/${image}`, { at: Date.now(), message });
      st.waiting.set(key, { reason: err.reason, message });
    } else {
      st.event('Warning', err.reason === 'InvalidImageName' ? 'InspectFailed' : 'ErrImageNeverPull', err.message, path);
      st.waiting.set(key, { reason: err.reason, message: err.message });
    }
    st.event('Warning', 'Failed', `Error: ${err.reason}`, path);
    return deps.syncIntervalMs;
  }
}
