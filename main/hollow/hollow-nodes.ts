// Hollow nodes: simulated kubelets for tests and benchmarks. Each registers a Node with capacity
// and Ready conditions, renews its Lease in kube-node-lease every 10 s, marks the pods bound to it
// Running (IP from its podCIDR, conditions, container statuses) and confirms their deletion with
// DELETE gracePeriodSeconds=0, and let their deleted local volumes go (local-volumes.ts). They only use the public API: nothing in the control plane knows.
import type { KObject, Node, Pod } from '../api/types';
import type { ApiClient } from '../client/types';
import { isAlreadyExists, isConflict, isNotFound } from '../client/types';
import { EventRecorder } from '../client/record/recorder';
import { EventCorrelator } from '../client/record/correlator';
import { Informer } from '../client/cache/informer';
import { R, keyOf } from '../client/refs';
import { TAINT_NODE_NOT_READY } from '../api/tolerations';
import { Limiter } from './limiter';
import { hollowLocalVolumes } from './local-volumes';
import type { HollowResources } from './node-object';
import { leaseObject, microTime, nodeConditions, nodeObject } from './node-object';
import { runningStatus, withReadiness } from './pod-status';

export interface HollowOptions extends Partial<HollowResources> {
  count: number;
  namePrefix?: string;
  /** Lease renewal interval (ms), default 10 s. */
  renewIntervalMs?: number;
  leaseDurationSeconds?: number;
  /** Maximum concurrent API writes of all hollow nodes together. */
  maxInFlight?: number;
  log?: (line: string) => void;
}

export interface HollowNodes {
  readonly names: string[];
  /** Resolves when every node is registered with its lease. */
  readonly ready: Promise<void>;
  /**
   * Resolves once no node carries the not-ready taint any more (registered nodes get it at create, and the node
   * lifecycle controller takes it off once it sees them Ready): pods can be scheduled onto every node.
   */
  readonly schedulable: Promise<void>;
  /** Simulates a dead kubelet: no more lease renewals, pod updates or deletion confirmations. */
  kill(name: string): void;
  /** Flips a running pod's readiness (as a readiness probe would). */
  setPodReady(namespace: string, name: string, ready: boolean): Promise<void>;
  /** Pods the hollow kubelets have marked Running (for benchmarks). */
  readonly runningCount: number;
  stop(): Promise<void>;
}

interface HollowState {
  name: string;
  index: number;
  dead: boolean;
  podCIDR?: string;
  nextIP: number;
  freeIPs: number[];
  ips: Map<string, number>;
  timer?: NodeJS.Timeout;
}

function clientOf(x: ApiClient | { client: ApiClient }): ApiClient {
  return 'client' in x && typeof (x as { client: unknown }).client === 'object' ? (x).client : (x as ApiClient);
}

