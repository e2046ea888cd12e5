// A container start cut short: containerd died (SIGKILL, crash) while CreateContainer or StartContainer ran, or the
// agent that called it did (a container created by a cut-short CreateContainer may never start). After containerd's
// restart the container shows CREATED, or EXITED with StartError ("task … already exists": the shim's half-made task
// outlived containerd); after the agent's death, EXITED with StartError "context canceled" (or
// the shim being started killed with the call) — never having run. The kubelet would create the next attempt and count a restart
// (ShouldContainerBeRestarted: a created container is "restarted"); here such a container never ran, so it is removed
// and made again as the same attempt: the pod ends with one container and restartCount 0, as if the kill had not been.
import { status as grpcStatus } from '@grpc/grpc-js';
import { CriError } from '../cri/client';
import type { RuntimeContainer } from './runtime-state';

/** gRPC codes of a call whose answer was lost with the connection (the runtime may or may not have done it). */
const LOST = new Set<number>([grpcStatus.UNAVAILABLE, grpcStatus.CANCELLED, grpcStatus.DEADLINE_EXCEEDED, grpcStatus.INTERNAL]);

/** What marks a CreateContainer of this attempt whose answer was lost (its container's id unknown until listed). */
export function lostCreateKey(kind: string, name: string, attempt: number): string {
  return `create:${kind}/${name}#${attempt}`;
}

/** True when a CRI call failed because its answer never came back (not the runtime refusing it). */
export function answerLost(err: unknown): boolean {
  return err instanceof CriError && LOST.has(err.code);
}

/**
 * Whether `cur` is a container whose start was lost (its id in `lost`) and that never ran since: it is to be removed and
 * made again as the same attempt. A container that ran (startedAt set) or runs is kept and follows the restart policy.
 */
export function redoLostStart(cur: RuntimeContainer, lost: ReadonlySet<string>): boolean {
  if (cur.startedAt !== 0) return false;
  if (interruptedStartError(cur)) return true; // seen by an agent that did not make the start (it was killed meanwhile)
  // A create whose answer was lost: containerd, restarted, shows the container CREATED or, when it died mid-create, UNKNOWN.
  const createLost = (cur.state === 'CONTAINER_CREATED' || cur.state === 'CONTAINER_UNKNOWN') && lost.has(lostCreateKey(cur.kind, cur.name, cur.attempt));
  if (!lost.has(cur.id) && !createLost) return false;
  return cur.state === 'CONTAINER_CREATED' || cur.state === 'CONTAINER_EXITED' || cur.state === 'CONTAINER_UNKNOWN';
}

/**
 * containerd's StartError for a start cut short by its caller or by its own death, never by the container: the caller's
 * context cancelled or past its deadline (the agent was killed mid-call, or gave up: the shim's start is cancelled or killed), or a task that an
 * interrupted start left behind (containerd was killed mid-call; its own id: nothing else says it).
 */
function interruptedStartError(cur: RuntimeContainer): boolean {
  if (cur.state !== 'CONTAINER_EXITED' || cur.reason !== 'StartError') return false;
  const m = cur.message;
  return m.includes(`task ${cur.id}: already exists`) || m.includes('context canceled') || m.includes('context deadline exceeded') || /failed to start shim: start failed: .*signal: killed/.test(m);
}
