// Parsing what limactl prints: `limactl list --json` (JSON Lines on a pipe, one instance per line:
// store.FormatData = the Instance fields plus HostOS/HostArch/LimaHome/IdentityFile), the warnings
// and fatal errors it logs on stderr (logrus text format), and an instance's ssh.config.
// Fixture sources: tests/fixtures/providers/README.md.

/** Uninitialized | Installing | Broken | Stopped | Running (Lima's store.Status). */
export type LimaStatus = string;

export interface LimaInstance {
  name: string;
  status: LimaStatus;
  dir: string;
  sshLocalPort: number;
  sshConfigFile: string;
  sshAddress: string;
  message: string;
  /** The instance's errors in words (from the JSON where it has them, else from limactl's warnings). */
  errors: string[];
  identityFile: string;
}

function str(o: Record<string, unknown>, k: string): string {
  const v = o[k];
  return typeof v === 'string' ? v : '';
}

const ERRNO_TEXT: Record<number, string> = { 2: 'no such file or directory', 13: 'permission denied' };

/**
 * One element of `errors`. Lima marshals Go error values: a string only where Instance.MarshalJSON
 * (v2.0+) is used; `limactl list` marshals FormatData, so an *fs.PathError comes out as
 * {"Op","Path","Err":<errno>} and errors.New/fmt.Errorf values as {} (which 2.x's yq pass deletes).
 */
function errorText(e: unknown): string {
  if (typeof e === 'string') return e;
  if (typeof e !== 'object' || e === null) return '';
  const o = e as Record<string, unknown>;
  if (typeof o.Op === 'string' && typeof o.Path === 'string') {
    const errno = typeof o.Err === 'number' ? (ERRNO_TEXT[o.Err] ?? `errno ${o.Err}`) : '';
    return `${o.Op} ${o.Path}${errno ? `: ${errno}` : ''}`;
  }
  return '';
}

/** Parses `limactl list --json` read through a pipe: one JSON object per line; other lines are skipped. */
export function parseLimaList(text: string): LimaInstance[] {
  const out: LimaInstance[] = [];
  for (const line of text.split('\n')) {
    const l = line.trim();
    if (!l.startsWith('{')) continue;
    let r: Record<string, unknown>;
    try { r = JSON.parse(l) as Record<string, unknown>; } catch { continue; }
    const name = str(r, 'name');
    if (!name) continue;
    out.push({
      name, status: str(r, 'status') || 'Unknown', dir: str(r, 'dir'),
      sshLocalPort: typeof r.sshLocalPort === 'number' ? r.sshLocalPort : 0,
      sshConfigFile: str(r, 'sshConfigFile'), sshAddress: str(r, 'sshAddress') || '127.0.0.1',
      message: str(r, 'message'),
      errors: Array.isArray(r.errors) ? r.errors.map(errorText).filter(Boolean) : [],
      identityFile: str(r, 'IdentityFile'),
    });
  }
  return out;
}

/** The key=value pairs of one logrus text-format line (values bare or Go-quoted). */
export function logfmt(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    let v = m[2];
    if (v.startsWith('"')) {
      try { v = JSON.parse(v) as string; } catch { v = v.slice(1, -1); }
    }
    out[m[1]] = v;
  }
  return out;
}

/**
 * What limactl's stderr says about instances, by name: the warning `instance "N" has errors`
 * (v1.x quotes the name with "…", v2.x with `…`) with its errors="[…]" field, and the fatal
 * `unable to load instance N: …` with which `limactl list` before 2.2 stops.
 */
export function parseLimaStderr(stderr: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stderr.split('\n')) {
    const f = logfmt(line);
    const msg = f.msg ?? '';
    const warned = /^instance ["`](.+)["`] has errors$/.exec(msg);
    if (warned) { out.set(warned[1], (f.errors ?? '').replace(/^\[(.*)\]$/s, '$1') || 'Lima reports errors for this instance'); continue; }
    const fatal = /^unable to load instance (\S+): (.*)$/s.exec(msg);
    if (fatal) out.set(fatal[1], fatal[2]);
  }
  return out;
}

/** The last fatal or error message of limactl's stderr, else its last line. */
export function limaFailure(stderr: string): string {
  const lines = stderr.trim().split('\n').filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    const f = logfmt(lines[i]);
    if ((f.level === 'fatal' || f.level === 'error') && f.msg) return f.msg;
  }
  return lines.at(-1) ?? '';
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
