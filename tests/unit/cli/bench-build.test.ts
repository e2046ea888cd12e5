// Which code a control-plane benchmark measures: the build only when it is at least as new as every source file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshBuild } from '../../../main/cli/bench-build';

describe('freshBuild', () => {
  let dir: string;
  let cli: string;
  let src: string;
  const at = (file: string, seconds: number) => fs.utimesSync(file, seconds, seconds);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-build-'));
    src = path.join(dir, 'main');
    fs.mkdirSync(path.join(src, 'store'), { recursive: true });
    fs.writeFileSync(path.join(src, 'cli.ts'), '');
    fs.writeFileSync(path.join(src, 'store', 'log-db.ts'), '');
    fs.writeFileSync(path.join(src, 'store', 'notes.md'), '');
    cli = path.join(dir, 'out', 'main', 'cli.js');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('says there is no build when cli.js is missing', () => {
    const r = freshBuild(cli, src);
    expect('why' in r && r.why).toContain('there is no build');
  });

  it('takes a build newer than every source file, and refuses one older than a nested source', () => {
    fs.mkdirSync(path.dirname(cli), { recursive: true });
    fs.writeFileSync(cli, '');
    at(path.join(src, 'cli.ts'), 1_000);
    at(path.join(src, 'store', 'log-db.ts'), 1_000);
    at(path.join(src, 'store', 'notes.md'), 3_000); // not a source of the build
    at(cli, 2_000);
    expect(freshBuild(cli, src)).toEqual({ cli });
    at(path.join(src, 'store', 'log-db.ts'), 2_500);
    const stale = freshBuild(cli, src);
    expect('why' in stale && stale.why).toContain(path.join('store', 'log-db.ts'));
    expect('why' in stale && stale.why).toContain('is newer than the build');
  });
});