export function startHollowNodes(target: ApiClient | { client: ApiClient }, opts: HollowOptions): HollowNodes {
  const client = clientOf(target);
  const log = opts.log ?? (() => undefined);
  const informerLog = (e: unknown) => log(`hollow nodes: ${e instanceof Error ? e.message : String(e)}`);
  const prefix = opts.namePrefix ?? 'hollow-node-';
  const res: HollowResources = { cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi', pods: opts.pods ?? 110 };
  const renewMs = opts.renewIntervalMs ?? 10_000;
  const leaseSeconds = opts.leaseDurationSeconds ?? 40;
  const limiter = new Limiter(opts.maxInFlight ?? 128);
  const nodes = new Map<string, HollowState>();
  const names: string[] = [];
  let stopped = false;
  let running = 0;
  const inFlight = new Set<string>();
  for (let i = 0; i < opts.count; i++) {
    const name = `${prefix}${i}`;
    names.push(name);
    nodes.set(name, { name, index: i + 1, dead: false, nextIP: 2, freeIPs: [], ips: new Map() });
  }

  // Like a kubelet, watch only pods bound to a node (a kubelet selects its own node's pods).
  const recorders = new Map<string, EventRecorder>();
  // One correlator for every hollow kubelet: thousands of stand-in nodes keep one event cache, not one each.
  const correlator = new EventCorrelator();
  const recorder = (node: string): EventRecorder => {
    let r = recorders.get(node);
    if (!r) recorders.set(node, (r = new EventRecorder(client, { component: 'kubelet', host: node }, { correlator })));
    return r;
  };
  const podInf = new Informer<Pod>(client, R.pods, { onError: informerLog, fieldSelector: 'spec.nodeName!=' });
  const nodeInf = new Informer<Node>(client, R.nodes, { onError: informerLog });

  async function register(st: HollowState): Promise<void> {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const obj = nodeObject(st.name, st.index, res, now);
    let node: Node;
    try {
      node = await limiter.run(() => client.create<Node>(R.nodes, obj));
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      node = await limiter.run(() => client.patch<Node>(R.nodes, st.name, { status: { conditions: nodeConditions(now), capacity: obj.status!.capacity, allocatable: obj.status!.allocatable } }, 'strategic', { subresource: 'status' }));
    }
    st.podCIDR = node.spec?.podCIDR;
    try {
      await limiter.run(() => client.create(R.leases, leaseObject(node, leaseSeconds) as KObject, { namespace: 'kube-node-lease' }));
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      await renew(st);
    }
    const jitter = Math.floor(Math.random() * renewMs);
    st.timer = setTimeout(function tick() {
      if (stopped || st.dead) return;
      void renew(st).catch((e: unknown) => log(`hollow ${st.name}: lease: ${e instanceof Error ? e.message : String(e)}`));
      st.timer = setTimeout(tick, renewMs);
      st.timer.unref?.();
    }, jitter);
    st.timer.unref?.();
  }

  async function renew(st: HollowState): Promise<void> {
    if (st.dead || stopped) return;
    await limiter.run(() => client.patch(R.leases, st.name, { spec: { renewTime: microTime(), holderIdentity: st.name, leaseDurationSeconds: leaseSeconds } }, 'merge', { namespace: 'kube-node-lease' }));
  }

  function allocIP(st: HollowState, uid: string): string {
    let n = st.ips.get(uid);
    if (n === undefined) {
      n = st.freeIPs.pop() ?? st.nextIP++;
      st.ips.set(uid, n);
    }
    const base = (st.podCIDR ?? `10.${128 + (st.index >> 8)}.${st.index & 255}.0/24`).split('/')[0].split('.').map(Number);
    const v = ((base[0] << 24) >>> 0) + (base[1] << 16) + (base[2] << 8) + base[3] + n;
    return [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
  }

  function releaseIP(st: HollowState, uid: string): void {
    const n = st.ips.get(uid);
    if (n === undefined) return;
    st.ips.delete(uid);
    st.freeIPs.push(n);
  }

  function hostIP(st: HollowState): string {
    return `10.250.${(st.index >> 8) & 255}.${st.index & 255}`;
  }

  function syncPod(p: Pod): void {
    const st = nodes.get(p.spec?.nodeName ?? '');
    if (!st || st.dead || stopped) return;
    const key = keyOf(p);
    const uid = p.metadata?.uid ?? '';
    if (inFlight.has(key)) return;
    if (p.metadata?.deletionTimestamp) {
      inFlight.add(key);
      if (p.status?.phase === 'Running') {
        for (const c of p.spec?.containers ?? []) recorder(st.name).event(p, 'Normal', 'Killing', `Stopping container ${c.name}`);
      }
      void limiter.run(() => client.delete(R.pods, p.metadata!.name!, { namespace: p.metadata!.namespace, gracePeriodSeconds: 0, preconditions: { uid } }))
        .then(() => releaseIP(st, uid))
        .catch((e: unknown) => {
          if (isNotFound(e) || isConflict(e)) releaseIP(st, uid);
          else log(`hollow ${st.name}: deleting ${key}: ${e instanceof Error ? e.message : String(e)}`);
        })
        .finally(() => inFlight.delete(key));
      return;
    }
    if (p.status?.phase !== 'Pending' && p.status?.phase !== undefined) return;
    inFlight.add(key);
    const status = runningStatus(p, allocIP(st, uid), hostIP(st), true);
    void limiter.run(() => client.patch(R.pods, p.metadata!.name!, { status }, 'merge', { namespace: p.metadata!.namespace, subresource: 'status' }))
      .then(() => { running++; })
      .catch((e: unknown) => {
        if (!isNotFound(e)) log(`hollow ${st.name}: starting ${key}: ${e instanceof Error ? e.message : String(e)}`);
      })
      .finally(() => inFlight.delete(key));
  }

  const tainted = new Set(names);
  let untainted: () => void = () => undefined;
  const schedulable = new Promise<void>((resolve) => { untainted = resolve; });
  if (tainted.size === 0) untainted();

  function syncNode(n: Node): void {
    const st = nodes.get(n.metadata?.name ?? '');
    if (!st || st.dead || stopped) return;
    if (tainted.has(st.name) && !(n.spec?.taints ?? []).some((t) => t.key === TAINT_NODE_NOT_READY)) {
      tainted.delete(st.name);
      if (tainted.size === 0) untainted();
    }
    st.podCIDR = n.spec?.podCIDR ?? st.podCIDR;
    // A kubelet that is alive reports Ready again when someone else marked it otherwise.
    const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
    if (ready && ready.status !== 'True' && !inFlight.has(`node:${st.name}`)) {
      inFlight.add(`node:${st.name}`);
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      void limiter.run(() => client.patch(R.nodes, st.name, { status: { conditions: nodeConditions(now) } }, 'strategic', { subresource: 'status' }))
        .catch(() => undefined).finally(() => inFlight.delete(`node:${st.name}`));
    }
  }

  const offs = [
    podInf.addHandler({ add: syncPod, update: (_o, p) => syncPod(p), delete: (p) => { const st = nodes.get(p.spec?.nodeName ?? ''); if (st) releaseIP(st, p.metadata?.uid ?? ''); } }),
    nodeInf.addHandler({ add: syncNode, update: (_o, n) => syncNode(n) }),
  ];
  const stopNodeInf = nodeInf.start();
  const stopVolumes = hollowLocalVolumes(client, limiter, (node) => { const st = nodes.get(node); return !!st && !st.dead && !stopped; }, log).start();
  const ready = (async () => {
    await Promise.all([...nodes.values()].map((st) => register(st)));
    await nodeInf.hasSynced;
  })();
  let stopPodInf: (() => void) | undefined;
  void ready.then(() => {
    if (!stopped) stopPodInf = podInf.start();
  }, (e: unknown) => log(`hollow nodes: ${e instanceof Error ? e.message : String(e)}`));

  return {
    names,
    ready: ready.then(() => podInf.hasSynced),
    schedulable,
    get runningCount() {
      return running;
    },
    kill(name) {
      const st = nodes.get(name);
      if (!st) return;
      st.dead = true;
      if (st.timer) clearTimeout(st.timer);
    },
    async setPodReady(namespace, name, isReady) {
      const p = await client.get<Pod & KObject>(R.pods, name, namespace);
      if (!p.status) return;
      await client.patch(R.pods, name, { status: withReadiness(p.status, isReady) }, 'merge', { namespace, subresource: 'status' });
    },
    async stop() {
      stopped = true;
      offs.forEach((f) => f());
      stopNodeInf();
      stopVolumes();
      stopPodInf?.();
      for (const st of nodes.values()) if (st.timer) clearTimeout(st.timer);
      for (const r of recorders.values()) r.stop();
    },
  };
}
