// RFC 3339 timestamps of API objects as numbers (pure; shared by the API server and the UI).

/** Milliseconds since the epoch of an RFC 3339 timestamp, or undefined when absent/unparseable (Go's zero time). */
export function parseTimestamp(ts: string | undefined | null): number | undefined {
  if (!ts) return undefined;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? undefined : t;
}

/** A time as Kubernetes writes metav1.Time: RFC 3339 in UTC, whole seconds (now by default). */
export function rfc3339Seconds(d = new Date()): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}
