// The node lifecycle controller: watches each node's Lease in kube-node-lease (and its Ready
// heartbeat). A node not heard from within the grace period (default 40 s) gets Ready=Unknown
// (NodeStatusUnknown, "Kubelet stopped posting node status.") and its pods are marked not ready.
// Nodes are tainted from their Ready condition: Unknown → node.kubernetes.io/unreachable,
// False → node.kubernetes.io/not-ready (NoSchedule and NoExecute); the taints go when Ready is True. Pressure
// conditions the kubelet reports True taint NoSchedule (TaintNodesByCondition: memory-, disk-, pid-pressure).
import type { Lease, Node, NodeCondition, Pod, Taint } from '../api/types';
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE } from '../api/tolerations';
import type { Informer } from '../client/cache/informer';
import { BY_NODE } from '../client/cache/shared-informers';
import type { EventRecorder } from '../client/record/recorder';
import { newReconciler } from '../client/reconciler';
import { R } from '../client/refs';
import type { WorkQueue } from '../client/workqueue';
import type { Controller, ControllerContext } from './controller';
import { withExtras } from './extras';
import { ignoreNotFound } from './ignore-not-found';
import { shortTime } from './pod-util';

const LEASE_NAMESPACE = 'kube-node-lease';
const UNKNOWN_MESSAGE = 'Kubelet stopped posting node status.';

export interface NodeLifecycleOptions {
  gracePeriodSeconds?: number;
  monitorPeriodMs?: number;
}

interface Health {
  probeAt: number;
  leaseRenew?: string;
  heartbeat?: string;
  /** The Node's uid, for the RemovingNode event once it is gone. */
  uid?: string;
}

function readyOf(n: Node): NodeCondition | undefined {
  return n.status?.conditions?.find((c) => c.type === 'Ready');
}

/** TaintNodesByCondition: a condition True → its NoSchedule taint (Kubernetes' nodeConditionToTaintKeyStatusMap). */
const PRESSURE_TAINTS: Readonly<Record<string, string>> = {
  MemoryPressure: 'node.kubernetes.io/memory-pressure',
  DiskPressure: 'node.kubernetes.io/disk-pressure',
  PIDPressure: 'node.kubernetes.io/pid-pressure',
};
const OWN_KEYS = new Set([TAINT_NODE_UNREACHABLE, TAINT_NODE_NOT_READY, ...Object.values(PRESSURE_TAINTS)]);

/** The taints the node should carry from its Ready and pressure conditions. */
function desiredTaints(n: Node, now: string): Taint[] {
  const ready = readyOf(n);
  const key = !ready || ready.status === 'Unknown' ? TAINT_NODE_UNREACHABLE : ready.status === 'False' ? TAINT_NODE_NOT_READY : undefined;
  const keep = (n.spec?.taints ?? []).filter((t) => !OWN_KEYS.has(t.key ?? ''));
  const pressure: Taint[] = (n.status?.conditions ?? [])
    .filter((c) => c.status === 'True' && PRESSURE_TAINTS[c.type])
    .map((c) => ({ key: PRESSURE_TAINTS[c.type], effect: 'NoSchedule' }));
  if (!key) return [...keep, ...pressure];
  const old = (n.spec?.taints ?? []).find((t) => t.key === key && t.effect === 'NoExecute');
  return [...keep, ...pressure, { key, effect: 'NoSchedule' }, { key, effect: 'NoExecute', timeAdded: old?.timeAdded ?? now }];
}

function sameTaints(a: Taint[] | undefined, b: Taint[]): boolean {
  const f = (t: Taint[]) => t.map((x) => `${x.key}=${x.value ?? ''}:${x.effect}`).sort().join(',');
  return f(a ?? []) === f(b);
}

/** Every condition Unknown (a Ready one added when the kubelet never posted one). */
function unknownConditions(n: Node, now: string): NodeCondition[] {
  const conditions: NodeCondition[] = (n.status?.conditions ?? []).map((c) => ({
    type: c.type, status: 'Unknown', reason: 'NodeStatusUnknown', message: UNKNOWN_MESSAGE,
    lastHeartbeatTime: c.lastHeartbeatTime, lastTransitionTime: now,
  }));
  if (!readyOf(n)) conditions.push({ type: 'Ready', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastTransitionTime: now });
  return conditions;
}

export function newNodeLifecycleController(ctx: ControllerContext, opts: NodeLifecycleOptions = {}): Controller {
  const nlc = new NodeLifecycle(ctx, opts);
  const builder = newReconciler(ctx, 'node-lifecycle', { workers: 2 });
  const controller = builder.for('nodes').complete((name) => nlc.sync(name));
  return withExtras(controller, { register: () => nlc.observeHealth(), run: () => nlc.monitor(builder.queue) });
}

