// A pod's whole journey: the control plane's spans (its own buffer) and those of every node's agent
// (GET /traces/<uid> through the same dialer the pod streams use), as one list in time order. A node
// whose agent does not answer is named, not fatal: the journey shows what could be gathered.
import { agentRequest, type AgentEndpoint } from '../agent-connection';
import type { PodSpanBuffer } from './pod-span-buffer';
import { parseSpanRecords, type SpanRecord } from './span-record';

const AGENT_TIMEOUT_MS = 5000;

export interface CollectedSpans {
  spans: SpanRecord[];
  /** Nodes whose agents could not be asked, with why. */
  unreachable: Array<{ node: string; message: string }>;
}

export async function collectPodSpans(
  uid: string, local: PodSpanBuffer | undefined, agents: AgentEndpoint | undefined, nodes: readonly string[],
): Promise<CollectedSpans> {
  const spans = local ? local.spans(uid) : [];
  const unreachable: CollectedSpans['unreachable'] = [];
  if (agents) {
    await Promise.all(nodes.map(async (node) => {
      try {
        const r = await agentRequest(agents, node, 'GET', `/traces/${encodeURIComponent(uid)}`, undefined, AGENT_TIMEOUT_MS);
        if (r.status !== 200) throw new Error(`the agent answered ${r.status}`);
        spans.push(...parseSpanRecords(JSON.parse(r.body)));
      } catch (e) {
        unreachable.push({ node, message: e instanceof Error ? e.message : String(e) });
      }
    }));
  }
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  return { spans, unreachable };
}
