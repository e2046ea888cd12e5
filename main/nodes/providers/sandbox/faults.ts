// One-click failures inside one sandbox node, done from the host: a node service (the agent, containerd) killed with its
// supervisor so it stays down, the node's disk filled to the kubelet's eviction threshold, a container's task killed
// through the node's containerd. Processes are found by their pid files and checked to be this node's (its cgroup, the
// supervisor's command line) before any signal: shims of different nodes look alike.
import * as fs from 'node:fs';
import { mustRun } from '../../exec';
import { NODE } from '../../node-paths';
import { nodePids } from './cgroup';
import { hostPathOf, type SandboxNodeState } from './node-state';

/** The file the disk fill writes, in the node's /var/lib/flotilla (where the agent measures nodefs). */
export const FILL_FILE = `${NODE.libDir}/flotilla-fault-fill`;
/** The kubelet's nodefs.available hard eviction threshold is 10 %: the fill leaves a little less. */
const FILL_TO_AVAILABLE = 0.09;
/** Above this the fill is refused on a node without a disk of its own (older nodes): its disk is the host's. */
export const FILL_LIMIT_BYTES = 4 * 2 ** 30;

/** Where a path inside the node is on the host. */
function onHost(dataDir: string, s: SandboxNodeState, nodePath: string): string {
  const p = hostPathOf(dataDir, s.name, nodePath);
  if (!p) throw new Error(`${nodePath} is not under a directory of node ${s.name}`);
  return p;
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

function children(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * SIGKILLs a node service's supervisor, then what it ran (so nothing restarts it): the agent or containerd stays down until
 * healed. Returns false when the service was not running.
 */
export function killNodeService(dataDir: string, s: SandboxNodeState, service: 'agent' | 'containerd'): boolean {
  const pidFile = onHost(dataDir, s, `${NODE.runDir}/${service}.pid`);
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  } catch {
    return false;
  }
  const ours = new Set(nodePids(s.cgroup));
  if (!Number.isInteger(pid) || !ours.has(pid) || !cmdline(pid).includes(`supervise ${service} `)) return false;
  const runs = children(pid).filter((c) => ours.has(c));
  process.kill(pid, 'SIGKILL');
  for (const c of runs) {
    try {
      process.kill(c, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  return true;
}

/** The host path of the fill file. */
export function fillFilePath(dataDir: string, s: SandboxNodeState): string {
  return onHost(dataDir, s, FILL_FILE);
}

/** How many bytes bring the node's filesystem under the eviction threshold (0: it is already there). */
export function bytesToFill(dataDir: string, s: SandboxNodeState): number {
  const st = fs.statfsSync(onHost(dataDir, s, NODE.libDir));
  return Math.max(0, Math.ceil((st.bavail - FILL_TO_AVAILABLE * st.blocks) * st.bsize));
}

/**
 * Fills the node's disk to just under 10 % available with one preallocated file; on an older node whose disk is the
 * host's, refuses a fill above FILL_LIMIT_BYTES.
 */
export async function fillDisk(dataDir: string, s: SandboxNodeState, limitBytes = FILL_LIMIT_BYTES): Promise<number> {
  const need = bytesToFill(dataDir, s);
  const gib = (n: number) => `${(n / 2 ** 30).toFixed(1)} GiB`;
  // A node with its own disk (disk.ts) is filled with unwritten extents: the host's free space is not at stake.
  if (s.diskGiB === undefined && need > limitBytes) {
    throw new Error(`node ${s.name}'s disk is the host's filesystem: filling it to the eviction threshold would take ${gib(need)}, more than the ${gib(limitBytes)} Flotilla allows`);
  }
  const file = fillFilePath(dataDir, s);
  if (need > 0) await mustRun(['fallocate', '-l', String(need), file]);
  return need;
}

/** Removes the fill file (nothing to do when there is none). */
export function unfillDisk(dataDir: string, s: SandboxNodeState): boolean {
  const file = fillFilePath(dataDir, s);
  if (!fs.existsSync(file)) return false;
  fs.rmSync(file, { force: true });
  return true;
}

/** SIGKILLs a container's task through the node's containerd (the id without its `containerd://`). */
export async function killContainerTask(dataDir: string, s: SandboxNodeState, containerId: string): Promise<void> {
  if (!/^[0-9a-f]{12,64}$/.test(containerId)) throw new Error(`"${containerId}" is not a containerd container id`);
  const socket = onHost(dataDir, s, NODE.containerdSocket);
  await mustRun(['ctr', '--address', socket, '--namespace', 'k8s.io', 'tasks', 'kill', '--signal', 'SIGKILL', containerId]);
}
