// `flotilla bench image` keeps running: a tiny run of the real harness (2 sandbox nodes, a 5 MB layer,
// buildah, docker-registry, skopeo) ends with its JSON line, and leaves no namespace, bridge or temp dir.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile, execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { skipWithoutAgent } from './support';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * The bench's: it names everything flti<pid % 10000> (its netns <id>-node-N, bridge <id>, veths <id><hash>) and its temp
 * dir flotilla-bench-image-*. Only names starting with that id: other test runs' networks are flt<pid base 36><letter>,
 * which can start with flti too.
 */
function traces(id: string): string[] {
  const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0] ?? '');
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).split('\n').map((l) => (l.split(': ')[1] ?? '').split('@')[0] ?? '');
  return [...[...netns, ...links].filter((n) => n.startsWith(id)), ...benchDirs()];
}

function benchDirs(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith('flotilla-bench-image-'));
}

describe.skipIf(skipWithoutAgent)('bench image', () => {
  it('runs at a tiny size, ends with its JSON result and leaves the host as it was', async () => {
    const dirsBefore = benchDirs();
    let id = '';
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main/cli.ts'), 'bench', 'image', '--nodes', '2', '--size-mb', '5'],
        { cwd: ROOT, timeout: 280_000, killSignal: 'SIGKILL' }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }));
      id = `flti${(child.pid ?? 0) % 10000}`;
    });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as Record<string, number | string>;
    expect(result).toMatchObject({ bench: 'image', size_mb: 5, nodes: 2, pulled_mb: expect.any(Number) as number });
    for (const k of ['build_s', 'push_s', 'pull_all_nodes_s', 'floor_s', 'ratio', 'floor_unpack_s', 'ratio_unpack']) expect(result[k], k).toBeGreaterThan(0);
    // Both nodes hold the whole image: the random layer at least, once each.
    expect(result.pulled_mb).toBeGreaterThanOrEqual(10);
    expect(r.stdout).toContain('pull onto 2 nodes at once (CRI PullImage)');
    expect(traces(id)).toEqual(dirsBefore);
  }, 300_000);
});
