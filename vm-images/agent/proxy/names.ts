// Chain names the way kube-proxy derives them: sha256 of the service port name (+ protocol
// [+ endpoint]), base32 (RFC 4648 standard alphabet), first 16 characters, behind a prefix.
import { createHash } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 of the first bytes of `data`, enough for `chars` characters (no padding needed). */
export function base32Prefix(data: Uint8Array, chars: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of data) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >> (bits - 5)) & 31];
      bits -= 5;
      if (out.length === chars) return out;
    }
  }
  if (bits > 0 && out.length < chars) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

// Names are recomputed on every sync for every endpoint: remember them (bounded).
const memo = new Map<string, string>();
const MEMO_LIMIT = 200_000;

function hash16(text: string): string {
  let h = memo.get(text);
  if (h === undefined) {
    h = base32Prefix(createHash('sha256').update(text).digest(), 16);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(text, h);
  }
  return h;
}

/** `namespace/name:port`, or `namespace/name` for an unnamed port (proxy.ServicePortName.String()). */
export function servicePortName(namespace: string, name: string, port: string): string {
  return port === '' ? `${namespace}/${name}` : `${namespace}/${name}:${port}`;
}

/** KUBE-SVC-<hash(servicePortName + protocol)>; protocol in lower case as kube-proxy uses it. */
export function serviceChainName(svcPortName: string, protocol: string): string {
  return `KUBE-SVC-${hash16(svcPortName + protocol.toLowerCase())}`;
}

/** KUBE-EXT-<same hash>: external (NodePort) traffic entry point for a service port. */
export function externalChainName(svcPortName: string, protocol: string): string {
  return `KUBE-EXT-${hash16(svcPortName + protocol.toLowerCase())}`;
}

/** KUBE-SVL-<same hash>: the service port's local endpoints only (traffic policy Local). */
export function localChainName(svcPortName: string, protocol: string): string {
  return `KUBE-SVL-${hash16(svcPortName + protocol.toLowerCase())}`;
}

/** KUBE-SEP-<hash(servicePortName + protocol + "ip:port")>. */
export function endpointChainName(svcPortName: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${hash16(svcPortName + protocol.toLowerCase() + endpoint)}`;
}

/** Per-service chains kube-proxy may create; any chain with these prefixes is ours to delete. */
export const SERVICE_CHAIN_PREFIXES = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-EXT-', 'KUBE-FW-', 'KUBE-SEP-'] as const;

export function isServiceChain(chain: string): boolean {
  return SERVICE_CHAIN_PREFIXES.some((p) => chain.startsWith(p));
}

/** "%0.10f" of 1/n, as kube-proxy formats the statistic-match probability. */
export function probability(n: number): string {
  return (1 / n).toFixed(10);
}
