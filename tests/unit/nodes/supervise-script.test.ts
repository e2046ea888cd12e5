// The sandbox nodes' supervisor script, run for real by sh (its node paths moved to a temp dir): a service that keeps
// exiting is restarted after 1, 2, 4 s… (systemd's Restart=always with RestartSteps), each exit logged; SIGTERM during a
// wait ends the supervisor and its pending wait at once, leaving no process behind.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { SUPERVISE_SCRIPT } from '../../../main/nodes/node-services';
import { NODE } from '../../../main/nodes/node-paths';
import { waitFor } from '../../helpers/wait';

/** PIDs of live processes in process group `pgid`. */
function groupMembers(pgid: number): number[] {
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return f[0] !== 'Z' && Number(f[2]) === pgid;
    } catch { return false; }
  });
}

/** Writes the script into a temp dir (its node paths moved there) and starts it supervising `cmd`, in a process group of its own. */
function startSupervisor(dir: string, cmd: string) {
  const script = SUPERVISE_SCRIPT.replaceAll(NODE.runDir, path.join(dir, 'run')).replaceAll(NODE.logDir, path.join(dir, 'log'));
  fs.writeFileSync(path.join(dir, 'supervise'), script, { mode: 0o755 });
  const child = spawn('/bin/sh', [path.join(dir, 'supervise'), 'svc', '/bin/sh', '-c', cmd], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  const out = { log: '' };
  child.stderr.on('data', (d: Buffer) => (out.log += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out, exited, pgid: child.pid ?? 0 };
}

describe('supervise (sandbox nodes\' service supervisor)', () => {
  let dir = '';
  afterEach(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('leaves no process behind when SIGTERM comes right after an exit, while the wait before the restart begins', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-supervise-'));
    // The exit's log line is written just before the wait's sleep is started and its PID recorded: a signal taken
    // there found no PID to kill and left the sleep running for its seconds. Each round signals as soon as it reads it.
    for (let round = 0; round < 20; round++) {
      const s = startSupervisor(dir, 'exit 3');
      try {
        await waitFor(() => s.out.log.includes('exited with'), 'the first exit', 10_000, 1);
        process.kill(s.pgid, 'SIGTERM');
        expect(await s.exited).toBe(0);
        await waitFor(() => groupMembers(s.pgid).length === 0, `no process of the supervisor left (round ${round})`, 500);
      } finally {
        for (const pid of groupMembers(s.pgid)) process.kill(pid, 'SIGKILL');
      }
    }
  });

  it('restarts a crashing service with a doubling wait, and stops at once on SIGTERM', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-supervise-'));
    const { out, exited, pgid } = startSupervisor(dir, 'exit 3');
    try {
      await waitFor(() => (out.log.match(/exited with/g) ?? []).length >= 3, 'three exits', 20_000);
      const waits = [...out.log.matchAll(/svc exited with 3; restarting in (\d+) s/g)].map((m) => Number(m[1]));
      expect(waits.slice(0, 3)).toEqual([1, 2, 4]);
      expect(fs.readFileSync(path.join(dir, 'run', 'svc.pid'), 'utf8').trim()).toBe(String(pgid));
      // It is now waiting 4 s before the next start: SIGTERM ends it and that wait now.
      process.kill(pgid, 'SIGTERM');
      expect(await exited).toBe(0);
      await waitFor(() => groupMembers(pgid).length === 0, 'no process of the supervisor left', 2_000);
      expect(fs.existsSync(path.join(dir, 'run', 'svc.pid'))).toBe(false);
    } finally {
      for (const pid of groupMembers(pgid)) process.kill(pid, 'SIGKILL');
    }
  });
});
