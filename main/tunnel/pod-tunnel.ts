// Connections to a pod's port from the control-plane process, on any provider: the node agent's port-forward
// WebSocket (GET /portForward/<ns>/<pod>?port=N through the node's dialer — an SSH channel for VMs and sandbox nodes
// alike), seen as a byte stream. An empty message is a half-close both ways, as the agent speaks it. HTTP requests
// go through one keep-alive http.Agent per pod and port, so a browser's requests reuse their tunnels.
import * as http from 'node:http';
import { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { agentWebSocket, asSocket, type AgentEndpoint } from '../protocol/agent-connection';
import { rawBuffer } from '../protocol/ws-data';
import type { Target } from './endpoints';

/** A port-forward WebSocket as a Duplex (it arrives paused from agentWebSocket). */
export class TunnelStream extends Duplex {
  constructor(private readonly ws: WebSocket) {
    super({ allowHalfOpen: true });
    ws.on('message', (raw: RawData) => {
      const d = rawBuffer(raw);
      if (d.length === 0) { this.push(null); return; }
      if (!this.push(d)) ws.pause();
    });
    ws.on('close', () => { this.push(null); this.destroy(); });
    ws.on('error', (e: Error) => this.destroy(e));
  }

  override _read(): void {
    this.ws.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (this.ws.readyState !== this.ws.OPEN) { cb(new Error('the tunnel to the pod is closed')); return; }
    this.ws.send(chunk, cb);
  }

  override _final(cb: (e?: Error | null) => void): void {
    if (this.ws.readyState !== this.ws.OPEN) { cb(); return; }
    this.ws.send(Buffer.alloc(0), cb);
  }

  override _destroy(err: Error | null, cb: (e: Error | null) => void): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(1000);
    cb(err);
  }
}

/** Opens a byte stream to the target pod's port through its node's agent. */
export async function dialPod(ep: AgentEndpoint, t: Target): Promise<TunnelStream> {
  const path = `/portForward/${encodeURIComponent(t.namespace)}/${encodeURIComponent(t.pod)}?port=${t.port}`;
  return new TunnelStream(await agentWebSocket(ep, t.node, path, []));
}

/** Opens a byte stream to a pod's port: through the node agents here; for other clusters, pods/portforward over the API. */
export type PodDialer = (t: Target) => Promise<Duplex>;

/** The dialer through the node agents' port-forward WebSocket. */
export function agentDialer(ep: AgentEndpoint): PodDialer {
  return (t) => dialPod(ep, t);
}

/** A keep-alive http.Agent whose connections are tunnels to one pod's port. */
class PodAgent extends http.Agent {
  constructor(private readonly ep: AgentEndpoint, private readonly target: Target) {
    super({ keepAlive: true, maxSockets: 32, maxFreeSockets: 8 });
  }

  override createConnection(_o: unknown, oncreate?: (err: Error | null, socket: Socket) => void): undefined {
    dialPod(this.ep, this.target).then(
      (s) => oncreate?.(null, asSocket(s)),
      (e: unknown) => oncreate?.(e instanceof Error ? e : new Error(String(e)), new Socket()),
    );
    return undefined;
  }
}

const agentKey = (t: Target): string => `${t.namespace}/${t.pod}:${t.port}@${t.node}`;

/** The http.Agents by pod and port; agents of pods no longer targeted are destroyed by `retain`. */
export class PodAgents {
  private readonly agents = new Map<string, PodAgent>();

  constructor(private readonly ep: AgentEndpoint) {}

  get(t: Target): http.Agent {
    const key = agentKey(t);
    let a = this.agents.get(key);
    if (!a) this.agents.set(key, (a = new PodAgent(this.ep, t)));
    return a;
  }

  /** Destroys the agents (and their idle tunnels) of targets not in `live`. */
  retain(live: readonly Target[]): void {
    const keep = new Set(live.map(agentKey));
    for (const [key, a] of this.agents) if (!keep.has(key)) { a.destroy(); this.agents.delete(key); }
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }
}
