// Tells waiters when a server that refused or dropped connections takes them again. A client whose server went away
// (the agent's watches while the control plane restarts and its SSH tunnel is re-made) retries on a back-off that has
// grown to seconds by the time the server is back; with this, one TCP connect at a time probes the server (every
// 100 ms at first, doubling to 1 s) and every waiter retries as soon as one gets through. Only for connection-level
// failures: an HTTP error means the server is there, and its back-off stands.
import * as net from 'node:net';

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/** Whether `err` says the server could not be reached or dropped the connection (not an answer from it). */
export function isUnreachable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  return (code !== undefined && UNREACHABLE_CODES.has(code)) || err.message === 'socket hang up';
}

export interface ReachabilityOptions {
  /** The first probe's delay and the cap it doubles to (ms). */
  minMs?: number;
  maxMs?: number;
  /** A probe that neither connects nor fails within this counts as failed (ms). */
  connectTimeoutMs?: number;
}

export class ReachabilityProbe {
  private readonly waiters = new Set<() => void>();
  private timer?: ReturnType<typeof setTimeout>;
  private probing = false;
  private delayMs: number;
  private lastWakeAt = 0;
  /** Probes made (for tests). */
  probes = 0;

  constructor(private readonly host: string, private readonly port: number, private readonly o: ReachabilityOptions = {}) {
    this.delayMs = o.minMs ?? 100;
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
      const max = this.o.maxMs ?? 1000;
      if (ok) {
        // Woken again soon after the last wake: the server takes connections but drops requests; slow down.
        const now = Date.now();
        this.delayMs = now - this.lastWakeAt < 2000 ? Math.min(this.delayMs * 2, max) : (this.o.minMs ?? 100);
        this.lastWakeAt = now;
        const woken = [...this.waiters];
        this.waiters.clear();
        for (const w of woken) w();
      } else {
        this.delayMs = Math.min(this.delayMs * 2, max);
      }
      this.schedule();
    };
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  }
}
