// Per-data-dir settings of the sandbox provider: bridge, subnet and name prefix, chosen free on first
// use (so that data dirs, parallel clusters and test runs never collide) and persisted at
// D/sandbox/config.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listClaims, pruneClaims, withClaimsLock, writeClaim, type Claim } from './claims';
import { hostNetworkUse } from './host-network-use';

export interface SandboxConfig {
  /** Host bridge joining the nodes (≤ 15 chars). */
  bridge: string;
  /** IPv4 /24 of the nodes, e.g. 10.251.0.0/24; .1 is the host's address on the bridge. */
  subnet: string;
  /** Prefix of everything created on the host: netns, cgroups, veths, iptables chains. */
  prefix: string;
}

/** The first data dir's network: bridge flotilla0, 10.251.0.0/24, names flotilla-…. */
export const DEFAULT_SANDBOX_CONFIG: SandboxConfig = numberedSandboxConfig(0);

export function sandboxDir(dataDir: string): string {
  return path.join(dataDir, 'sandbox');
}

function check(c: SandboxConfig): SandboxConfig {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(c.bridge)) throw new Error(`sandbox bridge name "${c.bridge}" must be 1–15 letters, digits, _ . -`);
  if (!/^\d+\.\d+\.\d+\.0\/24$/.test(c.subnet)) throw new Error(`sandbox subnet "${c.subnet}" must be an IPv4 /24 (a.b.c.0/24)`);
  if (!/^[a-z0-9][a-z0-9-]{0,15}$/.test(c.prefix)) throw new Error(`sandbox name prefix "${c.prefix}" must be 1–16 lower-case letters, digits or -`);
  return c;
}

/** Network number i: flotilla0 / 10.251.0.0/24 / flotilla (the first data dir's, as always), then flotilla<i> / 10.251.<i>.0/24 / flotilla<i>. */
export function numberedSandboxConfig(i: number): SandboxConfig {
  return { bridge: `flotilla${i}`, subnet: `10.251.${i}.0/24`, prefix: i === 0 ? 'flotilla' : `flotilla${i}` };
}

function same(a: SandboxConfig, b: SandboxConfig): boolean {
  return a.bridge === b.bridge && a.subnet === b.subnet && a.prefix === b.prefix;
}

function configFile(dataDir: string): string {
  return path.join(sandboxDir(dataDir), 'config.json');
}

function hasNodes(dataDir: string): boolean {
  try { return fs.readdirSync(path.join(sandboxDir(dataDir), 'nodes')).length > 0; } catch { return false; }
}

/** A claim is live while its data dir still has that network saved. */
function claimLive(c: Claim): boolean {
  try { return same(readSandboxConfig(c.dataDir) ?? { bridge: '', subnet: '', prefix: '' }, c); } catch { return false; }
}

/**
 * The first numbered network none of whose automatically chosen parts (those not fixed by `fixed`)
 * is used by another data dir (the register) or by anything on the host.
 */
function chooseFree(dataDir: string, fixed: Partial<SandboxConfig>): SandboxConfig {
  const others = listClaims().filter((c) => path.resolve(c.dataDir) !== dataDir);
  const host = hostNetworkUse();
  for (let i = 0; i < 250; i++) {
    const auto = numberedSandboxConfig(i);
    const c = { bridge: fixed.bridge ?? auto.bridge, subnet: fixed.subnet ?? auto.subnet, prefix: fixed.prefix ?? auto.prefix };
    if (!fixed.bridge && (host.links.has(c.bridge) || others.some((o) => o.bridge === c.bridge))) continue;
    if (!fixed.subnet && (host.subnetUsed(c.subnet) || others.some((o) => o.subnet === c.subnet))) continue;
    if (!fixed.prefix && (host.prefixUsed(c.prefix) || others.some((o) => o.prefix === c.prefix))) continue;
    return check(c);
  }
  throw new Error('no free sandbox network left (bridges flotilla0–249, subnets 10.251.0–249.0/24 are all in use)');
}

/**
 * The data dir's sandbox network: the saved one; else one made of `wanted`, the environment
 * (FLOTILLA_SANDBOX_{BRIDGE,SUBNET,PREFIX}) and, for whatever neither fixes, the first bridge, subnet
 * and prefix free on this host — not used by another data dir (even one whose nodes are stopped: the
 * host-wide register in claims.ts) nor by any link, address, route, netns or cgroup. Saved and
 * registered on first use, so two data dirs never share nodes' names, addresses or bridge.
 */
export function loadSandboxConfig(dataDir: string, wanted: Partial<SandboxConfig> = {}): SandboxConfig {
  const dir = path.resolve(dataDir);
  const fixed: Partial<SandboxConfig> = {
    bridge: wanted.bridge ?? process.env.FLOTILLA_SANDBOX_BRIDGE,
    subnet: wanted.subnet ?? process.env.FLOTILLA_SANDBOX_SUBNET,
    prefix: wanted.prefix ?? process.env.FLOTILLA_SANDBOX_PREFIX,
  };
  return withClaimsLock(() => {
    pruneClaims(claimLive);
    const saved = readSandboxConfig(dir);
    if (saved) {
      const clashes = (x: { bridge: string; subnet: string; prefix: string }): boolean =>
        x.bridge === saved.bridge || x.subnet === saved.subnet || x.prefix === saved.prefix;
      const holder = listClaims().find((x) => path.resolve(x.dataDir) !== dir && clashes(x));
      if (!holder) {
        writeClaim({ dataDir: dir, ...saved });
        return saved;
      }
      // Two data dirs made before networks were chosen free both saved the same one. One with no
      // nodes yet simply takes a free network; one with nodes cannot move them (their addresses).
      if (hasNodes(dir)) {
        throw new Error(`data dir ${dir} and data dir ${holder.dataDir} are both set up for sandbox network ${saved.bridge} (${saved.subnet}, names ${saved.prefix}-…): `
          + `run \`flotilla down --data-dir ${dir}\`, remove ${configFile(dir)} and start again to get a network of its own`);
      }
    }
    const c = chooseFree(dir, fixed);
    fs.mkdirSync(sandboxDir(dir), { recursive: true, mode: 0o700 });
    fs.writeFileSync(configFile(dir), JSON.stringify(c, null, 2));
    // A bridge fixed by hand to another data dir's is the user's choice; its claim stays the other's.
    if (!listClaims().some((x) => x.bridge === c.bridge && path.resolve(x.dataDir) !== dir)) writeClaim({ dataDir: dir, ...c });
    return c;
  });
}

/** Reads the saved config without creating one (for `down`). */
export function readSandboxConfig(dataDir: string): SandboxConfig | undefined {
  const file = configFile(dataDir);
  return fs.existsSync(file) ? check(JSON.parse(fs.readFileSync(file, 'utf8')) as SandboxConfig) : undefined;
}

export function subnetBase(c: SandboxConfig): string {
  return c.subnet.split('.').slice(0, 3).join('.');
}

export function gatewayIP(c: SandboxConfig): string {
  return `${subnetBase(c)}.1`;
}
