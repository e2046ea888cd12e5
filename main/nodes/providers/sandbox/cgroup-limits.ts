// A sandbox node's size: the Machine's cpus and memoryMiB as limits on the node's cgroup, in every
// hierarchy that has the controller — cgroup v1 (cpu.cfs_quota_us over cpu.cfs_period_us,
// memory.limit_in_bytes) and v2 (cpu.max, memory.max). The agent reads the same files back as the
// Node's capacity (vm-images/agent/node/capacity.ts), so the scheduler and the cgroup agree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hierarchies } from './cgroup';

export interface NodeLimits {
  /** CPUs (cores of CFS bandwidth). */
  cpus?: number;
  memoryBytes?: number;
}

const DEFAULT_PERIOD_US = 100_000;

function readNum(file: string): number | undefined {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isFinite(n) && n > 0 ? n : undefined;
  } catch { return undefined; }
}

/** v2: the cpu and memory controllers must be enabled in the parent for the node's cpu.max/memory.max to exist. */
function enableV2Controllers(parent: string): void {
  let available: string[];
  let enabled: string[];
  try {
    available = fs.readFileSync(path.join(parent, 'cgroup.controllers'), 'utf8').trim().split(/\s+/);
    enabled = fs.readFileSync(path.join(parent, 'cgroup.subtree_control'), 'utf8').trim().split(/\s+/);
  } catch { return; }
  for (const c of ['cpu', 'memory']) {
    if (!available.includes(c) || enabled.includes(c)) continue;
    try { fs.writeFileSync(path.join(parent, 'cgroup.subtree_control'), `+${c}`); } catch { /* the controller is busy elsewhere: no limit from v2 */ }
  }
}

/** Writes the limits into the (existing, still empty) node cgroup; throws when no hierarchy could take one of them. */
export function applyNodeLimits(name: string, limits: NodeLimits): void {
  const done = { cpu: limits.cpus === undefined, memory: limits.memoryBytes === undefined };
  for (const h of hierarchies()) {
    const dir = path.join(h, name);
    if (fs.existsSync(path.join(h, 'cgroup.subtree_control'))) enableV2Controllers(h);
    if (limits.cpus !== undefined) {
      if (fs.existsSync(path.join(dir, 'cpu.cfs_quota_us'))) {
        const period = readNum(path.join(dir, 'cpu.cfs_period_us')) ?? DEFAULT_PERIOD_US;
        fs.writeFileSync(path.join(dir, 'cpu.cfs_quota_us'), String(Math.round(limits.cpus * period)));
        done.cpu = true;
      } else if (fs.existsSync(path.join(dir, 'cpu.max'))) {
        fs.writeFileSync(path.join(dir, 'cpu.max'), `${Math.round(limits.cpus * DEFAULT_PERIOD_US)} ${DEFAULT_PERIOD_US}`);
        done.cpu = true;
      }
    }
    if (limits.memoryBytes !== undefined) {
      if (fs.existsSync(path.join(dir, 'memory.limit_in_bytes'))) {
        fs.writeFileSync(path.join(dir, 'memory.limit_in_bytes'), String(limits.memoryBytes));
        done.memory = true;
      } else if (fs.existsSync(path.join(dir, 'memory.max'))) {
        fs.writeFileSync(path.join(dir, 'memory.max'), String(limits.memoryBytes));
        done.memory = true;
      }
    }
  }
  const missing = [...(done.cpu ? [] : ['cpu']), ...(done.memory ? [] : ['memory'])];
  if (missing.length) throw new Error(`cannot limit sandbox node cgroup ${name}: no ${missing.join(' or ')} controller on this host`);
}
