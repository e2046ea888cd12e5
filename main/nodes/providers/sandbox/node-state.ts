// A sandbox node's host-side state: D/sandbox/nodes/<name>/ with node.json (its address and names),
// ns/ (the persisted mount and UTS namespaces), fs/<dir> (bound over the node's paths; fs/ is the mount point of the
// node's own disk, disk.img) and log/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { sandboxDir, subnetBase, type SandboxConfig } from './config';
import { NODE_BIND_TARGETS } from './host';
import { listVmStates } from '../qemu/vm-state';

export interface SandboxNodeState {
  name: string;
  ip: string;
  netns: string;
  cgroup: string;
  veth: string;
  /** The node's sshd host key, public half (OpenSSH line). */
  hostKey: string;
  /** The Machine's size, enforced as the node cgroup's limits (absent on nodes made before sizes were honoured). */
  cpus?: number;
  memoryMiB?: number;
  /** The size of the node's own disk (disk.ts); absent on nodes made before they had one (their disk is the host's). */
  diskGiB?: number;
}

export interface NodeDirs {
  dir: string;
  stateFile: string;
  ns: string;
  mntFile: string;
  utsFile: string;
  fs: string;
  log: string;
  cgTmp: string;
}

export function nodesDir(dataDir: string): string {
  return path.join(sandboxDir(dataDir), 'nodes');
}

export function nodeDirs(dataDir: string, name: string): NodeDirs {
  const dir = path.join(nodesDir(dataDir), name);
  const ns = path.join(dir, 'ns');
  return {
    dir, ns, stateFile: path.join(dir, 'node.json'), mntFile: path.join(ns, 'mnt'), utsFile: path.join(ns, 'uts'),
    fs: path.join(dir, 'fs'), log: path.join(dir, 'log'), cgTmp: path.join(dir, 'cgtmp'),
  };
}

/** Host directory bound over `target` inside the node: /var/lib/containerd → fs/var-lib-containerd. */
export function hostPathFor(dataDir: string, name: string, target: string): string {
  return path.join(nodeDirs(dataDir, name).fs, target.replace(/^\/+/, '').replace(/\//g, '-'));
}

/** Where a path inside the node lives on the host, when it is under one of the bound directories. */
export function hostPathOf(dataDir: string, name: string, nodePath: string): string | undefined {
  for (const t of NODE_BIND_TARGETS) {
    if (nodePath === t || nodePath.startsWith(`${t}/`)) return path.join(hostPathFor(dataDir, name, t), nodePath.slice(t.length));
  }
  return undefined;
}

export function readNodeState(dataDir: string, name: string): SandboxNodeState | undefined {
  try {
    return JSON.parse(fs.readFileSync(nodeDirs(dataDir, name).stateFile, 'utf8')) as SandboxNodeState;
  } catch {
    return undefined;
  }
}

export function listNodeStates(dataDir: string): SandboxNodeState[] {
  let names: string[];
  try { names = fs.readdirSync(nodesDir(dataDir)); } catch { return []; }
  return names.map((n) => readNodeState(dataDir, n)).filter((s): s is SandboxNodeState => s !== undefined);
}

export function vethName(c: SandboxConfig, node: string): string {
  const h = createHash('sha1').update(`${c.prefix}/${c.bridge}/${node}`).digest('hex');
  return `${c.prefix.slice(0, 8)}${h}`.slice(0, 15);
}

/** The lowest free address .2–.254 of the subnet not used by another node of this data dir (sandbox nodes and QEMU VMs share the bridge). */
export function allocateIP(dataDir: string, c: SandboxConfig): string {
  const used = new Set([...listNodeStates(dataDir), ...listVmStates(dataDir)].map((s) => s.ip));
  for (let i = 2; i < 255; i++) {
    const ip = `${subnetBase(c)}.${i}`;
    if (!used.has(ip)) return ip;
  }
  throw new Error(`no free address left in ${c.subnet}`);
}

export function writeNodeState(dataDir: string, s: SandboxNodeState): void {
  const d = nodeDirs(dataDir, s.name);
  fs.mkdirSync(d.dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(d.stateFile, JSON.stringify(s, null, 2));
}
