// The scheduler: pods without a node come from the pod informer into the scheduling queue; each
// cycle filters and scores nodes from the cache, assumes the pod on the chosen node (so the next
// cycle counts it at once) and binds it through pods/binding asynchronously. A pod that fits
// nowhere gets PodScheduled=False (Unschedulable) and a FailedScheduling event and waits for the
// cluster to change.
import type { Node, Pod } from '../api/types';
import type { ApiClient } from '../client/types';
import { isNotFound } from '../client/types';
import { EventRecorder } from '../client/record/recorder';
import type { SharedInformers } from '../client/cache/shared-informers';
import { R } from '../client/refs';
import { SchedulerCache } from './cache';
import { fitErrorMessage, preFilterMessage } from './fit-error';
import { Framework } from './framework';
import { newPodInfo, podKey } from './pod-info';
import { SchedulingQueue } from './queue';
import { assignedPodEventSkips } from './pod-changes';
import { Preemption } from './post-filter';
import { VolumeBinding } from './plugins/volume-binding';
import { endAttempt, startAttempt, startBind } from './journey-spans';
import { SpanStatusCode } from '@opentelemetry/api';
import type { FilterFailure, PodInfo } from './types';
import { nodeChangeSkips, nodeSchedulingPropertiesChanged } from './node-changes';
import { rfc3339Seconds } from '../api/timestamp';

export const SCHEDULER_NAME = 'default-scheduler';
const MAX_BINDS_IN_FLIGHT = 512;
const YIELD_EVERY_MS = 10;

export interface SchedulerOptions {
  informers: SharedInformers;
  log?: (line: string) => void;
}

/** The scheduler's figures for /metrics: its queue's sub-queues and its attempts by result, as kube-scheduler reports them. */
export interface SchedulerStats {
  pending: { active: number; backoff: number; unschedulable: number };
  attempts: { scheduled: number; unschedulable: number; error: number };
}

export interface Scheduler {
  /** Pods bound so far (for benchmarks). */
  readonly scheduledCount: number;
  stats(): SchedulerStats;
  stop(): void;
}

