// Pod streams (logs, exec, port-forward) for the API server, proxied to node agents.
// Wiring: attachPodStreams(core, { dial: nodeManager.dialAgent, serverToken: (n) => nodeManager.agentToken(n) }).
import type { ApiContext } from '../context';
import type { AgentEndpoint } from '../../protocol/agent-connection';
import { createPodStreamBackend, type PodStreams } from './backend';

export type { AgentEndpoint, NodeDialer } from '../../protocol/agent-connection';
export { createPodStreamBackend, type PodStreams } from './backend';

/** Sets core.ctx.pods; returns a disposer that unsets it and ends open streams. */
export function attachPodStreams(core: { ctx: ApiContext }, ep: AgentEndpoint): () => void {
  const backend: PodStreams = createPodStreamBackend(ep);
  core.ctx.pods = backend;
  return () => {
    if (core.ctx.pods === backend) core.ctx.pods = undefined;
    backend.close();
  };
}
