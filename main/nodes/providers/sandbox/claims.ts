// The host-wide register of sandbox networks: one file per data dir's bridge under
// /var/lib/flotilla-sandboxes/ saying which data dir uses which bridge, subnet and name prefix, so a
// new data dir never picks the network of another one whose nodes are stopped (or whose control
// plane is not running). Changes happen under a lock file; a claim whose data dir no longer has the
// same saved config is stale and dropped; `down` releases its data dir's claim with its nodes.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CLAIMS_DIR = '/var/lib/flotilla-sandboxes';
const LOCK = '.lock';
/** A lock older than this was left by a process that died while holding it. */
const STALE_LOCK_MS = 10_000;
const LOCK_WAIT_MS = 5_000;

export interface Claim {
  dataDir: string;
  bridge: string;
  subnet: string;
  prefix: string;
}

function isClaim(v: unknown): v is Claim {
  const o = v as Record<string, unknown> | null;
  return !!o && ['dataDir', 'bridge', 'subnet', 'prefix'].every((k) => typeof o[k] === 'string');
}

function claimFile(bridge: string): string {
  return path.join(CLAIMS_DIR, `${bridge}.json`);
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs fn holding the register's lock (held for milliseconds: a few file reads and writes). */
export function withClaimsLock<T>(fn: () => T): T {
  fs.mkdirSync(CLAIMS_DIR, { recursive: true, mode: 0o755 });
  const lock = path.join(CLAIMS_DIR, LOCK);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    try {
      const holder = Number(fs.readFileSync(lock, 'utf8').trim());
      if (!alive(holder) || Date.now() - fs.statSync(lock).mtimeMs > STALE_LOCK_MS) fs.rmSync(lock, { force: true });
    } catch { /* released meanwhile */ }
    if (Date.now() > deadline) throw new Error(`the sandbox network register ${CLAIMS_DIR} stays locked (${lock})`);
    pause(10);
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/** Every claim in the register (call under the lock when acting on it). */
export function listClaims(): Claim[] {
  let names: string[];
  try { names = fs.readdirSync(CLAIMS_DIR).filter((n) => n.endsWith('.json')); } catch { return []; }
  const out: Claim[] = [];
  for (const n of names) {
    try {
      const c: unknown = JSON.parse(fs.readFileSync(path.join(CLAIMS_DIR, n), 'utf8'));
      if (isClaim(c)) out.push(c);
    } catch { /* removed meanwhile, or not ours */ }
  }
  return out;
}

/** Drops the claims `live` rejects (their data dir is gone or uses another network now). Under the lock. */
export function pruneClaims(live: (c: Claim) => boolean): void {
  for (const c of listClaims()) if (!live(c)) fs.rmSync(claimFile(c.bridge), { force: true });
}

/** Records that dataDir uses this network (replacing its own older claim of the bridge). Under the lock. */
export function writeClaim(c: Claim): void {
  fs.writeFileSync(claimFile(c.bridge), JSON.stringify(c, null, 2));
}

/** Drops dataDir's claim of the bridge, if it holds it (`down`: its nodes are gone). Under the lock. */
export function releaseClaim(dataDir: string, bridge: string): void {
  const mine = listClaims().find((c) => c.bridge === bridge && path.resolve(c.dataDir) === path.resolve(dataDir));
  if (mine) fs.rmSync(claimFile(bridge), { force: true });
}
