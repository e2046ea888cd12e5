// runStreaming (main/nodes/exec.ts), the host-command runner a build streams its log through: every line
// of stdout and stderr as it comes, the exit code, a missing program, and abort killing the process.
import { describe, expect, it } from 'vitest';
import { onPath, runStreaming } from '../../../main/nodes/exec';
import { waitFor } from '../../helpers/wait';

describe('runStreaming', () => {
  it('passes each line on as it is printed, keeps both streams, and returns the exit code', async () => {
    const seen: Array<[string, string]> = [];
    const r = await runStreaming(['sh', '-c', 'echo one; echo two >&2; printf "three\\nfour"; exit 3'], { onLine: (l, s) => seen.push([s, l]) });
    expect(r).toEqual({ code: 3, stdout: 'one\nthree\nfour', stderr: 'two' });
    expect(seen.filter(([s]) => s === 'stdout').map(([, l]) => l)).toEqual(['one', 'three', 'four']);
    expect(seen).toContainEqual(['stderr', 'two']);
  });

  it('a line arrives before the process ends', async () => {
    const controller = new AbortController();
    let first = '';
    const run = runStreaming(['sh', '-c', 'echo ready; exec sleep 30'], { onLine: (l) => { first ||= l; }, signal: controller.signal });
    await waitFor(() => first === 'ready', 'the first line', 10_000, 10);
    controller.abort();
    const r = await run;
    expect(r.code).toBe(128); // ended by SIGTERM
  });

  it('a missing program is exit 127 with the reason', async () => {
    const r = await runStreaming(['/nonexistent/buildah', 'build']);
    expect(r.code).toBe(127);
    expect(r.stderr).toContain('ENOENT');
    expect(onPath('sh')).toBe(true);
    expect(onPath('no-such-program-flotilla')).toBe(false);
  });
});
