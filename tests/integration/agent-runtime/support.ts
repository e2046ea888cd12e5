// Shared bits for the agent-runtime tests: root gating, condition polling, pod builders, CRI log reading.
import { readFileSync } from 'node:fs';
import type { Container, Pod, PodStatus } from 'kubernetes-types/core/v1';
import type { PodManager } from '../../../vm-images/agent/pods/manager';
import { afterAll, afterEach } from 'vitest';
import { pollUntil } from '../../../main/protocol/poll';
import type { TestContainerd } from '../../helpers/containerd';

/** Tests need root (containerd, runc, CNI); they may skip only when not root and never in CI. */
export { skipUnlessRoot } from '../../helpers/netns';

/** Polls `check` until it returns a value (not undefined/false) or the deadline passes. */
export function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000, intervalMs = 50): Promise<T> {
  return pollUntil(check, timeoutMs, what, intervalMs);
}

let seq = 0;
export function uniqueUid(): string {
  return `flt-t${process.pid}-${Date.now().toString(36)}-${seq++}`;
}

export function makePod(name: string, containers: Container[], spec: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', uid: uniqueUid(), labels: { app: name } },
    spec: { containers, terminationGracePeriodSeconds: 5, ...spec },
  };
}

export function uidOf(pod: Pod): string {
  return pod.metadata?.uid ?? '';
}

export function waitStatus(pm: PodManager, pod: Pod, what: string, pred: (s: PodStatus) => boolean, timeoutMs = 15_000): Promise<PodStatus> {
  return waitFor(what, () => { const s = pm.status(uidOf(pod)); return s && pred(s) ? s : undefined; }, timeoutMs);
}

/** The messages of a CRI log file (`<time> <stream> <P|F> <msg>`). */
export function logMessages(path: string): string[] {
  let text = '';
  try { text = readFileSync(path, 'utf8'); } catch { return []; }
  return text.split('\n').filter(Boolean).map((l) => l.split(' ').slice(3).join(' '));
}

/**
 * Registers the removal, after each test, of the pods the returned `run` synced, and at the end the close of the
 * suite's PodManager and containerd (whatever `parts` holds then: a suite may replace its manager); `run` syncs a pod.
 */
export function podRunner(parts: () => { pm?: PodManager; t?: TestContainerd }): (pod: Pod) => Promise<Pod> {
  const pods: Pod[] = [];
  afterEach(async () => {
    for (const p of pods.splice(0)) await parts().pm!.remove(uidOf(p));
  });
  afterAll(async () => {
    const { pm, t } = parts();
    await pm?.close();
    await t?.teardown();
  });
  return async (pod) => {
    pods.push(pod);
    await parts().pm!.sync(pod);
    return pod;
  };
}
