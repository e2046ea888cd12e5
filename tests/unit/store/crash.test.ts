// Crash safety: a child process writes as fast as it can and is killed with SIGKILL; every write
// it saw acknowledged must be in the reopened store, and revisions must have no holes.
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TempStores, waitFor } from './helpers';

const temp = new TempStores();
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await waitFor(() => child.exitCode !== null || child.signalCode !== null, `child ${child.pid} to exit`);
    }
  }
  temp.cleanup();
});

describe('store crash safety', () => {
  it('every acknowledged write survives kill -9 and revisions have no holes', async () => {
    const dbPath = temp.dbPath();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'crash-writer.ts'), dbPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const acked: { revision: number; key: string }[] = [];
    let partial = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const [rev, key] = line.split(' ');
        acked.push({ revision: Number(rev), key });
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;

    await waitFor(() => acked.length >= 800 || exited(), '800 acknowledged writes', 30_000);
    expect(exited(), `the writer died early: ${stderr}`).toBe(false);
    expect(child.kill('SIGKILL')).toBe(true);
    await waitFor(exited, 'the writer to die');
    expect(child.signalCode).toBe('SIGKILL');

    // Raw log: revisions 1..max, contiguous; each acknowledged (revision, key) is a row.
    const raw = new Database(dbPath);
    let max: number;
    try {
      const stats = raw
        .prepare<[], { n: number; lo: number; hi: number }>('SELECT COUNT(*) AS n, MIN(id) AS lo, MAX(id) AS hi FROM log')
        .get();
      if (!stats) throw new Error('no stats');
      expect(stats.lo).toBe(1);
      expect(stats.n).toBe(stats.hi);
      max = stats.hi;
      const byRevision = raw.prepare<[number], { key: string }>('SELECT key FROM log WHERE id = ?');
      for (const a of acked) expect(byRevision.get(a.revision)?.key, `revision ${a.revision}`).toBe(a.key);
    } finally {
      raw.close();
    }
    const ackedMax = Math.max(...acked.map((a) => a.revision));
    expect(max).toBeGreaterThanOrEqual(ackedMax);

    // Through the store: the state is there and the next write continues at max + 1.
    const store = temp.open({ path: dbPath });
    expect(store.revision).toBe(max);
    for (const a of acked) {
      if (a.key.startsWith('/k/')) expect(store.get(a.key)?.modRevision).toBe(a.revision);
    }
    expect((await store.create('/after-crash', 'x')).modRevision).toBe(max + 1);
  });
});
