// One architecture snapshot: the control plane's /metrics (through the API server, as any scraper
// reads it), each node's agent /metrics (through the node tunnel, as the kubelet's are scraped), and
// the API's Nodes, Leases and Pods. A sampler keeps the previous snapshot's counters for rates and
// the activity on each link.
import type { ArchActivity, ArchitectureSnapshot, ArchNode, SchedulerDecision } from '../../api/architecture';
import type { KObject, Node, Pod } from '../../api/types';
import type { ApiClient } from '../../client/types';
import { R } from '../../client/refs';
import { agentRequest, type AgentEndpoint } from '../../protocol/agent-connection';
import { parsePromText } from '../../protocol/prom-text';
import { openGet, readText, statusError, type ApiEndpoint } from '../api-http';
import { ControlPlaneReader, emptyControlPlane } from './control-plane-figures';
import { agentFigures, agentFiguresFromApi } from './node-figures';
import { PromIndex } from './prom-index';
import { CounterRates } from './rates';

export interface ArchSources {
  client: ApiClient;
  api: ApiEndpoint;
  /** The nodes' agents (absent: node figures come from the API only). */
  agents?: () => AgentEndpoint | undefined;
}

interface Lease extends KObject { spec?: { holderIdentity?: string; renewTime?: string } }

/** How long one agent may take to answer /metrics before its node is shown from the API alone. */
const AGENT_TIMEOUT_MS = 3000;
const DECISIONS = 5;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function controlPlaneText(api: ApiEndpoint): Promise<string> {
  const res = await openGet(api, '/metrics', 'text/plain').response;
  const text = await readText(res);
  if ((res.statusCode ?? 0) >= 400) throw new Error(statusError(res.statusCode ?? 0, text).message);
  return text;
}

function lastDecisions(pods: Pod[]): SchedulerDecision[] {
  const out: SchedulerDecision[] = [];
  for (const p of pods) {
    const node = p.spec?.nodeName;
    const at = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'True')?.lastTransitionTime;
    if (node && at) out.push({ namespace: p.metadata?.namespace ?? '', pod: p.metadata?.name ?? '', node, at });
  }
  return out.sort((a, b) => b.at.localeCompare(a.at)).slice(0, DECISIONS);
}

export class ArchSampler {
  private readonly rates = new CounterRates();
  private readonly controlPlane = new ControlPlaneReader(this.rates);
  /** Each pod's resourceVersion at the previous snapshot (uid → node/rv), for the API ↔ node activity. */
  private podVersions?: Map<string, string>;

  constructor(private readonly src: ArchSources) {}

  async sample(): Promise<ArchitectureSnapshot> {
    const at = Date.now();
    this.rates.begin(at);
    const [text, nodes, pods, leases] = await Promise.all([
      controlPlaneText(this.src.api).then((t) => ({ ok: true as const, t }), (e: unknown) => ({ ok: false as const, e: message(e) })),
      this.src.client.list<Node & KObject>(R.nodes),
      this.src.client.list<Pod & KObject>(R.pods),
      this.src.client.list<Lease>(R.leases, { namespace: 'kube-node-lease' }).catch(() => ({ items: [] as Lease[] })),
    ]);
    let cp = emptyControlPlane();
    let controlPlaneMessage: string | undefined;
    if (text.ok) {
      try {
        cp = this.controlPlane.read(new PromIndex(parsePromText(text.t)));
      } catch (e) {
        controlPlaneMessage = `the API server's /metrics is not Prometheus text: ${message(e)}`;
      }
    } else controlPlaneMessage = `the API server's /metrics cannot be read: ${text.e}`;

    const renew = new Map(leases.items.map((l) => [l.metadata?.name ?? '', l.spec?.renewTime ?? null]));
    const podsByNode = new Map<string, Pod[]>();
    for (const p of pods.items) {
      const n = p.spec?.nodeName;
      if (!n) continue;
      const list = podsByNode.get(n);
      if (list) list.push(p);
      else podsByNode.set(n, [p]);
    }
    const activity: ArchActivity[] = [...cp.activity, ...this.podActivity(pods.items)];
    const archNodes = await Promise.all(nodes.items.map((n) => this.node(n, podsByNode.get(n.metadata?.name ?? '') ?? [], renew)));
    archNodes.sort((a, b) => a.name.localeCompare(b.name));
    return {
      at, ...(controlPlaneMessage ? { controlPlaneMessage } : {}),
      store: cp.store, apiServer: cp.apiServer, scheduler: { ...cp.scheduler, lastDecisions: lastDecisions(pods.items) },
      controllers: cp.controllers, nodes: archNodes, activity,
    };
  }

  private async node(n: Node & KObject, pods: Pod[], renew: Map<string, string | null>): Promise<ArchNode> {
    const name = n.metadata?.name ?? '';
    const ready = n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    const agents = this.src.agents?.();
    let agent = agentFiguresFromApi('this node\'s agent is not managed here');
    if (agents) {
      try {
        const r = await agentRequest(agents, name, 'GET', '/metrics', undefined, AGENT_TIMEOUT_MS);
        if (r.status !== 200) throw new Error(`the agent answered ${r.status}`);
        agent = agentFigures(name, new PromIndex(parsePromText(r.body)), this.rates);
      } catch (e) {
        agent = agentFiguresFromApi(message(e));
      }
    }
    return {
      name, ready, leaseRenewTime: renew.get(name) ?? null, agent,
      pods: pods.map((p) => ({ namespace: p.metadata?.namespace ?? '', name: p.metadata?.name ?? '', phase: p.status?.phase ?? 'Pending' }))
        .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`)),
    };
  }

  /** Pods bound to a node that were created, changed or deleted since the previous snapshot: activity on API ↔ that node. */
  private podActivity(pods: Pod[]): ArchActivity[] {
    const now = new Map<string, string>();
    for (const p of pods) {
      if (p.spec?.nodeName) now.set(p.metadata?.uid ?? '', `${p.spec.nodeName}\n${p.metadata?.resourceVersion ?? ''}`);
    }
    const before = this.podVersions;
    this.podVersions = now;
    if (!before) return [];
    const counts = new Map<string, number>();
    const bump = (v: string): void => { const node = v.split('\n')[0]; counts.set(node, (counts.get(node) ?? 0) + 1); };
    for (const [uid, v] of now) if (before.get(uid) !== v) bump(v);
    for (const [uid, v] of before) if (!now.has(uid)) bump(v);
    return [...counts].map(([node, count]) => ({ link: `api-node:${node}` as const, count }));
  }
}
