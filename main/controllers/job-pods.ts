// What the Job controller reads off its pods: which are active, succeeded, failed (as Kubernetes
// counts them: a pod being deleted before it succeeded is a failure unless podReplacementPolicy is
// Failed), when they finished, their completion index, and what the Job's podFailurePolicy says of a
// failed pod (matchPodFailurePolicy). Plus the pod a Job creates from its template.
import { JOB_COMPLETION_INDEX, JOB_TRACKING_FINALIZER } from '../api/batch';
import type { Container, ContainerStatus, Job, KObject, Pod, PodCondition } from '../api/types';
import { parseTimestamp } from '../api/timestamp';
import { ownerRefFor } from './pod-util';

export type PolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

export function hasTrackingFinalizer(pod: Pod): boolean {
  return pod.metadata?.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
}

export function isPodTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** CountTerminatingPods: being deleted and not yet Succeeded or Failed. */
export function isTerminating(p: Pod): boolean {
  return !!p.metadata?.deletionTimestamp && !isPodTerminal(p);
}

/** Only failed pods are replaced (podReplacementPolicy Failed, the default with a podFailurePolicy). */
export function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || !!job.spec?.podFailurePolicy;
}

/** isPodFailed: phase Failed, or (unless only failed pods count) being deleted before it succeeded. */
export function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

/** The pod's completion index, or undefined when it has none (or not a valid one). */
export function completionIndex(pod: Pod): number | undefined {
  const v = pod.metadata?.annotations?.[JOB_COMPLETION_INDEX];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/** When the pod finished: its containers' latest finishedAt, else its deletion, else `now`. */
export function podFinishTime(pod: Pod, now: number): number {
  let latest: number | undefined;
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const t = parseTimestamp(s.state?.terminated?.finishedAt);
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  return latest ?? parseTimestamp(pod.metadata?.deletionTimestamp) ?? now;
}

/** Sum of the restart counts of a pending or running pod's containers (pastBackoffLimitOnFailure). */
export function restartCount(pod: Pod): number {
  if (pod.status?.phase !== 'Running' && pod.status?.phase !== 'Pending') return 0;
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].reduce((n, s) => n + (s.restartCount ?? 0), 0);
}

function matchExitCodes(pod: Pod, req: { containerName?: string; operator: string; values: number[] }): ContainerStatus | undefined {
  for (const statuses of [pod.status?.initContainerStatuses ?? [], pod.status?.containerStatuses ?? []]) {
    for (const s of statuses) {
      const code = s.state?.terminated?.exitCode;
      if (code === undefined || code === 0) continue;
      if (req.containerName && req.containerName !== s.name) continue;
      const listed = req.values.includes(code);
      if ((req.operator === 'In' && listed) || (req.operator === 'NotIn' && !listed)) return s;
    }
  }
  return undefined;
}

function matchConditions(pod: Pod, patterns: ReadonlyArray<{ type: string; status?: string }>): PodCondition | undefined {
  for (const p of patterns) {
    const c = pod.status?.conditions?.find((x) => x.type === p.type && x.status === (p.status ?? 'True'));
    if (c) return c;
  }
  return undefined;
}

export interface PolicyVerdict {
  /** The Job's failure message when a FailJob rule matched. */
  failJobMessage?: string;
  /** Whether the failure counts towards backoffLimit (false for Ignore). */
  countFailed: boolean;
  action?: PolicyAction;
}

/** matchPodFailurePolicy: the first rule matching the failed pod decides. */
export function matchPodFailurePolicy(job: Job, pod: Pod): PolicyVerdict {
  const rules = job.spec?.podFailurePolicy?.rules ?? [];
  const where = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
  for (const [index, rule] of rules.entries()) {
    const action = rule.action as PolicyAction;
    let subject: string | undefined;
    if (rule.onExitCodes) {
      const s = matchExitCodes(pod, rule.onExitCodes);
      if (s) subject = `Container ${s.name} for pod ${where} failed with exit code ${s.state?.terminated?.exitCode ?? 0}`;
    } else if (rule.onPodConditions) {
      const c = matchConditions(pod, rule.onPodConditions);
      if (c) subject = `Pod ${where} has condition ${c.type}`;
    }
    if (subject === undefined) continue;
    if (action === 'Ignore') return { countFailed: false, action };
    if (action === 'Count') return { countFailed: true, action };
    if (action === 'FailIndex' && job.spec?.backoffLimitPerIndex !== undefined && job.spec.backoffLimitPerIndex !== null) return { countFailed: true, action };
    if (action === 'FailJob') return { countFailed: true, action, failJobMessage: `${subject} matching FailJob rule at index ${index}` };
  }
  return { countFailed: true };
}

const INDEX_ENV = 'JOB_COMPLETION_INDEX';

function withIndexEnv(c: Container): Container {
  if (c.env?.some((e) => e.name === INDEX_ENV)) return c;
  const fieldRef = { fieldPath: `metadata.annotations['${JOB_COMPLETION_INDEX}']` };
  return { ...c, env: [...(c.env ?? []), { name: INDEX_ENV, valueFrom: { fieldRef } }] };
}

/** The pod the Job creates: its template, controlled by the Job, with the tracking finalizer; Indexed pods carry their index (and `annotations`). */
export function podFromTemplate(job: Job, index?: number, annotations: Record<string, string> = {}): Pod {
  const t = structuredClone(job.spec?.template ?? {});
  const name = job.metadata?.name ?? '';
  const pod: Pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
      namespace: job.metadata?.namespace,
      labels: { ...(t.metadata?.labels ?? {}) },
      annotations: { ...(t.metadata?.annotations ?? {}), ...annotations },
      finalizers: [...(t.metadata?.finalizers ?? []), JOB_TRACKING_FINALIZER],
      ownerReferences: [ownerRefFor({ ...(job as KObject), apiVersion: 'batch/v1', kind: 'Job' })],
    },
    spec: t.spec ?? { containers: [] },
  };
  if (index !== undefined) {
    pod.metadata!.annotations![JOB_COMPLETION_INDEX] = String(index);
    pod.metadata!.labels![JOB_COMPLETION_INDEX] = String(index);
    const spec = pod.spec!;
    if (!spec.hostname) spec.hostname = `${name}-${index}`;
    spec.containers = spec.containers.map(withIndexEnv);
    if (spec.initContainers) spec.initContainers = spec.initContainers.map(withIndexEnv);
  }
  if (!Object.keys(pod.metadata!.annotations!).length) delete pod.metadata!.annotations;
  return pod;
}

/** Sorted indexes as Kubernetes writes status.completedIndexes: "1,3-5,7" (runs of three or more as ranges). */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    if (j === i) parts.push(String(sorted[i]));
    else if (j === i + 1) parts.push(`${sorted[i]},${sorted[j]}`);
    else parts.push(`${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The indexes in status.completedIndexes. */
export function parseIndexes(s: string | undefined): Set<number> {
  const out = new Set<number>();
  for (const part of (s ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    for (let i = a; i <= b; i++) out.add(i);
  }
  return out;
}
