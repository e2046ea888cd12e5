// A cgroup per sandbox node, in every hierarchy (cgroup v1 controllers and the unified v2 tree),
// so that ending a node ends every process it ever started (containerd, shims, pods, sshd, agent),
// found by cgroup and never by name. Works on pure v2, pure v1 and hybrid hosts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pollUntil } from '../../../protocol/poll';

const ROOT = '/sys/fs/cgroup';

/** Directories of the hierarchies under which the node cgroup lives (absolute, without the node part). */
export function hierarchies(): string[] {
  if (fs.existsSync(path.join(ROOT, 'cgroup.controllers'))) return [ROOT]; // pure v2
  const out: string[] = [];
  for (const e of fs.readdirSync(ROOT)) {
    const dir = path.join(ROOT, e);
    try {
      if (fs.lstatSync(dir).isSymbolicLink()) continue; // cpu,cpuacct aliases
      if (fs.existsSync(path.join(dir, 'cgroup.procs'))) out.push(dir);
    } catch { /* raced */ }
  }
  return out;
}

function unifiedRoot(): string | undefined {
  if (fs.existsSync(path.join(ROOT, 'cgroup.controllers'))) return ROOT;
  const u = path.join(ROOT, 'unified');
  return fs.existsSync(path.join(u, 'cgroup.controllers')) ? u : undefined;
}

/** Creates the node cgroup (e.g. "flotilla-node-1") everywhere; v1 cpuset gets its parent's cpus/mems. */
export function createNodeCgroup(name: string): void {
  for (const h of hierarchies()) {
    const dir = path.join(h, name);
    fs.mkdirSync(dir, { recursive: true });
    for (const f of ['cpuset.cpus', 'cpuset.mems']) {
      const own = path.join(dir, f);
      if (!fs.existsSync(own) || path.basename(h) !== 'cpuset') continue;
      if (fs.readFileSync(own, 'utf8').trim() === '') fs.writeFileSync(own, fs.readFileSync(path.join(h, f), 'utf8').trim());
    }
  }
}

/** Shell lines that move the running shell ($$) into the node cgroup in every hierarchy. */
export function joinCgroupScript(name: string): string {
  return hierarchies().map((h) => `echo $$ > ${JSON.stringify(path.join(h, name, 'cgroup.procs'))}`).join('\n');
}

function procsUnder(dir: string): number[] {
  const pids: number[] = [];
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    try {
      for (const l of fs.readFileSync(path.join(d, 'cgroup.procs'), 'utf8').split('\n')) if (l) pids.push(Number(l));
    } catch { /* gone */ }
    for (const e of entries) if (e.isDirectory()) walk(path.join(d, e.name));
  };
  walk(dir);
  return pids;
}

/** Every PID in the node cgroup (any hierarchy, any depth). */
export function nodePids(name: string): number[] {
  const all = new Set<number>();
  for (const h of hierarchies()) for (const p of procsUnder(path.join(h, name))) all.add(p);
  return [...all];
}

export function cgroupExists(name: string): boolean {
  return hierarchies().some((h) => fs.existsSync(path.join(h, name)));
}

function killAllIn(name: string): void {
  const u = unifiedRoot();
  const killFile = u ? path.join(u, name, 'cgroup.kill') : undefined;
  if (killFile && fs.existsSync(killFile)) {
    fs.writeFileSync(killFile, '1');
  }
  // v1 fallback (and for anything that escaped the unified tree): freeze, kill every PID, thaw.
  const freezer = path.join(ROOT, 'freezer', name, 'freezer.state');
  const canFreeze = fs.existsSync(freezer);
  if (canFreeze) { try { fs.writeFileSync(freezer, 'FROZEN'); } catch { /* best effort */ } }
  for (const pid of nodePids(name)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  if (canFreeze) { try { fs.writeFileSync(freezer, 'THAWED'); } catch { /* best effort */ } }
}

/** Kills every process of the node and waits until its cgroups are empty. */
export async function killNodeCgroup(name: string, timeoutMs = 15_000): Promise<void> {
  if (!cgroupExists(name)) return;
  killAllIn(name);
  await pollUntil(() => {
    const left = nodePids(name);
    if (left.length === 0) return true;
    killAllIn(name);
    return false;
  }, timeoutMs, `the processes of cgroup ${name} to exit`);
}

function rmTree(dir: string): void {
  let entries: fs.Dirent[];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
  for (const e of entries) if (e.isDirectory()) rmTree(path.join(dir, e.name));
  fs.rmdirSync(dir);
}

/** Removes the (empty) node cgroup everywhere, deepest first. */
export function removeNodeCgroup(name: string): void {
  const errors: string[] = [];
  for (const h of hierarchies()) {
    const dir = path.join(h, name);
    if (!fs.existsSync(dir)) continue;
    try { rmTree(dir); } catch (e) { errors.push(`${dir}: ${e instanceof Error ? e.message : String(e)}`); }
  }
  if (errors.length) throw new Error(`could not remove cgroup ${name}: ${errors.join('; ')}`);
}
