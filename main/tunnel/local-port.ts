// Which port on the host a forward listens on: the one asked for, or — for "Open" — the target's own port when it
// is unprivileged (a Service on 8080 opens on 127.0.0.1:8080), 8000 + it otherwise (80 → 8080), else the next
// free ones, else any. A port that cannot be had is refused with a free one to try instead.
import { freePort, portIsFree } from '../protocol/free-port';

/** A forward refused, as the bridge reports it: an HTTP-style code and reason, and a sentence. */
export class ForwardRefused extends Error {
  constructor(readonly code: number, readonly reason: string, message: string) {
    super(message);
  }
}

/** The first port the host would try for a target port. */
export function preferredLocalPort(targetPort: number): number {
  return targetPort >= 1024 ? targetPort : 8000 + targetPort;
}

const TRIES = 10;

/** `from` and the next few ports, for a first free one. */
export function nearbyPorts(from: number): number[] {
  const out: number[] = [];
  for (let p = from; p < from + TRIES && p <= 65535; p++) out.push(p);
  return out;
}

/** A free port near `port` (or any free one), skipping `held`, for a refusal's suggestion. */
export async function suggestPort(port: number, host: string, held: ReadonlySet<number>): Promise<number> {
  for (const p of nearbyPorts(Math.max(port + 1, 1024))) if (!held.has(p) && await portIsFree(p, host)) return p;
  return freePort(host);
}

/** The refusal for a listen error on a chosen port, naming a free port to use instead. */
export async function refusal(e: unknown, port: number, host: string, held: ReadonlySet<number>, holder?: string): Promise<ForwardRefused> {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const instead = await suggestPort(port, host, held);
  if (holder) return new ForwardRefused(409, 'AlreadyExists', `port ${port} on ${host} is already forwarded to ${holder}; port ${instead} is free`);
  if (code === 'EADDRINUSE') return new ForwardRefused(409, 'Conflict', `port ${port} on ${host} is already in use by another program; port ${instead} is free`);
  if (code === 'EACCES') return new ForwardRefused(403, 'Forbidden', `port ${port} on ${host} needs privileges this process lacks; port ${instead} is free`);
  return new ForwardRefused(500, 'InternalError', `cannot listen on ${host}:${port}: ${e instanceof Error ? e.message : String(e)}`);
}
