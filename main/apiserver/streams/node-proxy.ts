// nodes/proxy (GET /api/v1/nodes/<node>/proxy/<path>): kube-apiserver's proxy to the node's kubelet, here the node's
// agent through its tunnel. The agent's answer (status, content type, body) is passed on as it comes, as the API server's
// proxy does. Only the kubelet's read-only endpoints the agent has are reachable: /metrics, /metrics/resource, /metrics/cadvisor,
// /metrics/probes, /healthz, /stats/summary, /pods and /configz; any other path answers as the kubelet's mux does for a
// path it does not serve: 404 "404 page not found".
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AgentEndpoint } from '../../protocol/agent-connection';
import { agentGet } from '../../protocol/agent-connection';
import { nodeUnreachable } from './agent-errors';

/** The kubelet's paths the agent serves alike (its other routes are Flotilla's own, not reachable through the proxy). */
const PROXIED = new Set(['/metrics', '/metrics/resource', '/metrics/probes', '/metrics/cadvisor', '/healthz', '/stats/summary', '/pods', '/pods/', '/configz']);

/** The path after `/proxy` in a nodes/proxy request path ("/" when there is none). */
export function nodeProxyPath(requestPath: string): string {
  const m = /^\/api\/v1\/nodes\/[^/]+\/proxy(\/.*)?$/.exec(requestPath);
  return m?.[1] || '/';
}

/** Go's http.NotFound, as the kubelet answers a path it has no handler for. */
function kubeletNotFound(res: ServerResponse): void {
  const body = '404 page not found\n';
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export async function proxyNode(ep: AgentEndpoint, node: string, path: string, query: URLSearchParams, res: ServerResponse): Promise<void> {
  if (!PROXIED.has(path)) {
    kubeletNotFound(res);
    return;
  }
  const q = query.toString();
  let upstream: { res: IncomingMessage; req: { destroy(): void } };
  try {
    upstream = await agentGet(ep, node, `${path}${q ? `?${q}` : ''}`);
  } catch (e) {
    throw nodeUnreachable(node, e);
  }
  const ares = upstream.res;
  const headers: Record<string, string> = {};
  const type = ares.headers['content-type'];
  if (type) headers['Content-Type'] = type;
  res.writeHead(ares.statusCode ?? 502, headers);
  res.on('close', () => upstream.req.destroy());
  await new Promise<void>((resolve) => {
    ares.on('data', (d: Buffer) => { if (!res.write(d)) { ares.pause(); res.once('drain', () => ares.resume()); } });
    ares.on('end', () => { res.end(); resolve(); });
    ares.on('error', () => { res.destroy(); resolve(); });
    ares.on('close', () => { if (!res.writableEnded) res.end(); resolve(); });
  });
}