function responsible(p: Pod): boolean {
  return (p.spec?.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME;
}

/** Waiting for this scheduler; a pod with scheduling gates is not, until they are removed (the SchedulingGates PreEnqueue plugin). */
function pending(p: Pod): boolean {
  return !p.spec?.nodeName && !p.metadata?.deletionTimestamp && responsible(p) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed'
    && !p.spec?.schedulingGates?.length;
}

export function startScheduler(client: ApiClient, opts: SchedulerOptions): Scheduler {
  const log = opts.log ?? (() => undefined);
  const podInf = opts.informers.pods;
  const nodeInf = opts.informers.nodes;
  // Namespace labels, for pod affinity terms with a namespaceSelector.
  const nsInf = opts.informers.namespaces;
  const cache = new SchedulerCache();
  const queue = new SchedulingQueue();
  const fw = new Framework(undefined, undefined, undefined, (ns) => nsInf.get(ns)?.metadata?.labels);
  const volumes = new VolumeBinding(opts.informers, client);
  const recorder = new EventRecorder(client, { component: SCHEDULER_NAME });
  const preemption = new Preemption(opts.informers, client, recorder, cache, fw, SCHEDULER_NAME, log);
  let stopped = false;
  let scheduled = 0;
  let errors = 0;
  let unschedulableAttempts = 0;
  let bindsInFlight = 0;
  let bindSlot: (() => void) | undefined;

  const offs = [
    nodeInf.addHandler({
      add: (n: Node) => {
        cache.setNode(n);
        queue.moveAllToActiveOrBackoff(nodeChangeSkips(n));
      },
      update: (o, n) => {
        cache.setNode(n);
        if (nodeSchedulingPropertiesChanged(o, n)) queue.moveAllToActiveOrBackoff(nodeChangeSkips(n));
      },
      delete: (n) => cache.removeNode(n.metadata?.name ?? ''),
    }),
    podInf.addHandler({
      add: (p) => {
        if (p.spec?.nodeName) {
          cache.addOrUpdatePod(p);
          // A pod in a node's domain may satisfy a waiting pod's affinity or topology spread (AssignedPodAdd).
          queue.moveAllToActiveOrBackoff(assignedPodEventSkips('add'));
        } else if (pending(p)) {
          const info = newPodInfo(p);
          queue.add(info);
          if (p.status?.nominatedNodeName) fw.nominator.set(info, p.status.nominatedNodeName);
        }
      },
      update: (o, p) => {
        if (p.spec?.nodeName) {
          if (!o.spec?.nodeName) {
            queue.delete(podKey(p));
            fw.nominator.delete(p.metadata?.uid ?? '');
          }
          cache.addOrUpdatePod(p);
          // Bound now, terminating or relabelled: affinity and topology spread may see it differently (AssignedPodAdd/Update).
          if (!o.spec?.nodeName) queue.moveAllToActiveOrBackoff(assignedPodEventSkips('add'));
          else if ((p.metadata?.deletionTimestamp && !o.metadata?.deletionTimestamp) || !sameLabels(o, p)) queue.moveAllToActiveOrBackoff(assignedPodEventSkips('update'));
        } else if (pending(p)) {
          const same = sameScheduling(o, p);
          if (!same || o.status?.nominatedNodeName !== p.status?.nominatedNodeName) {
            const info = newPodInfo(p);
            if (!same) queue.add(info);
            fw.nominator.set(info, p.status?.nominatedNodeName);
          }
        } else {
          queue.delete(podKey(p));
          fw.nominator.delete(p.metadata?.uid ?? '');
        }
      },
      delete: (p) => {
        fw.nominator.delete(p.metadata?.uid ?? '');
        if (p.spec?.nodeName) {
          cache.removePod(p.metadata?.uid ?? '');
          queue.moveAllToActiveOrBackoff(assignedPodEventSkips('delete'));
        } else queue.delete(podKey(p));
      },
    }),
    ...volumes.onChange(() => queue.moveAllToActiveOrBackoff()),
  ];

  async function bind(pi: PodInfo, node: string): Promise<void> {
    const ns = pi.pod.metadata?.namespace ?? 'default';
    const name = pi.pod.metadata?.name ?? '';
    const span = startBind(pi, node);
    try {
      await volumes.preBind(pi, node);
      await client.bind(ns, name, node);
      span.end();
      scheduled++;
      queue.done(pi.key);
      recorder.event(pi.pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${node}`);
    } catch (e) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) }).end();
      cache.forget(pi.uid);
      if (isNotFound(e) || !podInf.get(pi.key) || podInf.get(pi.key)?.spec?.nodeName) {
        queue.done(pi.key);
        return;
      }
      log(`scheduler: binding ${pi.key} to ${node}: ${e instanceof Error ? e.message : String(e)}`);
      errors++;
      queue.retry(pi.key);
    } finally {
      bindsInFlight--;
      const s = bindSlot;
      bindSlot = undefined;
      s?.();
    }
  }

  async function unschedulable(pi: PodInfo, rejectedBy: ReadonlySet<string>, message: string, nominatedNode?: string, live = pi.pod): Promise<void> {
    unschedulableAttempts++;
    queue.unschedulableAgain(pi.key, rejectedBy);
    recorder.event(pi.pod, 'Warning', 'FailedScheduling', message);
    const cur = pi.pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const nominate = nominatedNode !== undefined && nominatedNode !== (live.status?.nominatedNodeName ?? '');
    if (cur?.status === 'False' && cur.message === message && !nominate) return;
    try {
      await client.patch(R.pods, pi.pod.metadata?.name ?? '', {
        status: { ...(nominate ? { nominatedNodeName: nominatedNode || null } : {}), conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: rfc3339Seconds() }] },
      }, 'strategic', { namespace: pi.pod.metadata?.namespace, subresource: 'status' });
    } catch (e) {
      if (!isNotFound(e)) log(`scheduler: updating ${pi.key}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async function loop(): Promise<void> {
    await Promise.all([podInf.hasSynced, nodeInf.hasSynced, nsInf.hasSynced, volumes.hasSynced, preemption.hasSynced]);
    let lastYield = Date.now();
    while (!stopped) {
      if (Date.now() - lastYield > YIELD_EVERY_MS) {
        await new Promise((r) => setImmediate(r));
        lastYield = Date.now();
      }
      if (bindsInFlight >= MAX_BINDS_IN_FLIGHT) await new Promise<void>((r) => (bindSlot = r));
      const pi = await queue.pop();
      if (!pi || stopped) return;
      const live = podInf.get(pi.key);
      if (!live || live.metadata?.uid !== pi.uid || !pending(live) || cache.isAssumed(pi.uid)) {
        queue.done(pi.key);
        continue;
      }
      const attempt = startAttempt(pi);
      const volumeMsg = volumes.preFilter(pi);
      if (volumeMsg) {
        endAttempt(attempt, { message: preFilterMessage(cache.nodeList.length, volumeMsg) });
        void unschedulable(pi, VOLUME_BINDING, preFilterMessage(cache.nodeList.length, volumeMsg));
        continue;
      }
      const res = fw.schedule(pi, cache.nodeList, attempt.explain);
      endAttempt(attempt, 'node' in res ? res : { message: fitErrorMessage(res.numNodes, res.failures) });
      if ('node' in res) {
        cache.assume(pi, res.node);
        fw.nominator.delete(pi.uid);
        bindsInFlight++;
        void bind(pi, res.node);
      } else if (!res.numNodes) {
        void unschedulable(pi, new Set(), fitErrorMessage(0, res.failures));
      } else {
        const post = preemption.postFilter(pi, live);
        void unschedulable(pi, rejectingPlugins(res.failures), fitErrorMessage(res.numNodes, res.failures, post.message), post.nominatedNode, live);
      }
    }
  }

  void loop().catch((e: unknown) => log(`scheduler stopped: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));

  return {
    get scheduledCount() {
      return scheduled;
    },
    stats: () => ({ pending: queue.counts(), attempts: { scheduled, unschedulable: unschedulableAttempts, error: errors } }),
    stop() {
      stopped = true;
      queue.close();
      recorder.stop();
      offs.forEach((f) => f());
    },
  };
}

const VOLUME_BINDING: ReadonlySet<string> = new Set(['VolumeBinding']);

function rejectingPlugins(failures: FilterFailure[]): ReadonlySet<string> {
  return new Set(failures.map((f) => f.plugin ?? ''));
}

function sameLabels(a: Pod, b: Pod): boolean {
  return JSON.stringify(a.metadata?.labels) === JSON.stringify(b.metadata?.labels);
}

function sameScheduling(a: Pod, b: Pod): boolean {
  return JSON.stringify(a.spec) === JSON.stringify(b.spec) && JSON.stringify(a.metadata?.labels) === JSON.stringify(b.metadata?.labels);
}
