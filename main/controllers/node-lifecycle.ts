// The node lifecycle controller: watches each node's Lease in kube-node-lease (and its Ready
// heartbeat). A node not heard from within the grace period (default 40 s) gets Ready=Unknown
// (NodeStatusUnknown, "Kubelet stopped posting node status.") and its pods are marked not ready.
// Nodes are tainted from their Ready condition: Unknown → node.kubernetes.io/unreachable,
// False → node.kubernetes.io/not-ready (NoSchedule and NoExecute); the taints go when Ready is True.
import type { KObject, Lease, Node, NodeCondition, Taint } from '../api/types';
import { isNotFound } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import { BY_NODE } from '../client/cache/shared-informers';
import { shortTime } from './pod-util';
import { R } from '../client/refs';
import { WorkQueue, runWorkers } from '../client/workqueue';

export const UNREACHABLE = 'node.kubernetes.io/unreachable';
export const NOT_READY = 'node.kubernetes.io/not-ready';
const UNKNOWN_MESSAGE = 'Kubelet stopped posting node status.';

export interface NodeLifecycleOptions {
  gracePeriodSeconds?: number;
  monitorPeriodMs?: number;
}

interface Health {
  probeAt: number;
  leaseRenew?: string;
  heartbeat?: string;
}

function readyOf(n: Node): NodeCondition | undefined {
  return n.status?.conditions?.find((c) => c.type === 'Ready');
}

/** The taints the node should carry from its Ready condition. */
function desiredTaints(n: Node, now: string): Taint[] {
  const ready = readyOf(n);
  const key = !ready || ready.status === 'Unknown' ? UNREACHABLE : ready.status === 'False' ? NOT_READY : undefined;
  const keep = (n.spec?.taints ?? []).filter((t) => t.key !== UNREACHABLE && t.key !== NOT_READY);
  if (!key) return keep;
  const old = (n.spec?.taints ?? []).find((t) => t.key === key && t.effect === 'NoExecute');
  return [...keep, { key, effect: 'NoSchedule' }, { key, effect: 'NoExecute', timeAdded: old?.timeAdded ?? now }];
}

function sameTaints(a: Taint[] | undefined, b: Taint[]): boolean {
  const f = (t: Taint[]) => t.map((x) => `${x.key}=${x.value ?? ''}:${x.effect}`).sort().join(',');
  return f(a ?? []) === f(b);
}

export function newNodeLifecycleController(ctx: ControllerContext, opts: NodeLifecycleOptions = {}): Controller {
  const { client, informers } = ctx;
  const nodeInf = informers.nodes;
  const leaseInf = informers.leases;
  const podInf = informers.pods;
  const graceMs = (opts.gracePeriodSeconds ?? 40) * 1000;
  const periodMs = opts.monitorPeriodMs ?? Math.min(5000, Math.max(250, graceMs / 8));
  const health = new Map<string, Health>();
  const queue = new WorkQueue<string>();
  const recorder = ctx.recorder('node-controller');

  function observe(name: string): void {
    const n = nodeInf.get(name);
    const lease = leaseInf.getByName('kube-node-lease', name) as Lease | undefined;
    const renew = lease?.spec?.renewTime;
    const hb = n ? readyOf(n)?.lastHeartbeatTime : undefined;
    const h = health.get(name);
    if (!h) {
      health.set(name, { probeAt: Date.now(), leaseRenew: renew, heartbeat: hb });
      if (n) recorder.event(n as KObject, 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
      return;
    }
    if (renew !== h.leaseRenew || hb !== h.heartbeat) {
      h.probeAt = Date.now();
      h.leaseRenew = renew;
      h.heartbeat = hb;
    }
  }

  function register(): () => void {
    const offs = [
      nodeInf.addHandler({
        add: (n) => { observe(n.metadata!.name!); queue.add(n.metadata!.name!); },
        update: (_o, n) => { observe(n.metadata!.name!); queue.add(n.metadata!.name!); },
        delete: (n) => health.delete(n.metadata!.name!),
      }),
      leaseInf.addHandler({
        add: (l) => { if (l.metadata?.namespace === 'kube-node-lease') observe(l.metadata.name!); },
        update: (_o, l) => { if (l.metadata?.namespace === 'kube-node-lease') observe(l.metadata.name!); },
      }),
    ];
    return () => offs.forEach((f) => f());
  }

  async function sync(name: string): Promise<void> {
    const n = nodeInf.get(name);
    if (!n) return;
    const h = health.get(name);
    const now = shortTime();
    const ready = readyOf(n);
    if (h && Date.now() - h.probeAt > graceMs && ready?.status !== 'Unknown') {
      const conditions: NodeCondition[] = (n.status?.conditions ?? []).map((c) => ({
        type: c.type, status: 'Unknown', reason: 'NodeStatusUnknown', message: UNKNOWN_MESSAGE,
        lastHeartbeatTime: c.lastHeartbeatTime, lastTransitionTime: now,
      }));
      if (!ready) conditions.push({ type: 'Ready', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastTransitionTime: now });
      try {
        await client.patch(R.nodes, name, { status: { conditions } }, 'strategic', { subresource: 'status' });
      } catch (e) {
        if (isNotFound(e)) return;
        throw e;
      }
      recorder.event(n as KObject, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      await markPodsNotReady(name);
      return; // the update comes back through the informer, which taints
    }
    const want = desiredTaints(n, now);
    if (!sameTaints(n.spec?.taints, want)) {
      try {
        await client.patch(R.nodes, name, { spec: { taints: want.length ? want : null } }, 'merge');
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  async function markPodsNotReady(node: string): Promise<void> {
    for (const p of podInf.byIndex(BY_NODE, node)) {
      const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      try {
        await client.patch(R.pods, p.metadata!.name!, { status: { conditions: [{ type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: shortTime() }] } }, 'strategic', { namespace: p.metadata!.namespace, subresource: 'status' });
      } catch (e) {
        if (!isNotFound(e)) ctx.log(`node-lifecycle: marking ${p.metadata!.name!} not ready: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  function run(): () => void {
    const stopWorkers = runWorkers(queue, 2, sync, (k, e) => ctx.log(`node-lifecycle ${k}: ${e instanceof Error ? e.message : String(e)}`));
    // Nodes known at start get a full grace period from now.
    for (const n of nodeInf.values()) observe(n.metadata!.name!);
    const timer = setInterval(() => {
      const t = Date.now();
      for (const [name, h] of health) if (t - h.probeAt > graceMs) queue.add(name);
    }, periodMs);
    timer.unref?.();
    return () => {
      clearInterval(timer);
      stopWorkers();
    };
  }

  return { name: 'node-lifecycle', register, run };
}
