// The kubelet's part of a pod's journey as spans of the pod's trace: seen, sandbox and network, each
// container's image, create and start, readiness (probes passing), the status reported and graceful
// termination. The agent keeps them (its PodSpanBuffer) until the control plane asks (GET /traces/<uid>).
import { SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1';
import { STEP, podSpan, startPodSpan, type PodRef, type StepName } from '../../../main/protocol/tracing/pod-trace';

export function podRef(pod: Pod): PodRef {
  return { uid: pod.metadata?.uid ?? '', name: pod.metadata?.name, namespace: pod.metadata?.namespace };
}

/** Runs `fn` as a span of the pod's journey; a throw marks the span failed. */
export async function tracedStep<T>(step: StepName, pod: Pod, attrs: Attributes, fn: () => Promise<T>, after?: (r: T) => Attributes): Promise<T> {
  const span = startPodSpan('kubelet', step, podRef(pod), attrs);
  try {
    const r = await fn();
    if (after && span.isRecording()) span.setAttributes(after(r));
    span.end();
    return r;
  } catch (err) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) }).end();
    throw err;
  }
}

/** Pods seen whose first status is not published yet: the seen step lasts until then (volumes, runtime state read). */
const seen = new Map<string, Span>();

/** The kubelet saw the pod bound to its node (a worker starts for it). */
export function podSeen(pod: Pod, node?: string): void {
  const ref = podRef(pod);
  seen.get(ref.uid)?.end();
  const span = startPodSpan('kubelet', STEP.seen, ref, node ? { 'k8s.node.name': node } : undefined);
  if (span.isRecording()) seen.set(ref.uid, span);
}

/** The worker published the pod's first status (or is about to make its sandbox): the seen step ends. */
export function seenDone(uid: string): void {
  const span = seen.get(uid);
  if (!span) return;
  seen.delete(uid);
  span.end();
}

function isReady(status: PodStatus | undefined): boolean {
  return status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

/** Readiness: from the last container start to the first status with Ready=True (probes passing), per pod worker. */
export class ReadinessMark {
  private startedAt?: number;
  private ready = false;

  containerStarted(): void {
    this.startedAt = Date.now();
  }

  published(pod: Pod, status: PodStatus): void {
    seenDone(pod.metadata?.uid ?? '');
    const now = isReady(status);
    if (now && !this.ready && this.startedAt !== undefined) {
      const probes = (pod.spec?.containers ?? []).filter((c) => c.readinessProbe).map((c) => c.name);
      podSpan('kubelet', STEP.ready, podRef(pod), this.startedAt, { 'flotilla.readiness_probes': probes });
    }
    this.ready = now;
  }
}

/** Whether two statuses have the same phase and readiness (a journey's status step is a change of either). */
export function sameMilestone(a: PodStatus, b: PodStatus): boolean {
  return a.phase === b.phase && isReady(a) === isReady(b);
}

/** A status write that changes the pod's phase or readiness, from the worker's publish to the API's answer. */
export function statusReported(pod: Pod, status: PodStatus, before: PodStatus | undefined, since: number): void {
  if (before && sameMilestone(before, status)) return;
  podSpan('kubelet', STEP.status, podRef(pod), since, { 'k8s.pod.phase': status.phase ?? '', 'flotilla.pod.ready': isReady(status) });
}
