// Boots, halts and destroys one sandbox node (the recipe in DESIGN.md "Facts established"):
// a network namespace on the bridge, persisted mount and UTS namespaces entered with nsenter,
// per-node directories (on the node's own disk, disk.ts) bound over the node's paths, sysfs remounted for the node's network, and a
// supervised sshd — all started detached inside the node's cgroup so they outlive the control plane.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { mustRun, runCmd } from '../../exec';
import { pollUntil } from '../../../protocol/poll';
import { gatewayIP, type SandboxConfig } from './config';
import { createNodeCgroup, joinCgroupScript, killNodeCgroup, nodePids, removeNodeCgroup } from './cgroup';
import { applyNodeLimits } from './cgroup-limits';
import { ensureSandboxHost, linkExists, NODE_BIND_TARGETS } from './host';
import { prepareNodeDisk, releaseNodeDisk } from './disk';
import { hostPathFor, nodeDirs, type SandboxNodeState } from './node-state';
import { ForeignNodeError, nodeOwner } from './ownership';
import { NODE_SSHD_CONFIG } from './sshd';
import { shellQuote } from '../../shell-quote';

const q = shellQuote;

function mountPoints(): Array<{ target: string; source: string; opt: string }> {
  return fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean).map((l) => {
    const f = l.split(' ');
    return { target: (f[4] ?? '').replace(/\\040/g, ' '), source: f[3] ?? '', opt: f[6] ?? '' };
  });
}

/** Mounts at or under dir (host view), deepest first. */
export function mountsUnder(dir: string): string[] {
  return mountPoints().map((m) => m.target).filter((t) => t === dir || t.startsWith(`${dir}/`)).sort((a, b) => b.length - a.length);
}

async function netnsExists(ns: string): Promise<boolean> {
  return fs.existsSync(`/run/netns/${ns}`);
}

/**
 * Is this data dir's node running (its namespace there and processes in its cgroup), whether sshd answers or not? What
 * a node's state is: a connect to its sshd is no test of that on a busy host (a short timeout can pass before the
 * answer is read), and a running node is never to be taken for a stopped one.
 */
export async function nodeRunning(dataDir: string, s: SandboxNodeState): Promise<boolean> {
  return (await netnsExists(s.netns)) && nodeOwner(dataDir, s) === 'ours' && nodePids(s.cgroup).length > 0;
}

export function tcpOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (ok: boolean): void => { sock.destroy(); resolve(ok); };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

