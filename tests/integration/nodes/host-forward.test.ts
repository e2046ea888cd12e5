// The sandbox host setup when the host's FORWARD policy drops: an own chain accepting the bridge,
// one jump from FORWARD, all removed on teardown. Run inside a throwaway network namespace (its own
// iptables and links), never on the host's.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipNodes } from './support';

const NS = `flotilla-hosttest-${process.pid}`;
const ROOT = path.resolve(__dirname, '../../..');
const SCRIPT = `
import { ensureSandboxHost, teardownSandboxHost } from '${path.join(ROOT, 'main/nodes/providers/sandbox/host')}';
const c = { bridge: 'fltfwd0', subnet: '10.251.250.0/24', prefix: 'fltfwd' };
(async () => {
  // Two nodes booting at once share one setup; a later call checks again.
  if (process.argv[2] === 'up') { await Promise.all([ensureSandboxHost(c), ensureSandboxHost(c)]); await ensureSandboxHost(c); }
  else await teardownSandboxHost(c);
})().catch((e) => { console.error(e); process.exit(1); });
`;

function inNs(argv: string[]): string {
  return execFileSync('ip', ['netns', 'exec', NS, ...argv], { encoding: 'utf8', cwd: ROOT });
}

function runScript(arg: 'up' | 'down'): void {
  const r = spawnSync('ip', ['netns', 'exec', NS, process.execPath, '--import', 'tsx', scriptFile, arg], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`host setup ${arg} failed: ${r.stderr}`);
}

let tmp = '';
let scriptFile = '';

describe.skipIf(skipNodes)('sandbox host setup with FORWARD policy DROP (in a throwaway netns)', () => {
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-hostfwd-'));
    scriptFile = path.join(tmp, 'host-setup.ts');
    fs.writeFileSync(scriptFile, SCRIPT);
    execFileSync('ip', ['netns', 'add', NS]);
    inNs(['iptables', '-w', '-P', 'FORWARD', 'DROP']);
  });
  afterAll(() => {
    execFileSync('ip', ['netns', 'del', NS]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('adds its own chain accepting the bridge (once), puts back a flushed address and a downed link, and removes it all on teardown', () => {
    runScript('up');
    const rules = inNs(['iptables', '-w', '-S']);
    expect(rules).toContain('-A FORWARD -j FLTFWD-FWD-fltfwd0');
    expect(rules.match(/-A FORWARD -j FLTFWD-FWD-fltfwd0/g)).toHaveLength(1);
    expect(rules).toContain('-A FLTFWD-FWD-fltfwd0 -i fltfwd0 -j ACCEPT');
    expect(rules).toContain('-A FLTFWD-FWD-fltfwd0 -o fltfwd0 -j ACCEPT');
    expect(inNs(['ip', '-4', '-o', 'addr', 'show', 'dev', 'fltfwd0'])).toContain('10.251.250.1/24');
    expect(inNs(['ip', '-o', 'link', 'show', 'dev', 'fltfwd0'])).toMatch(/<[^>]*\bUP\b[^>]*>/);
    // Its address flushed and the link set down by hand: the next setup puts both back.
    inNs(['ip', 'addr', 'flush', 'dev', 'fltfwd0']);
    inNs(['ip', 'link', 'set', 'fltfwd0', 'down']);
    runScript('up');
    expect(inNs(['ip', '-4', '-o', 'addr', 'show', 'dev', 'fltfwd0'])).toContain('10.251.250.1/24');
    expect(inNs(['ip', '-o', 'link', 'show', 'dev', 'fltfwd0'])).toMatch(/<[^>]*\bUP\b[^>]*>/);
    expect(inNs(['iptables', '-w', '-S']).match(/-A FORWARD -j FLTFWD-FWD-fltfwd0/g)).toHaveLength(1);
    runScript('down');
    const after = inNs(['iptables', '-w', '-S']);
    expect(after).not.toContain('FLTFWD');
    expect(after).toContain('-P FORWARD DROP');
    expect(inNs(['ip', '-o', 'link', 'show'])).not.toContain('fltfwd0');
  });
});
