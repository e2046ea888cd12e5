// The node's resolver configuration (/etc/resolv.conf), read as the kubelet reads it
// (pkg/kubelet/network/dns parseResolvConf): `nameserver` lines accumulate, the last `search` and
// the last `options` line win, search domains lose a trailing dot, `#` lines are comments.
import { readFileSync } from 'node:fs';

export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  options: string[];
}

export const DEFAULT_RESOLV_CONF = '/etc/resolv.conf';

export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('#')) continue;
    const [key, ...rest] = trimmed.split(/\s+/);
    if (key === 'nameserver' && rest[0]) out.nameservers.push(rest[0]);
    else if (key === 'search') out.searches = rest.map((s) => s.replace(/\.$/, ''));
    else if (key === 'options') out.options = rest;
  }
  return out;
}

/** The file's configuration; an unreadable file is an empty one (the kubelet then fails the pod; we give it no host servers). */
export function readResolvConf(path: string): ResolvConf {
  try {
    return parseResolvConf(readFileSync(path, 'utf8'));
  } catch {
    return { nameservers: [], searches: [], options: [] };
  }
}
