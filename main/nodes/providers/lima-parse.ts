// Parsing what limactl prints: `limactl list --json` (JSON Lines, one instance per line, fields as
// in Lima's pkg/store Instance), an instance's ssh.config, and `ip -4 -j addr show` in the guest.

export type LimaStatus = 'Uninitialized' | 'Installing' | 'Broken' | 'Stopped' | 'Running' | string;

export interface LimaInstance {
  name: string;
  status: LimaStatus;
  dir: string;
  sshLocalPort: number;
  sshConfigFile: string;
  sshAddress: string;
  message: string;
  errors: string[];
  identityFile: string;
}

function str(o: Record<string, unknown>, k: string): string {
  const v = o[k];
  return typeof v === 'string' ? v : '';
}

/** Parses JSON Lines (and, defensively, a JSON array or pretty-printed objects). Bad lines are skipped. */
export function parseLimaList(text: string): LimaInstance[] {
  const objs: unknown[] = [];
  const t = text.trim();
  if (!t) return [];
  if (t.startsWith('[')) {
    try { objs.push(...(JSON.parse(t) as unknown[])); } catch { /* fall through */ }
  } else {
    for (const line of t.split('\n')) {
      const l = line.trim();
      if (!l.startsWith('{')) continue;
      try { objs.push(JSON.parse(l)); } catch { /* not one object per line */ }
    }
    if (!objs.length) {
      // Pretty-printed (TTY) output: objects separated by "}\n{".
      for (const chunk of t.split(/\n}\s*\n(?={)/)) {
        try { objs.push(JSON.parse(chunk.endsWith('}') ? chunk : `${chunk}\n}`)); } catch { /* skip */ }
      }
    }
  }
  const out: LimaInstance[] = [];
  for (const o of objs) {
    if (typeof o !== 'object' || o === null) continue;
    const r = o as Record<string, unknown>;
    const name = str(r, 'name');
    if (!name) continue;
    out.push({
      name, status: str(r, 'status') || 'Unknown', dir: str(r, 'dir'),
      sshLocalPort: typeof r.sshLocalPort === 'number' ? r.sshLocalPort : 0,
      sshConfigFile: str(r, 'sshConfigFile'), sshAddress: str(r, 'sshAddress') || '127.0.0.1',
      message: str(r, 'message'),
      errors: Array.isArray(r.errors) ? r.errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))) : [],
      identityFile: str(r, 'IdentityFile'),
    });
  }
  return out;
}

export interface SshConfigHost { hostName?: string; port?: number; user?: string; identityFiles: string[] }

/** The first Host block of an ssh.config (Lima writes one: Host lima-<name>). */
export function parseSshConfig(text: string): SshConfigHost {
  const out: SshConfigHost = { identityFiles: [] };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+)\s*=?\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1].toLowerCase();
    const val = m[2].replace(/^"(.*)"$/, '$1');
    if (key === 'hostname') out.hostName ??= val;
    else if (key === 'port') out.port ??= Number(val);
    else if (key === 'user') out.user ??= val;
    else if (key === 'identityfile') out.identityFiles.push(val);
  }
  return out;
}

interface IpAddrInfo { family?: string; local?: string; prefixlen?: number }
interface IpLink { ifname?: string; addr_info?: IpAddrInfo[] }

/**
 * The guest's address on the inter-VM network from `ip -4 -j addr show`: the preferred interface
 * (eth1 / lima0: the user-v2 network), else the first non-loopback address outside Lima's
 * host-only user-mode network 192.168.5.0/24.
 */
export function guestIPFromIpJson(text: string, preferred: string[] = ['eth1', 'lima0']): string | undefined {
  let links: IpLink[];
  try { links = JSON.parse(text) as IpLink[]; } catch { return undefined; }
  if (!Array.isArray(links)) return undefined;
  const v4 = (l: IpLink): string | undefined => l.addr_info?.find((a) => a.family === 'inet' && a.local)?.local;
  for (const name of preferred) {
    const l = links.find((x) => x.ifname === name);
    const a = l && v4(l);
    if (a) return a;
  }
  for (const l of links) {
    const a = v4(l);
    if (a && l.ifname !== 'lo' && !a.startsWith('127.') && !a.startsWith('192.168.5.')) return a;
  }
  return undefined;
}
