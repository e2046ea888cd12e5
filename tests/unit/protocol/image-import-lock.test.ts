import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ctrImportArgv, importFailure, importLockFile, IMPORT_LOCK_TIMEOUT_EXIT } from '../../../main/protocol/image-import-lock';

describe('the node\'s image import lock', () => {
  it('wraps ctr in flock on a file beside the tarball, with the platform only when given', () => {
    expect(ctrImportArgv({ ctr: 'ctr', socket: '/run/c.sock', tarball: '/var/lib/flotilla/images/a.tar', platform: 'linux/arm64' })).toEqual([
      'flock', '-w', '600', '-E', String(IMPORT_LOCK_TIMEOUT_EXIT), '/var/lib/flotilla/images/.import.lock',
      'ctr', '--address', '/run/c.sock', '-n', 'k8s.io', 'images', 'import', '--platform', 'linux/arm64', '/var/lib/flotilla/images/a.tar',
    ]);
    expect(ctrImportArgv({ ctr: 'ctr', socket: '/s', tarball: '/i/b.tar' })).not.toContain('--platform');
  });

  it('says a timed-out wait in words, and passes ctr\'s own failure on', async () => {
    const dir = mkdtempSync('/tmp/flt-lock-');
    try {
      const ctr = join(dir, 'ctr');
      writeFileSync(ctr, '#!/bin/sh\necho "ctr: boom" >&2\nexit 1\n');
      chmodSync(ctr, 0o755);
      const tarball = join(dir, 'x.tar');
      const run = (argv: string[]): Promise<number | null> => new Promise((resolve) => {
        execFile(argv[0] ?? '', argv.slice(1), (err) => resolve(err ? (typeof err.code === 'number' ? err.code : null) : 0));
      });
      const argv = ctrImportArgv({ ctr, socket: '/s', tarball });
      expect(await run(argv)).toBe(1);
      // Held by another flock (the outer one, while its command runs): a wait of 0 s gives up at once with -E's status.
      const lock = importLockFile(tarball);
      const code = await run(['flock', lock, 'flock', '-w', '0', '-E', String(IMPORT_LOCK_TIMEOUT_EXIT), lock, 'true']);
      expect(code).toBe(IMPORT_LOCK_TIMEOUT_EXIT);
      expect(importFailure(tarball, code, '')).toBe(`ctr images import ${tarball}: another image import on the node held its lock for 600 s`);
      expect(importFailure(tarball, 1, 'ctr: boom')).toBe(`ctr images import ${tarball}: ctr: boom`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
