// `flotilla bench api` as the real command, small: the table, then one JSON line with the keys its issue names,
// the protocol, and the ceiling (a bare HTTP/2 server driven by the same client in the same run).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freshBuild } from '../../../main/cli/bench-build';

const ROOT = path.resolve(__dirname, '../../..');

function benchDirs(): Set<string> {
  return new Set(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('flotilla-bench-api-')));
}

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main/cli.ts'), 'bench', 'api', ...args], {
      cwd: ROOT, timeout: 240_000, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024,
    }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }));
  });
}

describe('flotilla bench api', { timeout: 300_000 }, () => {
  it('over HTTP/2: prints its table and one JSON line with the API and ceiling figures, and removes its data dir', async () => {
    const before = benchDirs();
    const r = await runBench(['--protocol', 'h2', '--count', '300', '--clients', '4', '--watchers', '2', '--watch-events', '20']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const result = JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
    expect(result).toMatchObject({ bench: 'api', protocol: 'h2', creates: 300, clients: 4, connections: 1 }); // one shared connection, as client-go
    // The server is the build users run when it is up to date, else the sources, said on stderr.
    const fresh = 'cli' in freshBuild();
    expect(result.code).toBe(fresh ? 'build' : 'sources');
    expect(r.stderr.includes('measuring the sources through tsx')).toBe(!fresh);
    for (const key of ['creates_per_s', 'mutating_p99_ms', 'client_cpu_us_per_create', 'rows_per_commit', 'sqlite_tx_per_s', 'ratio', 'ceiling_creates_per_s', 'ratio_to_ceiling']) {
      expect(result[key], key).toBeGreaterThan(0);
    }
    // The API server does everything the bare server does and more: it cannot be faster.
    expect(result.ratio_to_ceiling).toBeLessThan(1);
    expect(result.ceiling_client_cpu_us_per_create).toBeGreaterThan(0);
    // Group commit: never fewer than one row a commit.
    expect(result.rows_per_commit).toBeGreaterThanOrEqual(1);
    expect(r.stdout).toContain('ceiling: bare HTTP/2 server creates/s');
    expect(r.stdout).toContain('creates/s (4 clients, 1 HTTP/2 connection)');
    const left = [...benchDirs()].filter((d) => !before.has(d));
    expect(left).toEqual([]);
  });
});
