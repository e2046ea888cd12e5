// The kubelet's /containerLogs query (= pods/log options): follow, tailLines, sinceSeconds|sinceTime,
// timestamps, previous, limitBytes. Invalid values are reported as Kubernetes words them.

export interface LogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  /** Only the last N entries (undefined: all). */
  tailLines?: number;
  /** Only entries at or after this time (ms since the epoch). */
  sinceMs?: number;
  /** Stop after this many bytes of output. */
  limitBytes?: number;
}

export class LogOptionsError extends Error {}

function bool(q: URLSearchParams, k: string): boolean {
  const v = q.get(k);
  return v !== null && v !== 'false' && v !== '0';
}

function int(q: URLSearchParams, k: string, min: number): number | undefined {
  const v = q.get(k);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new LogOptionsError(`invalid value for ${k}: ${JSON.stringify(v)}`);
  if (n < min) throw new LogOptionsError(`${k}: Invalid value: ${n}: must be greater than or equal to ${min}`);
  return n;
}

export function parseLogOptions(q: URLSearchParams, now = Date.now()): LogOptions {
  const sinceSeconds = int(q, 'sinceSeconds', 1);
  const sinceTime = q.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime) throw new LogOptionsError('at most one of sinceTime or sinceSeconds may be specified');
  let sinceMs: number | undefined;
  if (sinceSeconds !== undefined) sinceMs = now - sinceSeconds * 1000;
  else if (sinceTime) {
    sinceMs = Date.parse(sinceTime);
    if (Number.isNaN(sinceMs)) throw new LogOptionsError(`invalid value for sinceTime: ${JSON.stringify(sinceTime)}`);
  }
  return {
    follow: bool(q, 'follow'),
    previous: bool(q, 'previous'),
    timestamps: bool(q, 'timestamps'),
    tailLines: int(q, 'tailLines', 0),
    sinceMs,
    limitBytes: int(q, 'limitBytes', 1),
  };
}
