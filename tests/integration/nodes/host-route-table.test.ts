// The node manager's host routes, applied in a throwaway network namespace (its own routing table, never the
// host's): routes are added, moved by exact delete + add, a destination someone else already routes is left alone
// (and reported), one already routed our way is adopted, and clear() removes exactly what it owns.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipNodes } from './support';

const NS = `flotilla-routetest-${process.pid}`;
const ROOT = path.resolve(__dirname, '../../..');
const SCRIPT = `
import { HostRouteTable } from '${path.join(ROOT, 'main/nodes/host-route-table')}';
const show = async () => (await import('node:child_process')).execFileSync('ip', ['-4', 'route', 'show'], { encoding: 'utf8' }).trim().split('\\n').map((l) => l.trim());
(async () => {
  const logs: string[] = [];
  const t = new HostRouteTable((l) => logs.push(l));
  const out: Record<string, unknown> = {};
  await t.sync([{ dest: '10.96.0.0/16', via: '10.77.0.2' }, { dest: '10.244.1.0/24', via: '10.77.0.2' }, { dest: '10.250.0.0/24', via: '10.77.0.3' }]);
  out.first = await show();
  out.owned = t.routes;
  await t.sync([{ dest: '10.96.0.0/16', via: '10.77.0.2' }, { dest: '10.244.1.0/24', via: '10.77.0.3' }, { dest: '10.250.0.5/32', via: '10.77.0.2' }]);
  out.moved = await show();
  await t.clear();
  out.cleared = await show();
  out.logs = logs;
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`;

function inNs(argv: string[]): string {
  return execFileSync('ip', ['netns', 'exec', NS, ...argv], { encoding: 'utf8' });
}

let tmp = '';

describe.skipIf(skipNodes)('host route table (in a throwaway netns)', () => {
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-routes-'));
    fs.writeFileSync(path.join(tmp, 'routes.ts'), SCRIPT);
    execFileSync('ip', ['netns', 'add', NS]);
    inNs(['ip', 'link', 'add', 'rt0', 'type', 'veth', 'peer', 'name', 'rt1']);
    inNs(['ip', 'addr', 'add', '10.77.0.1/24', 'dev', 'rt0']);
    inNs(['ip', 'link', 'set', 'rt1', 'up']);
    inNs(['ip', 'link', 'set', 'rt0', 'up']);
    // Someone else's route to the service CIDR, and one already ours (a control plane restarted).
    inNs(['ip', 'route', 'add', '10.96.0.0/16', 'via', '10.77.0.9']);
    inNs(['ip', 'route', 'add', '10.250.0.0/24', 'via', '10.77.0.3']);
  });
  afterAll(() => {
    execFileSync('ip', ['netns', 'del', NS]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('adds, adopts, moves and clears only its own routes, leaving a foreign one alone', () => {
    const r = spawnSync('ip', ['netns', 'exec', NS, process.execPath, '--import', 'tsx', path.join(tmp, 'routes.ts')], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { first: string[]; owned: unknown; moved: string[]; cleared: string[]; logs: string[] };
    expect(out.first).toEqual(expect.arrayContaining([
      '10.96.0.0/16 via 10.77.0.9 dev rt0', '10.244.1.0/24 via 10.77.0.2 dev rt0', '10.250.0.0/24 via 10.77.0.3 dev rt0',
    ]));
    expect(out.owned).toEqual([{ dest: '10.244.1.0/24', via: '10.77.0.2' }, { dest: '10.250.0.0/24', via: '10.77.0.3' }]);
    expect(out.logs).toEqual(['host routes: 10.96.0.0/16 not routed to 10.77.0.2: the host already routes it (10.96.0.0/16 via 10.77.0.9 dev rt0)']);
    expect(out.moved).toEqual(expect.arrayContaining(['10.244.1.0/24 via 10.77.0.3 dev rt0', '10.250.0.5 via 10.77.0.2 dev rt0', '10.96.0.0/16 via 10.77.0.9 dev rt0']));
    expect(out.moved.some((l) => l.startsWith('10.250.0.0/24'))).toBe(false);
    expect(out.cleared).toEqual(['10.77.0.0/24 dev rt0 proto kernel scope link src 10.77.0.1', '10.96.0.0/16 via 10.77.0.9 dev rt0']);
  });
});
