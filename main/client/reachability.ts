// Tells waiters when a server that refused or dropped connections takes them again. A client whose server went away
// (the agent's watches while the control plane restarts and its SSH tunnel is re-made) retries on a back-off that has
// grown to seconds by the time the server is back; with this, one TCP connect at a time probes the server (every
// 100 ms for the first 10 s of an outage, then every second) and every waiter retries as soon as one gets through.
// Only for connection-level failures: an HTTP error means the server is there, and its back-off stands.
import * as net from 'node:net';

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/** Whether `err` says the server could not be reached or dropped the connection (not an answer from it). */
export function isUnreachable(err: unknown): boolean {
  // HTTP/2 reports a failed connect as its streams' cancellation, the connect error as the cause.
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if ((code !== undefined && UNREACHABLE_CODES.has(code)) || e.message === 'socket hang up') return true;
  }
  return false;
}

export interface ReachabilityOptions {
  /** How often a refusing server is probed while its outage is young (ms), for how long (ms), and after that. */
  minMs?: number;
  fastForMs?: number;
  maxMs?: number;
  /** A probe that neither connects nor fails within this counts as failed (ms). */
  connectTimeoutMs?: number;
}

export class ReachabilityProbe {
  private readonly waiters = new Set<() => void>();
  private timer?: ReturnType<typeof setTimeout>;
  private probing = false;
  /** When the probes began failing (0: the last one got through). */
  private outageSince = 0;
  /** The delay after a wake: doubles while wakes come within 2 s of each other (connections taken, requests dropped). */
  private wakeDelayMs: number;
  private delayMs: number;
  private lastWakeAt = 0;
  /** Probes made (for tests). */
  probes = 0;

  constructor(private readonly host: string, private readonly port: number, private readonly o: ReachabilityOptions = {}) {
    this.delayMs = this.wakeDelayMs = o.minMs ?? 100;
  }

  /** Calls `cb` once, when a TCP connection to the server next succeeds; returns a disposer. */
  whenReachable(cb: () => void): () => void {
    this.waiters.add(cb);
    this.schedule();
    return () => {
      this.waiters.delete(cb);
      if (this.waiters.size === 0 && this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  private schedule(): void {
    if (this.timer || this.probing || this.waiters.size === 0) return;
    this.timer = setTimeout(() => this.probe(), this.delayMs);
    this.timer.unref?.();
  }

  private probe(): void {
    this.timer = undefined;
    this.probing = true;
    this.probes++;
    const sock = net.connect({ host: this.host, port: this.port });
    sock.unref();
    sock.setTimeout(this.o.connectTimeoutMs ?? 1000, () => sock.destroy(new Error('probe timed out')));
    const done = (ok: boolean): void => {
      sock.removeAllListeners();
      sock.on('error', () => undefined);
      sock.destroy();
      this.probing = false;
      const min = this.o.minMs ?? 100;
      const now = Date.now();
      if (ok) {
        this.outageSince = 0;
        this.wakeDelayMs = now - this.lastWakeAt < 2000 ? Math.min(this.wakeDelayMs * 2, this.o.maxMs ?? 1000) : min;
        this.delayMs = this.wakeDelayMs;
        this.lastWakeAt = now;
        const woken = [...this.waiters];
        this.waiters.clear();
        for (const w of woken) w();
      } else {
        // A refused connect costs next to nothing: probe often while the outage is young (a restart), then seldom.
        this.outageSince ||= now;
        this.delayMs = now - this.outageSince < (this.o.fastForMs ?? 10_000) ? Math.max(min, this.wakeDelayMs) : (this.o.maxMs ?? 1000);
      }
      this.schedule();
    };
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  }
}
