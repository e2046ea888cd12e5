// The kubelet's atomic writer (pkg/volume/util/atomic_writer.go): a volume's files live in a
// timestamped directory `..<YYYY_MM_DD_hh_mm_ss>.<random>`; `..data` is a symlink to it, swapped with one
// rename; the user-visible top-level names are symlinks into `..data`. A reader sees the old set or the
// new set of files, never a mix. Nothing is written when the content is unchanged (modes are not
// compared, as in Kubernetes).
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/** One file of a volume: its bytes, mode, and (the token file for a runAsUser) its owner. */
export interface FileProjection { data: Buffer; mode: number; fsUser?: number }
/** Relative path → file. */
export type Payload = Map<string, FileProjection>;

export const DATA_DIR = '..data';
const DATA_TMP = '..data_tmp';

/** The payload's paths as the kubelet accepts them: relative, no `..` element, not starting with `..`. */
export function validatePayloadPath(p: string): string | undefined {
  if (p === '') return 'invalid path: must not be empty';
  if (p.startsWith('/')) return `invalid path: must be relative path: ${p}`;
  if (p.split('/').includes('..')) return `invalid path: must not contain '..': ${p}`;
  if (p.startsWith('..')) return `invalid path: must not start with '..': ${p}`;
  return undefined;
}

function two(n: number): string { return String(n).padStart(2, '0'); }

/** `..2006_01_02_15_04_05.` as Go formats it (UTC here). */
export function timestampPrefix(d = new Date()): string {
  return `..${d.getUTCFullYear()}_${two(d.getUTCMonth() + 1)}_${two(d.getUTCDate())}_${two(d.getUTCHours())}_${two(d.getUTCMinutes())}_${two(d.getUTCSeconds())}.`;
}

function readTarget(link: string): string | undefined {
  try { return readlinkSync(link); } catch { return undefined; }
}

function exists(p: string): boolean {
  try { lstatSync(p); return true; } catch { return false; }
}

/** Files under dir, relative, recursively. */
function filesUnder(dir: string, prefix = ''): string[] {
  let entries;
  try { entries = readdirSync(join(dir, prefix), { withFileTypes: true }); } catch { return []; }
  return entries.flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? filesUnder(dir, rel) : [rel];
  });
}

function sameContent(oldDir: string | undefined, payload: Payload): boolean {
  if (!oldDir) return false;
  const existing = filesUnder(oldDir);
  if (existing.length !== payload.size) return false;
  for (const [p, f] of payload) {
    try {
      if (!readFileSync(join(oldDir, p)).equals(f.data)) return false;
    } catch { return false; }
  }
  return true;
}

function topLevel(paths: Iterable<string>): Set<string> {
  return new Set([...paths].map((p) => p.split('/')[0] ?? p));
}

/**
 * Writes `payload` into `targetDir` (which must exist) atomically; returns whether anything changed.
 * Throws on an invalid path (nothing is written then).
 */
export function writeAtomic(targetDir: string, input: Payload): boolean {
  const payload: Payload = new Map();
  for (const [p, f] of input) {
    const bad = validatePayloadPath(p);
    if (bad) throw new Error(bad);
    payload.set(normalize(p), f);
  }
  const dataLink = join(targetDir, DATA_DIR);
  const oldName = readTarget(dataLink);
  const oldDir = oldName ? join(targetDir, oldName) : undefined;
  const wanted = topLevel(payload.keys());
  if (sameContent(oldDir, payload)) {
    createUserVisible(targetDir, wanted);
    return false;
  }
  const tsDir = mkdtempSync(join(targetDir, timestampPrefix()));
  chmodSync(tsDir, 0o755);
  for (const [p, f] of payload) {
    const file = join(tsDir, p);
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
    writeFileSync(file, f.data, { mode: f.mode });
    chmodSync(file, f.mode); // the umask may have taken bits away
    if (f.fsUser !== undefined) chownSync(file, f.fsUser, -1);
  }
  const tmpLink = join(targetDir, DATA_TMP);
  rmSync(tmpLink, { force: true });
  symlinkSync(tsDir.slice(targetDir.length + 1), tmpLink);
  renameSync(tmpLink, dataLink);
  createUserVisible(targetDir, wanted);
  // Names the new payload no longer has: their symlinks go.
  const previous = oldDir ? topLevel(filesUnder(oldDir)) : new Set<string>();
  for (const name of previous) if (!wanted.has(name)) rmSync(join(targetDir, name), { force: true });
  if (oldDir) rmSync(oldDir, { recursive: true, force: true });
  return true;
}

function createUserVisible(targetDir: string, names: Set<string>): void {
  for (const name of names) {
    const link = join(targetDir, name);
    if (!exists(link)) symlinkSync(join(DATA_DIR, name), link);
  }
}
