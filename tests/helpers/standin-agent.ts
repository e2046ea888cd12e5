// A stand-in node agent for tests of the ingress proxy without nodes: the real agent port-forward handler
// (vm-images/agent/server/port-forward.ts) behind an HTTP server whose every "pod" runs at 127.0.0.1 — so an
// EndpointSlice whose port is a local server's port makes that server a pod the proxy reaches through a real tunnel.
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { AgentEndpoint } from '../../main/protocol/agent-connection';
import type { PodLookup } from '../../vm-images/agent/server/pod-lookup';
import { portForwardWebSocketServer, servePortForward } from '../../vm-images/agent/server/port-forward';

export interface StandinAgent {
  endpoint: AgentEndpoint;
  /** Tunnels opened so far. */
  tunnels(): number;
  close(): Promise<void>;
}

export const listenLocal = (s: http.Server | net.Server): Promise<number> =>
  new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));

export const closeServer = (s: http.Server | undefined): Promise<void> => new Promise((resolve) => {
  if (!s?.listening) { resolve(); return; }
  s.close(() => resolve());
  s.closeAllConnections();
});

export async function startStandinAgent(): Promise<StandinAgent> {
  let tunnels = 0;
  const lookup = { find: (namespace: string, name: string) => ({ uid: 'u1', namespace, name, status: { phase: 'Running', podIP: '127.0.0.1' } }) };
  const wss = portForwardWebSocketServer();
  const agent = http.createServer((_req, res) => { res.statusCode = 404; res.end(); });
  agent.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://agent');
    const [, , ns, name] = url.pathname.split('/');
    tunnels++;
    void servePortForward({ lookup: lookup as unknown as PodLookup, wss }, req, socket, head, ns, name, url.searchParams);
  });
  const port = await listenLocal(agent);
  const dial = (): Promise<net.Socket> => new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
  return { endpoint: { dial, serverToken: () => 'token' }, tunnels: () => tunnels, close: () => closeServer(agent) };
}

/**
 * A Service `name` (port `servicePort`, named `portName`) whose one endpoint is 127.0.0.1:`podPort` on node n1 — with
 * the stand-in agent, the local server on that port is the Service's pod `<name>-0`. YAML, ending with a `---` line.
 */
export function localService(name: string, podPort: number, o: { namespace?: string; portName?: string; servicePort?: number } = {}): string {
  const ns = o.namespace ?? 'default';
  const portName = o.portName ?? 'http';
  return `apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${ns} }
spec: { ports: [{ name: ${portName}, port: ${o.servicePort ?? 80} }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: ${name}-1, namespace: ${ns}, labels: { kubernetes.io/service-name: ${name} } }
addressType: IPv4
ports: [{ name: ${portName}, port: ${podPort}, protocol: TCP }]
endpoints:
- { addresses: [127.0.0.1], conditions: { ready: true }, nodeName: n1, targetRef: { kind: Pod, name: ${name}-0, namespace: ${ns} } }
---
`;
}
