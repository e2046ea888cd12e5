// RFC 3339 timestamps of API objects as numbers (pure; shared by the API server and the UI).

/** Milliseconds since the epoch of an RFC 3339 timestamp, or undefined when absent/unparseable (Go's zero time). */
export function parseTimestamp(ts: string | undefined | null): number | undefined {
  if (!ts) return undefined;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? undefined : t;
}