export function macFor(ip: string): string {
  return ['0a', '58', ...ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0'))].join(':');
}

async function createNetwork(c: SandboxConfig, s: SandboxNodeState): Promise<void> {
  await mustRun(['ip', '-batch', '-'], {
    input: [
      `netns add ${s.netns}`,
      // The node's MAC follows from its IP (0a:58 + the 4 address bytes, as pod interfaces do): a node
      // re-created with the same IP keeps the same MAC, so neighbours' ARP caches stay right.
      `link add ${s.veth} type veth peer name eth0 address ${macFor(s.ip)} netns ${s.netns}`,
      `link set ${s.veth} master ${c.bridge}`,
      `link set ${s.veth} up`,
    ].join('\n') + '\n',
  });
  await mustRun(['ip', '-n', s.netns, '-batch', '-'], {
    input: [
      'link set lo up',
      `addr add ${s.ip}/24 dev eth0`,
      'link set eth0 up',
      `route add default via ${gatewayIP(c)}`,
    ].join('\n') + '\n',
  });
}

/** The node's /etc/hosts, in its /etc/flotilla (a per-node directory), bound over /etc/hosts inside the node. */
const NODE_HOSTS_FILE = '/etc/flotilla/hosts';

/** The host's /etc/hosts plus the name nodes reach the host by (host.flotilla.internal: the bridge's gateway). */
function writeNodeEtcHosts(dataDir: string, c: SandboxConfig, s: SandboxNodeState): void {
  let hosts = '';
  try { hosts = fs.readFileSync('/etc/hosts', 'utf8'); } catch { hosts = '127.0.0.1\tlocalhost\n'; }
  const own = hosts.split('\n').filter((l) => !/\shost\.flotilla\.internal(\s|$)/.test(l)).join('\n').replace(/\n*$/, '\n');
  fs.writeFileSync(path.join(hostPathFor(dataDir, s.name, '/etc/flotilla'), 'hosts'), `${own}${gatewayIP(c)}\thost.flotilla.internal\n`);
}

/** Shell that runs inside the fresh mount + UTS namespaces: hostname, binds, sysfs of the node's network. */
function setupScript(dataDir: string, s: SandboxNodeState): string {
  const d = nodeDirs(dataDir, s.name);
  const binds = NODE_BIND_TARGETS.map((t) => `mount --bind ${q(hostPathFor(dataDir, s.name, t))} ${q(t)}`);
  return [
    'set -e',
    `hostname ${q(s.name)}`,
    ...binds,
    // The node's own /etc/hosts (the host's entries plus host.flotilla.internal), written at boot by nodeEtcHosts().
    `mount --bind ${q(NODE_HOSTS_FILE)} /etc/hosts`,
    // sysfs must come from inside the node's network namespace (/sys/class/net), but keep the cgroup mounts.
    `mount --rbind /sys/fs/cgroup ${q(d.cgTmp)}`,
    'mount -t sysfs sysfs /sys',
    `mount --move ${q(d.cgTmp)} /sys/fs/cgroup`,
  ].join('\n');
}

/** nsenter argv entering the node's network, mount and UTS namespaces. */
export function enterArgv(dataDir: string, s: SandboxNodeState): string[] {
  const d = nodeDirs(dataDir, s.name);
  return ['nsenter', `--net=/run/netns/${s.netns}`, `--mount=${d.mntFile}`, `--uts=${d.utsFile}`, '--wd=/'];
}

async function createNamespaces(dataDir: string, s: SandboxNodeState): Promise<void> {
  const d = nodeDirs(dataDir, s.name);
  fs.mkdirSync(d.ns, { recursive: true });
  fs.mkdirSync(d.cgTmp, { recursive: true });
  // unshare --mount=FILE needs FILE on a private (non-shared) mount: bound and made private by one mount(8) (util-linux
  // applies the propagation flag after the bind), one process fewer at a node's start.
  if (!mountsUnder(d.ns).includes(d.ns)) await mustRun(['mount', '--bind', '--make-private', d.ns, d.ns]);
  fs.writeFileSync(d.mntFile, '');
  fs.writeFileSync(d.utsFile, '');
  await mustRun(['nsenter', `--net=/run/netns/${s.netns}`, 'unshare', `--mount=${d.mntFile}`, `--uts=${d.utsFile}`, '--propagation', 'private', 'sh', '-c', setupScript(dataDir, s)]);
}

/** Starts sshd, restarted whenever it exits, detached in the node's cgroup and namespaces. */
function startSshd(dataDir: string, s: SandboxNodeState): void {
  const d = nodeDirs(dataDir, s.name);
  fs.mkdirSync(d.log, { recursive: true });
  const loop = `while :; do /usr/sbin/sshd -D -e -f ${NODE_SSHD_CONFIG}; sleep 1; done`;
  const script = `${joinCgroupScript(s.cgroup)}\nexec ${enterArgv(dataDir, s).map(q).join(' ')} /bin/sh -c ${q(loop)}`;
  const log = fs.openSync(path.join(d.log, 'sshd.log'), 'a');
  const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  child.on('error', () => undefined);
  child.unref();
}

/**
 * Brings the node up (idempotent: a running node is left alone, a half-made one is rebuilt). A node whose namespace
 * and processes are there is running — its pods may be serving — and is never rebuilt because its sshd was slow to
 * answer (a control plane starting on a busy host can hold its event loop past a short connect timeout): it is waited
 * for, and if it never answers the start fails with the node left as it is.
 */
export async function bootNode(dataDir: string, c: SandboxConfig, s: SandboxNodeState, timeoutMs = 30_000): Promise<void> {
  if (await nodeRunning(dataDir, s)) {
    await ensureSandboxHost(c);
    await pollUntil(() => tcpOpen(s.ip, 22, 1000), timeoutMs, `sshd of the running node ${s.name} on ${s.ip}:22 (the node is left running)`);
    return;
  }
  // What a half-made node left goes; its disk stays mounted (mounted again at once otherwise: a new node's, just made).
  await haltNode(dataDir, s, { keepDisk: true });
  await ensureSandboxHost(c);
  if (s.diskGiB !== undefined) await prepareNodeDisk(dataDir, s.name, s.diskGiB);
  for (const t of NODE_BIND_TARGETS) fs.mkdirSync(hostPathFor(dataDir, s.name, t), { recursive: true, mode: t === '/root' ? 0o700 : 0o755 });
  // Like /run on a real machine: no pid files survive a boot.
  const runFiles = path.join(hostPathFor(dataDir, s.name, '/var/lib/flotilla'), 'run');
  fs.rmSync(runFiles, { recursive: true, force: true });
  fs.mkdirSync(runFiles, { recursive: true });
  // /run/containerd is a tmpfs on a real machine: empty at every boot.
  const runDir = hostPathFor(dataDir, s.name, '/run/containerd');
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  createNodeCgroup(s.cgroup);
  applyNodeLimits(s.cgroup, { cpus: s.cpus, memoryBytes: s.memoryMiB !== undefined ? s.memoryMiB * 2 ** 20 : undefined });
  await createNetwork(c, s);
  writeNodeEtcHosts(dataDir, c, s);
  await createNamespaces(dataDir, s);
  startSshd(dataDir, s);
  const logFile = path.join(nodeDirs(dataDir, s.name).log, 'sshd.log');
  await pollUntil(async () => {
    if (await tcpOpen(s.ip, 22, 200)) return true;
    if (nodePids(s.cgroup).length === 0) {
      const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
      throw new Error(`sshd of node ${s.name} did not start${tail ? `: ${tail}` : ''}`);
    }
    return false;
  }, timeoutMs, `sshd of node ${s.name} on ${s.ip}:22`);
}

/**
 * Ends every process of the node and frees its namespaces; keeps its directories (a stopped node), and with
 * `keepDisk` its disk mounted (for a boot right after). Throws ForeignNodeError, touching nothing but this data dir's
 * own mounts, when the cgroup and namespace of that name run another data dir's node.
 */
export async function haltNode(dataDir: string, s: SandboxNodeState, o: { keepDisk?: boolean } = {}): Promise<void> {
  const foreign = nodeOwner(dataDir, s) === 'foreign';
  if (!foreign) await killNodeCgroup(s.cgroup);
  const d = nodeDirs(dataDir, s.name);
  for (const m of mountsUnder(d.dir)) {
    if (o.keepDisk && m === d.fs) continue;
    const r = await runCmd(['umount', m]);
    if (r.code !== 0) await mustRun(['umount', '-l', m]);
  }
  if (!o.keepDisk) await releaseNodeDisk(dataDir, s.name);
  if (foreign) throw new ForeignNodeError(s);
  if (await netnsExists(s.netns)) {
    const r = await runCmd(['ip', 'netns', 'del', s.netns]);
    if (r.code !== 0 && !/No such file/.test(r.stderr)) throw new Error(`ip netns del ${s.netns}: ${r.stderr.trim()}`);
  }
  if (linkExists(s.veth)) {
    const v = await runCmd(['ip', 'link', 'del', s.veth]);
    // The netns going (asynchronously) takes the veth with it: gone between the lookup and the delete (ENODEV).
    if (v.code !== 0 && !/Cannot find device|does not exist|No such device/.test(v.stderr)) throw new Error(`ip link del ${s.veth}: ${v.stderr.trim()}`);
  }
  await pollUntil(() => { try { removeNodeCgroup(s.cgroup); return true; } catch { return false; } }, 10_000, `cgroup ${s.cgroup} to be removable`);
}

/** Halts the node and removes its directories (another data dir's node of the same names is left alone). */
export async function destroyNode(dataDir: string, s: SandboxNodeState): Promise<void> {
  try {
    await haltNode(dataDir, s);
  } catch (e) {
    if (!(e instanceof ForeignNodeError)) throw e;
  }
  const d = nodeDirs(dataDir, s.name);
  if (mountsUnder(d.dir).length) throw new Error(`mounts left under ${d.dir}`);
  fs.rmSync(d.dir, { recursive: true, force: true });
}
