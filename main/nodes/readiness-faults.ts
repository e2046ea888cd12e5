// The one-click "fail readiness probe" of a pod, done by the pod's node agent: PUT /faults/readiness/<uid>/<container>
// makes its prober fail that container's readiness probe attempts (every probe type alike, the probe itself not run)
// until DELETE restores it; the kubelet's thresholds, Unhealthy events, Ready=False, the endpoints and kube-proxy rules
// follow as for any failing probe. Kept here per pod so the UI can show it and a heal (of the pod or its node) undoes it.
import type { Pod } from '../api/types';
import type { PodFaultState } from '../api/faults';
import { agentRequest, type AgentEndpoint } from '../protocol/agent-connection';

const AGENT_TIMEOUT_MS = 15_000;

interface Failing { namespace: string; name: string; uid: string; node: string; containers: Set<string> }

/** An agent's refusal, with its HTTP code (404: no such pod or container there, 409: no readiness probe). */
export class AgentRefusal extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

function statusMessage(body: string): string {
  try {
    const s = JSON.parse(body) as { message?: unknown };
    if (typeof s.message === 'string') return s.message;
  } catch { /* not a Status */ }
  return body.trim() || 'no message';
}

export class ReadinessFaults {
  private readonly failing = new Map<string, Failing>();

  constructor(private readonly agents: AgentEndpoint) {}

  private async ask(node: string, method: 'PUT' | 'DELETE', uid: string, container: string): Promise<void> {
    const r = await agentRequest(this.agents, node, method, `/faults/readiness/${encodeURIComponent(uid)}/${encodeURIComponent(container)}`, undefined, AGENT_TIMEOUT_MS);
    if (r.status !== 200) throw new AgentRefusal(r.status === 404 || r.status === 409 ? r.status : 502, `the agent of node ${node}: ${statusMessage(r.body)}`);
  }

  /** The container to fail: the one named, else the first with a readiness probe; undefined when there is none. */
  static container(pod: Pod, named?: string): string | undefined {
    const all = pod.spec?.containers ?? [];
    if (named) return named;
    return all.find((c) => c.readinessProbe)?.name;
  }

  async fail(pod: Pod, node: string, container: string): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const namespace = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    await this.ask(node, 'PUT', uid, container);
    const key = `${namespace}/${name}`;
    const f = this.failing.get(key);
    if (f?.uid === uid) f.containers.add(container);
    else this.failing.set(key, { namespace, name, uid, node, containers: new Set([container]) });
  }

  state(namespace: string, name: string): PodFaultState {
    const f = this.failing.get(`${namespace}/${name}`);
    return { namespace, name, active: [...(f?.containers ?? [])].map((container) => ({ fault: 'fail-readiness' as const, container })) };
  }

  /** Restores the pod's failed readiness probes; returns the containers restored. A pod gone from its node counts as restored. */
  async heal(namespace: string, name: string): Promise<string[]> {
    const key = `${namespace}/${name}`;
    const f = this.failing.get(key);
    if (!f) return [];
    const restored: string[] = [];
    for (const c of [...f.containers]) {
      await this.ask(f.node, 'DELETE', f.uid, c).catch((e: unknown) => { if (!(e instanceof AgentRefusal && e.code === 404)) throw e; });
      f.containers.delete(c);
      restored.push(c);
    }
    this.failing.delete(key);
    return restored;
  }

  /** The pods of a node with failed readiness probes (a node's heal restores them too). */
  onNode(node: string): Array<{ namespace: string; name: string }> {
    return [...this.failing.values()].filter((f) => f.node === node).map(({ namespace, name }) => ({ namespace, name }));
  }

  /** Every failure restored, best effort (the node manager stopping; an agent that is gone has forgotten them anyway). */
  async cleanup(log?: (line: string) => void): Promise<void> {
    for (const f of [...this.failing.values()]) {
      await this.heal(f.namespace, f.name).catch((e: unknown) => log?.(`faults: restoring readiness of ${f.namespace}/${f.name}: ${e instanceof Error ? e.message : String(e)}`));
    }
    this.failing.clear();
  }
}
