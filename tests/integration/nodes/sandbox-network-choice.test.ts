// How a data dir's sandbox network is chosen on this host: free of other data dirs' (the register in
// /var/lib/flotilla-sandboxes, even with their nodes stopped) and of what the host uses (links,
// addresses, network namespaces); saved on first use; env and explicit settings still win; two data
// dirs that both saved the same network before it was chosen free are told apart.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSandboxConfig, numberedSandboxConfig, readSandboxConfig } from '../../../main/nodes/providers/sandbox/config';
import { CLAIMS_DIR, listClaims, releaseClaim, withClaimsLock } from '../../../main/nodes/providers/sandbox/claims';
import { writeNodeState } from '../../../main/nodes/providers/sandbox/node-state';
import { SandboxProvider } from '../../../main/nodes/providers/sandbox/provider';
import { skipNodes } from './support';

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });

describe.skipIf(skipNodes)('sandbox network choice', () => {
  let root: string;
  const made: string[] = [];
  const dataDir = (n: string): string => path.join(root, n);
  /** The number of a numbered network (flotilla<i>), or -1. */
  const index = (bridge: string): number => (/^flotilla(\d+)$/.exec(bridge) ? Number(bridge.slice(8)) : -1);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-netchoice-'));
  });

  afterEach(() => {
    for (const l of made.splice(0)) { try { ip('link', 'del', l); } catch { /* gone */ } }
    withClaimsLock(() => { for (const c of listClaims()) if (c.dataDir.startsWith(`${root}/`)) releaseClaim(c.dataDir, c.bridge); });
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('gives each new data dir a network of its own, saves it, and keeps it', () => {
    const a = loadSandboxConfig(dataDir('a'));
    const b = loadSandboxConfig(dataDir('b'));
    expect(index(a.bridge)).toBeGreaterThanOrEqual(0);
    expect(a).toEqual(numberedSandboxConfig(index(a.bridge)));
    expect(b).toEqual(numberedSandboxConfig(index(b.bridge)));
    expect(b.bridge).not.toBe(a.bridge);
    expect(b.subnet).not.toBe(a.subnet);
    expect(b.prefix).not.toBe(a.prefix);
    expect(readSandboxConfig(dataDir('a'))).toEqual(a);
    expect(loadSandboxConfig(dataDir('a'))).toEqual(a);
    expect(listClaims().filter((c) => c.dataDir === dataDir('a') || c.dataDir === dataDir('b')).map((c) => c.bridge).sort()).toEqual([a.bridge, b.bridge].sort());
    expect(fs.existsSync(path.join(CLAIMS_DIR, `${a.bridge}.json`))).toBe(true);
  });

  it('skips a network whose bridge name, subnet or names are in use on the host', () => {
    const a = loadSandboxConfig(dataDir('a'));
    const next = index(a.bridge) + 1;
    // The next three numbers are taken on the host: a link of that name, an address in that subnet, a netns of that prefix.
    ip('link', 'add', `flotilla${next}`, 'type', 'bridge'); made.push(`flotilla${next}`);
    ip('link', 'add', `fltnc${process.pid % 10000}`, 'type', 'bridge'); made.push(`fltnc${process.pid % 10000}`);
    ip('addr', 'add', `10.251.${next + 1}.7/24`, 'dev', `fltnc${process.pid % 10000}`);
    ip('netns', 'add', `flotilla${next + 2}-x`);
    try {
      const b = loadSandboxConfig(dataDir('b'));
      expect(index(b.bridge)).toBeGreaterThanOrEqual(next + 3);
    } finally {
      ip('netns', 'del', `flotilla${next + 2}-x`);
    }
  });

  it('honours FLOTILLA_SANDBOX_* and explicit settings, choosing only what they leave open', () => {
    process.env.FLOTILLA_SANDBOX_PREFIX = 'fltncenv';
    try {
      const a = loadSandboxConfig(dataDir('a'));
      expect(a.prefix).toBe('fltncenv');
      expect(index(a.bridge)).toBeGreaterThanOrEqual(0);
      const b = loadSandboxConfig(dataDir('b'), { bridge: 'fltncx', subnet: '10.251.251.0/24', prefix: 'fltncx' });
      expect(b).toEqual({ bridge: 'fltncx', subnet: '10.251.251.0/24', prefix: 'fltncx' });
    } finally {
      delete process.env.FLOTILLA_SANDBOX_PREFIX;
    }
  });

  it('drops the claim of a removed data dir, so its network can be chosen again', () => {
    const a = loadSandboxConfig(dataDir('a'));
    fs.rmSync(dataDir('a'), { recursive: true, force: true });
    const b = loadSandboxConfig(dataDir('b'));
    expect(listClaims().some((c) => c.dataDir === dataDir('a'))).toBe(false);
    expect(index(b.bridge)).toBeLessThanOrEqual(index(a.bridge));
  });

  it('two data dirs that saved the same network: one without nodes takes a free one, one with nodes is told what to do', async () => {
    const a = loadSandboxConfig(dataDir('a'));
    const write = (n: string): void => {
      fs.mkdirSync(path.join(dataDir(n), 'sandbox'), { recursive: true });
      fs.writeFileSync(path.join(dataDir(n), 'sandbox', 'config.json'), JSON.stringify(a));
    };
    write('b');
    const b = loadSandboxConfig(dataDir('b'));
    expect(b.bridge).not.toBe(a.bridge);
    expect(readSandboxConfig(dataDir('b'))).toEqual(b);
    write('c');
    writeNodeState(dataDir('c'), { name: 'node-1', ip: '10.251.0.2', netns: 'fltnc-none-node-1', cgroup: 'fltnc-none-node-1', veth: 'fltnc-none', hostKey: '' });
    expect(() => loadSandboxConfig(dataDir('c'))).toThrow(/are both set up for sandbox network .*flotilla down --data-dir/);
    expect(loadSandboxConfig(dataDir('a'))).toEqual(a);
    // What the message advises works: listing (and so `down`) never needs a network of its own.
    expect((await new SandboxProvider({ dataDir: dataDir('c') }).list()).map((m) => [m.name, m.state])).toEqual([['node-1', 'Stopped']]);
  });
});