class NodeLifecycle {
  private readonly health = new Map<string, Health>();
  private readonly graceMs: number;
  private readonly periodMs: number;
  private readonly recorder: EventRecorder;
  /** Informers are created on first use: taken here, before the shared informers start. */
  private readonly pods: Informer<Pod>;

  constructor(private readonly ctx: ControllerContext, opts: NodeLifecycleOptions) {
    this.pods = ctx.informers.pods;
    this.graceMs = (opts.gracePeriodSeconds ?? 40) * 1000;
    this.periodMs = opts.monitorPeriodMs ?? Math.min(5000, Math.max(250, this.graceMs / 8));
    this.recorder = ctx.recorder('node-controller');
  }

  /** Notes when a node was last heard from (its Lease renewed or its Ready heartbeat moved). */
  private observe(name: string): void {
    const n = this.ctx.informers.nodes.get(name);
    const renew = (this.ctx.informers.leases.getByName(LEASE_NAMESPACE, name))?.spec?.renewTime;
    const heartbeat = n ? readyOf(n)?.lastHeartbeatTime : undefined;
    const h = this.health.get(name);
    if (!h) {
      this.health.set(name, { probeAt: Date.now(), leaseRenew: renew, heartbeat, uid: n?.metadata?.uid });
      if (n) this.recorder.event(n, 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
    } else if (renew !== h.leaseRenew || heartbeat !== h.heartbeat) {
      Object.assign(h, { probeAt: Date.now(), leaseRenew: renew, heartbeat });
    }
  }

  observeHealth(): () => void {
    const node = (n: Node) => this.observe(n.metadata!.name!);
    const lease = (l: Lease) => { if (l.metadata?.namespace === LEASE_NAMESPACE) this.observe(l.metadata.name!); };
    const offs = [
      this.ctx.informers.nodes.addHandler({ add: node, update: (_o, n) => node(n) }),
      this.ctx.informers.leases.addHandler({ add: lease, update: (_o, l) => lease(l) }),
    ];
    return () => offs.forEach((off) => off());
  }

  /** monitorNodeHealth: every period, nodes silent beyond the grace period are synced. */
  monitor(queue: WorkQueue<string>): () => void {
    // Nodes known at start get a full grace period from now.
    for (const n of this.ctx.informers.nodes.values()) this.observe(n.metadata!.name!);
    const timer = setInterval(() => {
      const t = Date.now();
      for (const [name, h] of this.health) if (t - h.probeAt > this.graceMs) queue.add(name);
    }, this.periodMs);
    timer.unref?.();
    return () => clearInterval(timer);
  }

  async sync(name: string): Promise<void> {
    const n = this.ctx.informers.nodes.get(name);
    if (!n) {
      const gone = this.health.get(name);
      this.health.delete(name);
      if (gone) this.recorder.event({ apiVersion: 'v1', kind: 'Node', name, uid: gone.uid }, 'Normal', 'RemovingNode', `Node ${name} event: Removing Node ${name} from Controller`);
      return;
    }
    const h = this.health.get(name);
    if (h && Date.now() - h.probeAt > this.graceMs && readyOf(n)?.status !== 'Unknown') return this.markUnknown(n);
    const want = desiredTaints(n, shortTime());
    if (sameTaints(n.spec?.taints, want)) return;
    await ignoreNotFound(this.ctx.client.patch(R.nodes, name, { spec: { taints: want.length ? want : null } }, 'merge'));
  }

  /** The node's conditions go Unknown and its pods not ready; the update comes back through the informer, which taints. */
  private async markUnknown(n: Node): Promise<void> {
    const name = n.metadata!.name!;
    const updated = await ignoreNotFound(this.ctx.client.patch(R.nodes, name, { status: { conditions: unknownConditions(n, shortTime()) } }, 'strategic', { subresource: 'status' }));
    if (!updated) return;
    this.recorder.event(n, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    await this.markPodsNotReady(name);
  }

  private async markPodsNotReady(node: string): Promise<void> {
    for (const p of this.pods.byIndex(BY_NODE, node)) {
      const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const patch = { status: { conditions: [{ type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: shortTime() }] } };
      try {
        await ignoreNotFound(this.ctx.client.patch(R.pods, p.metadata!.name!, patch, 'strategic', { namespace: p.metadata!.namespace, subresource: 'status' }));
      } catch (e) {
        this.ctx.log(`node-lifecycle: marking ${p.metadata!.name!} not ready: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
}
