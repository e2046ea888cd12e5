// The soak, short: a control plane with every control loop, hollow nodes renewing Leases and the bench's churn over
// HTTPS, compacting every 2 s. After each compaction run (compaction steps, free pages given back, the WAL truncated)
// the store's files are at most twice the pages in use, and runs are several bounded steps. No timing is asserted.
// Then `bench soak` itself, briefly: the table of samples, the summary, and the JSON last line with its keys.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { startCore, type Core } from '../../../main/core';
import { startHollowNodes, type HollowNodes } from '../../../main/hollow';
import { HttpClient } from '../../../main/client/http';
import { prepareChurn, startChurn, type Churn } from '../../../main/cli/bench-soak-churn';
import { waitFor } from '../../helpers/wait';

const ROOT = path.resolve(__dirname, '../../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-soak-test-'));
let core: Core | undefined;
let hollow: HollowNodes | undefined;
let http: HttpClient | undefined;
let churn: Churn | undefined;

afterAll(async () => {
  await churn?.stop();
  http?.close();
  await hollow?.stop();
  await core?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const size = (f: string): number => (fs.existsSync(f) ? fs.statSync(f).size : 0);

describe('a store under churn stays bounded', () => {
  it('after every compaction run its files are at most twice the pages in use', { timeout: 180_000 }, async () => {
    core = await startCore({ dataDir: dir, apiPort: 0, compactionIntervalMs: 2000, log: () => undefined, controllers: { log: () => undefined } });
    const c = core;
    hollow = startHollowNodes(c, { count: 10, log: () => undefined });
    await hollow.ready;
    http = new HttpClient({ server: c.api.url, token: c.auth.adminToken, caCertPem: c.caCertPem });
    await prepareChurn(http);
    churn = startChurn(http, 25);
    const runs = c.compactor?.state.runs;
    if (!runs) throw new Error('the core runs no interval compactor');
    const db = path.join(dir, 'state.db');
    const seen: Array<{ disk: number; used: number; steps: number; revision: number; compactRevision: number }> = [];
    let counted = runs.count;
    // Sample right after each run ends: the compactor's state changes in the same turn as its last step.
    await waitFor(() => {
      if (runs.count !== counted) {
        counted = runs.count;
        const sp = c.store.space();
        seen.push({
          disk: size(db) + size(`${db}-wal`) + size(`${db}-shm`), used: (sp.pages - sp.freePages) * sp.pageSize,
          steps: runs.lastSteps, revision: c.store.revision, compactRevision: c.store.compactRevision,
        });
      }
      return seen.length >= 6;
    }, 'six compaction runs under churn', 150_000, 5);
    await churn.stop();
    expect(churn.failures, churn.firstFailures.join('\n')).toBe(0);
    for (const s of seen) {
      expect(s.disk, JSON.stringify(s)).toBeLessThanOrEqual(2 * s.used);
      expect(s.steps).toBeGreaterThanOrEqual(2); // at least one compaction step and the checkpoint
      expect(s.compactRevision).toBeGreaterThan(0);
    }
    // History is dropped as it ages: the compact revision follows the revision.
    const last = seen[seen.length - 1];
    expect(last.compactRevision).toBeGreaterThan(seen[0].revision);
  });

  it('bench soak prints its samples, the summary and a JSON last line with the figures', { timeout: 180_000 }, async () => {
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main/cli.ts'), 'bench', 'soak',
        '--minutes', '0.2', '--compaction-interval', '2s', '--nodes', '5', '--rate', '10', '--sample-seconds', '2'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^t \(s\)\s+db MiB\s+wal MiB\s+used MiB/m);
    expect(r.stdout).toContain('disk ÷ used, max after the first compaction');
    expect(r.stdout).toContain('used = SQLite pages holding rows and indexes');
    const lines = r.stdout.trim().split('\n');
    const result = JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
    for (const key of ['bench', 'minutes', 'disk_to_live_ratio', 'max_compaction_pause_ms', 'rss_growth_mb', 'heap_total_growth_mb', 'external_growth_mb', 'rss_growth_last_half_mb', 'heap_growth_last_half_mb', 'native_growth_last_half_mb', 'rss_q1_mb', 'rss_q4_mb', 'rss_late_growth_mb', 'p99_ms']) expect(result).toHaveProperty(key);
    expect(result).toMatchObject({ bench: 'soak', minutes: 0.2, failed_calls: 0 });
    expect(result.compactions).toBeGreaterThanOrEqual(1);
    // Native memory: RSS less V8's reserved heap and external memory — some, and less than the RSS.
    expect(result.native_mb).toBeGreaterThan(0);
    expect(result.native_mb).toBeLessThan(result.rss_mb as number);
  });
});
