// Host-side setup shared by every sandbox node of a data dir: the bridge (with the host's address
// .1), the node mountpoints every sandbox node binds over, and, only when the host's FORWARD policy
// drops, an own iptables chain accepting the bridge. teardownSandboxHost() undoes it all.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { mustRun, runCmd } from '../../exec';
import { gatewayIP, type SandboxConfig } from './config';

/**
 * Paths inside a node that get per-node directories bound over them. On the host they are only
 * empty mountpoints, created once like a package's directories (never removed: another data dir's
 * nodes may be using them as mountpoints in their own mount namespaces).
 */
export const NODE_BIND_TARGETS = [
  '/var/lib/containerd', '/run/containerd', '/var/lib/cni', '/etc/cni/net.d', '/etc/flotilla',
  '/var/log/pods', '/var/lib/flotilla', '/var/log/flotilla', '/root',
] as const;

export function forwardChain(c: SandboxConfig): string {
  return `${c.prefix.toUpperCase()}-FWD-${c.bridge}`.slice(0, 28);
}

/** A link of this network namespace, from sysfs (no `ip` process). */
export function linkExists(name: string): boolean {
  return fs.existsSync(`/sys/class/net/${name}`);
}

/** IFF_UP in the link's flags. */
function linkUp(name: string): boolean {
  try {
    return (Number.parseInt(fs.readFileSync(`/sys/class/net/${name}/flags`, 'utf8'), 16) & 1) === 1;
  } catch {
    return false;
  }
}

async function forwardPolicyDrops(): Promise<boolean> {
  const r = await runCmd(['iptables', '-w', '-S', 'FORWARD']);
  return r.code === 0 && /^-P FORWARD (DROP|REJECT)/m.test(r.stdout);
}

const setups = new Map<string, Promise<void>>();

/**
 * Idempotent and safe to call concurrently: calls while a bridge's setup runs share that setup (nodes booting
 * together wait for one), a later call checks again; tolerant of other processes.
 */
export function ensureSandboxHost(c: SandboxConfig): Promise<void> {
  const running = setups.get(c.bridge);
  if (running) return running;
  const setup = setupHost(c).finally(() => setups.delete(c.bridge));
  setups.set(c.bridge, setup);
  return setup;
}

async function setupHost(c: SandboxConfig): Promise<void> {
  for (const d of NODE_BIND_TARGETS) fs.mkdirSync(d, { recursive: true });
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege-separation dir
  if (!linkExists(c.bridge)) {
    const r = await runCmd(['ip', 'link', 'add', c.bridge, 'type', 'bridge']);
    if (r.code !== 0 && !/File exists/.test(r.stderr)) throw new Error(`creating bridge ${c.bridge}: ${r.stderr.trim()}`);
  }
  const gateway = gatewayIP(c);
  // Node lists the addresses of running links only: a bridge with no port yet is asked again (`File exists` is fine).
  const addressed = (os.networkInterfaces()[c.bridge] ?? []).some((a) => a.family === 'IPv4' && a.cidr === `${gateway}/24`);
  if (!addressed) {
    const r = await runCmd(['ip', 'addr', 'add', `${gateway}/24`, 'dev', c.bridge]);
    if (r.code !== 0 && !/File exists|already assigned/.test(r.stderr)) throw new Error(`addressing bridge ${c.bridge}: ${r.stderr.trim()}`);
  }
  if (!linkUp(c.bridge)) await mustRun(['ip', 'link', 'set', c.bridge, 'up']);
  if (await forwardPolicyDrops()) await ensureForwardAccept(c);
}

async function ensureForwardAccept(c: SandboxConfig): Promise<void> {
  const chain = forwardChain(c);
  if ((await runCmd(['iptables', '-w', '-S', chain])).code !== 0) {
    const r = await runCmd(['iptables', '-w', '-N', chain]);
    if (r.code !== 0 && !/already exists/.test(r.stderr)) throw new Error(`iptables -N ${chain}: ${r.stderr.trim()}`);
    await mustRun(['iptables', '-w', '-F', chain]);
    await mustRun(['iptables', '-w', '-A', chain, '-i', c.bridge, '-j', 'ACCEPT']);
    await mustRun(['iptables', '-w', '-A', chain, '-o', c.bridge, '-j', 'ACCEPT']);
  }
  if ((await runCmd(['iptables', '-w', '-C', 'FORWARD', '-j', chain])).code !== 0) {
    await mustRun(['iptables', '-w', '-I', 'FORWARD', '1', '-j', chain]);
  }
}

/** Links enslaved to the bridge (the veths of nodes on it). */
async function portsOf(bridge: string): Promise<string[]> {
  const r = await runCmd(['ip', '-o', 'link', 'show', 'master', bridge]);
  return r.code !== 0 ? [] : r.stdout.split('\n').map((l) => (l.split(': ')[1] ?? '').split('@')[0] ?? '').filter(Boolean);
}

/**
 * Removes the bridge and the forward chain (if any). This data dir's nodes must be gone already: a
 * bridge that still carries links (another data dir's nodes, when two share a bridge set by hand) is
 * left in place, with the forward chain, and reported.
 */
export async function teardownSandboxHost(c: SandboxConfig): Promise<void> {
  if (linkExists(c.bridge)) {
    const ports = await portsOf(c.bridge);
    if (ports.length) throw new Error(`bridge ${c.bridge} left in place: it still carries ${ports.join(', ')}, not nodes of this data dir`);
    await mustRun(['ip', 'link', 'del', c.bridge]);
  }
  const chain = forwardChain(c);
  while ((await runCmd(['iptables', '-w', '-D', 'FORWARD', '-j', chain])).code === 0) { /* remove every jump */ }
  if ((await runCmd(['iptables', '-w', '-S', chain])).code === 0) {
    await mustRun(['iptables', '-w', '-F', chain]);
    await mustRun(['iptables', '-w', '-X', chain]);
  }
}
