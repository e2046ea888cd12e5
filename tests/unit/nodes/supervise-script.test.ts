// The sandbox nodes' supervisor script, run for real by sh (its node paths moved to a temp dir): a service that keeps
// exiting is restarted after 1, 2, 4 s… (systemd's Restart=always with RestartSteps), each exit logged; SIGTERM during a
// wait ends the supervisor and its pending wait at once, leaving no process behind. SIGTERM to the supervisor alone
// stops the service: a TERM the service lost is sent again, and a service that ignores it is killed after the timeout.
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
function startSupervisor(dir: string, cmd: string, env: Record<string, string> = {}) {
  const script = SUPERVISE_SCRIPT.replaceAll(NODE.runDir, path.join(dir, 'run')).replaceAll(NODE.logDir, path.join(dir, 'log'));
  fs.writeFileSync(path.join(dir, 'supervise'), script, { mode: 0o755 });
  const child = spawn('/bin/sh', [path.join(dir, 'supervise'), 'svc', '/bin/sh', '-c', cmd], { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
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

  /** A service counting the TERMs it gets in `file`, exiting on the `exitOn`-th (never when 0). */
  const countingService = (file: string, exitOn: number): string =>
    `n=0; trap 'n=$((n+1)); echo term >> ${file}; [ ${exitOn} -gt 0 ] && [ $n -ge ${exitOn} ] && exit 0' TERM; echo up > ${file}.up; while :; do sleep 0.05; done`;
  const terms = (file: string): number => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l === 'term').length : 0);

  async function stopSupervisorAlone(exitOn: number, env: Record<string, string> = {}): Promise<number> {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-supervise-'));
    const file = path.join(dir, 'terms');
    const s = startSupervisor(dir, countingService(file, exitOn), env);
    try {
      await waitFor(() => fs.existsSync(`${file}.up`), 'the service up', 10_000, 10);
      process.kill(s.child.pid ?? 0, 'SIGTERM'); // the supervisor only, as a node's stop does: not its process group
      // A deadline of its own, so that a supervisor that never ends fails here and is killed below, not left behind.
      const ended = await Promise.race([s.exited, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 15_000))]);
      expect(ended, `the supervisor 15 s after its SIGTERM; the service got ${terms(file)} TERM(s)`).toBe(0);
      await waitFor(() => groupMembers(s.pgid).length === 0, 'no process of the supervisor left', 2_000);
      expect(fs.existsSync(path.join(dir, 'run', 'svc.pid'))).toBe(false);
      return terms(file);
    } finally {
      for (const pid of groupMembers(s.pgid)) process.kill(pid, 'SIGKILL');
    }
  }

  it('stops a service that ends on its SIGTERM with that one signal', { timeout: 30_000 }, async () => {
    expect(await stopSupervisorAlone(1)).toBe(1);
  });

  it('sends SIGTERM again to a service that lost the first (a TERM taken between fork and exec)', { timeout: 30_000 }, async () => {
    expect(await stopSupervisorAlone(2)).toBe(2);
  });

  it('kills a service that ignores SIGTERM after FLOTILLA_STOP_TIMEOUT seconds', { timeout: 30_000 }, async () => {
    expect(await stopSupervisorAlone(0, { FLOTILLA_STOP_TIMEOUT: '2' })).toBe(2);
  });
});
