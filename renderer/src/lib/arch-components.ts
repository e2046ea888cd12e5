// The architecture view's components: what each one does (two sentences) and its figures as rows of
// its details table, from one snapshot.
import type { ArchitectureSnapshot, ArchNode } from '../../../main/api/architecture';
import { ago, bytes, clock, count, millis, rate, seconds, UNKNOWN, verbRates } from './arch-format';

export type ComponentId = 'api' | 'store' | 'scheduler' | 'controllers' | `kubelet:${string}` | `proxy:${string}` | `containerd:${string}`;

export interface ComponentInfo {
  title: string;
  /** Its job, in two sentences. */
  job: string;
  rows: Array<[string, string]>;
  /** The node it runs on (node components). */
  node?: string;
}

const JOBS = {
  api: ['API server', 'Every request from kubectl, the UI, the controllers and the nodes goes through the API server, which authenticates, '
    + 'validates and stores it. Everyone else learns about changes by watching it, so it is the only component that talks to the store.'],
  store: ['Store (the etcd role)', 'The store keeps every object as a numbered revision in a log on disk, so a watch can resume from any recent revision. '
    + 'Old revisions are compacted away; the API server is its only client.'],
  scheduler: ['Scheduler', 'The scheduler watches for pods without a node, filters out the nodes that cannot run them and scores the rest. '
    + 'It then binds each pod to the best node; it never starts anything itself.'],
  controllers: ['Controller manager', 'The controller manager runs the control loops that turn what you asked for into objects: a Deployment into ReplicaSets, '
    + 'a ReplicaSet into pods, a Service into endpoints. Each loop has a work queue of objects to reconcile.'],
  kubelet: ['Agent (kubelet)', 'The kubelet watches the pods bound to its node and makes them so through the container runtime, then writes their status back. '
    + 'It renews the node\'s Lease every few seconds: that is the heartbeat the control plane checks. '
    + 'On port 10250 it serves logs, exec and metrics, asking the API server who each caller is and what it may do.'],
  proxy: ['kube-proxy', 'kube-proxy turns Services and their endpoints into iptables rules on its node, so a Service\'s virtual IP reaches a ready pod. '
    + 'It rewrites only what changed, at most once per sync interval.'],
  containerd: ['containerd', 'containerd is the container runtime the kubelet drives through CRI: it pulls images and creates pod sandboxes and containers (with runc). '
    + 'It knows nothing about Kubernetes objects.'],
} as const;

function nodeOf(s: ArchitectureSnapshot, name: string): ArchNode | undefined {
  return s.nodes.find((n) => n.name === name);
}

function nodeRows(kind: 'kubelet' | 'proxy' | 'containerd', n: ArchNode, now: number): Array<[string, string]> {
  const a = n.agent;
  const source: Array<[string, string]> = a.source === 'api' ? [['Figures from', `the API only (${a.message ?? 'agent not reachable'})`]] : [];
  if (kind === 'kubelet') {
    return [
      ['Node', `${n.name} (${n.ready ? 'Ready' : 'NotReady'})`],
      ['Last heartbeat (Lease)', ago(n.leaseRenewTime, now)],
      ['Pods bound', String(n.pods.length)],
      ['Running pods', count(a.runningPods)],
      ['Pod syncs', `${count(a.podSyncs)} (${rate(a.podSyncsPerSec)})`],
      ['Probes', a.probes ? `${a.probes.successful} passed · ${a.probes.failed} failed` : UNKNOWN],
      ['Pod start (median)', seconds(a.podStartP50)],
      ...source,
    ];
  }
  if (kind === 'proxy') {
    return [['iptables rules', count(a.proxyRules)], ['Last sync took', millis(a.proxyLastSyncMs)], ['Last sync', ago(a.proxyLastSyncAt, now)], ...source];
  }
  const c = a.containers;
  return [
    ['Running containers', c ? String(c.running) : UNKNOWN], ['Exited containers', c ? String(c.exited) : UNKNOWN],
    ['Created, not started', c ? String(c.created) : UNKNOWN], ['Pod sandboxes running', count(a.runningPods)], ...source,
  ];
}

export function componentInfo(s: ArchitectureSnapshot, id: ComponentId, now = Date.now()): ComponentInfo | undefined {
  if (id === 'api') {
    const a = s.apiServer;
    return {
      title: JOBS.api[0], job: JOBS.api[1], rows: [
        ['Requests', rate(a.totalPerSec)], ['By verb', verbRates(s, 6)], ['Open watches', count(a.watches)],
        ['p99 latency', millis(a.p99Ms)], ['In flight', count(a.inflight)],
      ],
    };
  }
  if (id === 'store') {
    const st = s.store;
    return {
      title: JOBS.store[0], job: JOBS.store[1], rows: [
        ['Revision', count(st.revision)], ['Last compaction', st.lastCompactionAt ? `${clock(st.lastCompactionAt)} (${ago(st.lastCompactionAt, now)})` : 'none since start'],
        ['Compacted up to', count(st.compactRevision)], ['Size on disk', bytes(st.sizeBytes)],
        ['Writes', rate(st.writesPerSec)], ['Watch events to watchers', rate(st.watchEventsPerSec)], ['Objects', count(st.objects)], ['Watchers', count(st.watchers)],
      ],
    };
  }
  if (id === 'scheduler') {
    const sc = s.scheduler;
    return {
      title: JOBS.scheduler[0], job: JOBS.scheduler[1], rows: [
        ['Queue: active', count(sc.active)], ['Queue: backoff', count(sc.backoff)], ['Queue: unschedulable', count(sc.unschedulable)],
        ['Scheduled', count(sc.scheduled)], ['Failed attempts', count(sc.failed)],
        ...sc.lastDecisions.map((d): [string, string] => [`${d.namespace}/${d.pod}`, `→ ${d.node}, ${ago(d.at, now)}`]),
      ],
    };
  }
  if (id === 'controllers') {
    return {
      title: JOBS.controllers[0], job: JOBS.controllers[1],
      rows: s.controllers.map((c): [string, string] => [c.name, `queue ${c.depth} · ${rate(c.reconcilesPerSec)} · ${c.reconciles} reconciles`]),
    };
  }
  const [kind, node] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)] as ['kubelet' | 'proxy' | 'containerd', string];
  const n = nodeOf(s, node);
  if (!n || !(kind in JOBS)) return undefined;
  return { title: `${JOBS[kind][0]} on ${node}`, job: JOBS[kind][1], rows: nodeRows(kind, n, now), node };
}
