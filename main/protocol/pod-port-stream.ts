// A byte stream to a pod's port from the control-plane process, on any provider: the node agent's port-forward
// WebSocket (GET /portForward/<ns>/<pod>?port=N through the node's dialer — an SSH channel for VMs and sandbox nodes
// alike), seen as a Duplex. An empty message is a half-close both ways, as the agent speaks it. Used by the ingress
// proxy, the localhost load balancer and the UI's port forwards (main/tunnel) and by the API server's pods/proxy and
// services/proxy.
import { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { agentWebSocket, type AgentEndpoint } from './agent-connection';
import { rawBuffer } from './ws-data';

/** A port-forward WebSocket as a Duplex (it arrives paused from agentWebSocket). */
export class PodPortStream extends Duplex {
  private idleMs = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly ws: WebSocket) {
    super({ allowHalfOpen: true });
    ws.on('message', (raw: RawData) => {
      this.active();
      const d = rawBuffer(raw);
      if (d.length === 0) { this.push(null); return; }
      if (!this.push(d)) ws.pause();
    });
    // The pod's side closed: what it sent is still read to the end, then the stream goes ('end' first, so that a
    // response delimited by the close is whole, not "aborted").
    ws.on('close', () => {
      this.push(null);
      if (this.readableEnded) this.destroy();
      else this.once('end', () => this.destroy());
    });
    ws.on('error', (e: Error) => this.destroy(e));
  }

  /**
   * As net.Socket's: 'timeout' after `ms` without bytes either way (0: never), the stream left open. An http.Agent
   * closes its idle connections with it (its `timeout`, shortened to what a server's Keep-Alive header announces).
   */
  setTimeout(ms: number, onTimeout?: () => void): this {
    this.idleMs = ms;
    clearTimeout(this.idleTimer);
    this.idleTimer = ms > 0 && !this.destroyed ? setTimeout(() => this.emit('timeout'), ms).unref() : undefined;
    if (onTimeout) this.once('timeout', onTimeout);
    return this;
  }

  get timeout(): number {
    return this.idleMs;
  }

  /** Bytes went one way: the idle timer (if any) starts again. */
  private active(): void {
    this.idleTimer?.refresh();
  }

  override _read(): void {
    this.ws.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (this.ws.readyState !== this.ws.OPEN) { cb(new Error('the tunnel to the pod is closed')); return; }
    this.active();
    this.ws.send(chunk, cb);
  }

  override _final(cb: (e?: Error | null) => void): void {
    if (this.ws.readyState !== this.ws.OPEN) { cb(); return; }
    this.ws.send(Buffer.alloc(0), cb);
  }

  override _destroy(err: Error | null, cb: (e: Error | null) => void): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(1000);
    cb(err);
  }
}

/** Opens a byte stream to port `port` of pod `namespace/pod` through the agent of its node. */
export async function dialPodPort(ep: AgentEndpoint, node: string, namespace: string, pod: string, port: number): Promise<PodPortStream> {
  const path = `/portForward/${encodeURIComponent(namespace)}/${encodeURIComponent(pod)}?port=${port}`;
  return new PodPortStream(await agentWebSocket(ep, node, path, []));
}
