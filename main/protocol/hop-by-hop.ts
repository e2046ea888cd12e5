// Hop-by-hop headers (RFC 9110 §7.6.1): they belong to one connection, not to the request or answer they travel with,
// so a proxy drops them — the fixed list and whatever the Connection header names — before passing a message on. Shared
// by the API server's pods/proxy and services/proxy and the ingress proxy.
import type { IncomingHttpHeaders } from 'node:http';

export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade',
]);

const NONE: ReadonlySet<string> = new Set();

/**
 * The end-to-end headers of `h` (HTTP/2 pseudo-headers left out), less `drop`; `keep` names hop-by-hop ones that go on
 * (an upgrade's Connection and Upgrade).
 */
export function endToEndHeaders(h: IncomingHttpHeaders, drop: ReadonlySet<string> = NONE, keep: ReadonlySet<string> = NONE): Record<string, string | string[]> {
  const listed = new Set(String(h.connection ?? '').split(',').map((x) => x.trim().toLowerCase()).filter(Boolean));
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || k.startsWith(':') || drop.has(k) || (!keep.has(k) && (HOP_BY_HOP.has(k) || listed.has(k)))) continue;
    out[k] = v;
  }
  return out;
}
