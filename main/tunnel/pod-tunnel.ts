// Connections to a pod's port from the control-plane process, on any provider, through the node agent's port-forward
// WebSocket (main/protocol/pod-port-stream.ts). HTTP requests go through one keep-alive http.Agent per pod and port,
// so a browser's requests reuse their tunnels.
import * as http from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { asSocket, type AgentEndpoint } from '../protocol/agent-connection';
import { dialPodPort, type PodPortStream } from '../protocol/pod-port-stream';
import type { Target } from './endpoints';

/** Opens a byte stream to the target pod's port through its node's agent. */
export function dialPod(ep: AgentEndpoint, t: Target): Promise<PodPortStream> {
  return dialPodPort(ep, t.node, t.namespace, t.pod, t.port);
}

/** Opens a byte stream to a pod's port: through the node agents here; for other clusters, pods/portforward over the API. */
export type PodDialer = (t: Target) => Promise<Duplex>;

/** The dialer through the node agents' port-forward WebSocket. */
export function agentDialer(ep: AgentEndpoint): PodDialer {
  return (t) => dialPod(ep, t);
}

/**
 * How long a tunnel of a PodAgent may sit idle in its pool: at most this, and a second less than the pod's server
 * announces (`Keep-Alive: timeout=5` from Node's: 4 s), so that the proxy, not the pod, closes it — a request sent into a
 * connection the pod is closing that moment would fail.
 */
export const POD_IDLE_TUNNEL_MS = 60_000;

/** A layer over each tunnel of a PodAgent (TLS to the pod), told apart from others by `key`. */
export interface TunnelLayer {
  key: string;
  wrap(tunnel: Duplex): Promise<Socket>;
}

/** A keep-alive http.Agent whose connections are tunnels to one pod's port (with TLS over them when `layer` says so). */
class PodAgent extends http.Agent {
  constructor(private readonly ep: AgentEndpoint, private readonly target: Target, private readonly layer?: TunnelLayer) {
    super({ keepAlive: true, maxSockets: 32, maxFreeSockets: 8, timeout: POD_IDLE_TUNNEL_MS });
  }

  override createConnection(_o: unknown, oncreate?: (err: Error | null, socket: Socket) => void): undefined {
    const failed = (e: unknown): void => oncreate?.(e instanceof Error ? e : new Error(String(e)), new Socket());
    dialPod(this.ep, this.target).then(
      (s) => {
        // An HTTP connection is not half-open: once the pod ends its side (a server closing an idle keep-alive
        // connection), ours ends too, as a net.Socket's without allowHalfOpen does. The agent then closes the tunnel and
        // the http.Agent drops it from its free sockets instead of sending the next request into it.
        s.once('end', () => s.end());
        if (!this.layer) { oncreate?.(null, asSocket(s)); return; }
        this.layer.wrap(s).then((secured) => oncreate?.(null, secured), failed);
      },
      failed,
    );
    return undefined;
  }
}

const agentKey = (t: Target): string => `${t.namespace}/${t.pod}:${t.port}@${t.node}`;

/**
 * How long an agent under a TLS layer that no request has asked for is kept: a layer is replaced when its policy
 * changes (another CA, hostname or SANs), and past its tunnels' idle timeout nothing is pooled in the old one.
 */
export const UNUSED_LAYER_MS = 2 * POD_IDLE_TUNNEL_MS;

interface Pooled { agent: PodAgent; target: string; used: number }

const inUse = (a: http.Agent): boolean => Object.keys(a.sockets).length > 0 || Object.keys(a.requests).length > 0;

/**
 * The http.Agents by pod and port (and TLS layer); agents of pods no longer targeted are destroyed by `retain`, and
 * those of layers no request has used for UNUSED_LAYER_MS when another agent is made.
 */
export class PodAgents {
  private readonly agents = new Map<string, Pooled>();

  constructor(private readonly ep: AgentEndpoint, private readonly now: () => number = Date.now) {}

  get(t: Target, layer?: TunnelLayer): http.Agent {
    const target = agentKey(t);
    const key = layer ? `${target} ${layer.key}` : target;
    let p = this.agents.get(key);
    if (!p) {
      this.dropUnusedLayers();
      this.agents.set(key, (p = { agent: new PodAgent(this.ep, t, layer), target, used: 0 }));
    }
    p.used = this.now();
    return p.agent;
  }

  /** Destroys the agents (and their idle tunnels) of targets not in `live`. */
  retain(live: readonly Target[]): void {
    const keep = new Set(live.map(agentKey));
    this.drop((_key, p) => !keep.has(p.target));
    this.dropUnusedLayers();
  }

  private dropUnusedLayers(): void {
    const before = this.now() - UNUSED_LAYER_MS;
    this.drop((key, p) => key !== p.target && p.used < before && !inUse(p.agent));
  }

  private drop(gone: (key: string, p: Pooled) => boolean): void {
    for (const [key, p] of this.agents) if (gone(key, p)) { p.agent.destroy(); this.agents.delete(key); }
  }

  close(): void {
    for (const p of this.agents.values()) p.agent.destroy();
    this.agents.clear();
  }
}
