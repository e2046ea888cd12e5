// Per-data-dir settings of the sandbox provider: bridge, subnet and name prefix (so that parallel
// clusters and test runs never collide). Persisted at D/sandbox/config.json on first use.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SandboxConfig {
  /** Host bridge joining the nodes (≤ 15 chars). */
  bridge: string;
  /** IPv4 /24 of the nodes, e.g. 10.251.0.0/24; .1 is the host's address on the bridge. */
  subnet: string;
  /** Prefix of everything created on the host: netns, cgroups, veths, iptables chains. */
  prefix: string;
}

export const DEFAULT_SANDBOX_CONFIG: SandboxConfig = { bridge: 'flotilla0', subnet: '10.251.0.0/24', prefix: 'flotilla' };

export function sandboxDir(dataDir: string): string {
  return path.join(dataDir, 'sandbox');
}

function check(c: SandboxConfig): SandboxConfig {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(c.bridge)) throw new Error(`sandbox bridge name "${c.bridge}" must be 1–15 letters, digits, _ . -`);
  if (!/^\d+\.\d+\.\d+\.0\/24$/.test(c.subnet)) throw new Error(`sandbox subnet "${c.subnet}" must be an IPv4 /24 (a.b.c.0/24)`);
  if (!/^[a-z0-9][a-z0-9-]{0,15}$/.test(c.prefix)) throw new Error(`sandbox name prefix "${c.prefix}" must be 1–16 lower-case letters, digits or -`);
  return c;
}

/** The saved config, else `wanted` (or env FLOTILLA_SANDBOX_{BRIDGE,SUBNET,PREFIX}, or defaults), saved. */
export function loadSandboxConfig(dataDir: string, wanted: Partial<SandboxConfig> = {}): SandboxConfig {
  const file = path.join(sandboxDir(dataDir), 'config.json');
  if (fs.existsSync(file)) return check(JSON.parse(fs.readFileSync(file, 'utf8')) as SandboxConfig);
  const c = check({
    bridge: wanted.bridge ?? process.env.FLOTILLA_SANDBOX_BRIDGE ?? DEFAULT_SANDBOX_CONFIG.bridge,
    subnet: wanted.subnet ?? process.env.FLOTILLA_SANDBOX_SUBNET ?? DEFAULT_SANDBOX_CONFIG.subnet,
    prefix: wanted.prefix ?? process.env.FLOTILLA_SANDBOX_PREFIX ?? DEFAULT_SANDBOX_CONFIG.prefix,
  });
  fs.mkdirSync(sandboxDir(dataDir), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, JSON.stringify(c, null, 2));
  return c;
}

/** Reads the saved config without creating one (for `down`). */
export function readSandboxConfig(dataDir: string): SandboxConfig | undefined {
  const file = path.join(sandboxDir(dataDir), 'config.json');
  return fs.existsSync(file) ? check(JSON.parse(fs.readFileSync(file, 'utf8')) as SandboxConfig) : undefined;
}

export function subnetBase(c: SandboxConfig): string {
  return c.subnet.split('.').slice(0, 3).join('.');
}

export function gatewayIP(c: SandboxConfig): string {
  return `${subnetBase(c)}.1`;
}
