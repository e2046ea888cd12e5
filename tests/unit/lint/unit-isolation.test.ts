// The `unit` project shares one module graph across its files (vitest.config.ts): a file there that mocks modules,
// stubs globals or the environment, fakes timers or sets a DOM environment would change what the files after it see.
// Such files are named in tests/unit-isolated.ts and run isolated; this holds every other unit file to that.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NEEDS_ISOLATION, UNIT_ISOLATED } from '../../unit-isolated';

const ROOT = path.resolve(__dirname, '../../..');

function unitFiles(dir = path.join(ROOT, 'tests/unit')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return unitFiles(p);
    return e.name.endsWith('.test.ts') ? [path.relative(ROOT, p)] : [];
  });
}

/** The two forms the list uses: a file, or every test file under a folder (`dir/**\/*.test.ts`). */
function isolated(file: string, patterns: readonly string[] = UNIT_ISOLATED): boolean {
  return patterns.some((p) => (p.endsWith('/**/*.test.ts') ? file.startsWith(p.slice(0, -'**/*.test.ts'.length)) : file === p));
}

describe('unit files sharing one module graph', () => {
  it('the isolated list names files that exist', () => {
    const files = unitFiles();
    for (const p of UNIT_ISOLATED) expect(files.some((f) => isolated(f, [p])), p).toBe(true);
  });

  it('the rule finds what needs isolation', () => {
    for (const text of ["vi.mock('x')", 'vi.useFakeTimers()', "vi.stubEnv('A', '1')", '// @vitest-environment happy-dom', 'process.env.FOO = "1"', 'delete process.env.FOO', 'const cp = controlPlaneEach(\'job\')']) {
      expect(NEEDS_ISOLATION.test(text), text).toBe(true);
    }
    expect(NEEDS_ISOLATION.test('if (process.env.FOO === "1") {}')).toBe(false);
  });

  it('no file of the shared project mocks, stubs, fakes timers or sets its environment', () => {
    const self = path.relative(ROOT, __filename);
    const offenders = unitFiles().filter((f) => f !== self && !isolated(f) && NEEDS_ISOLATION.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(offenders, 'add these to tests/unit-isolated.ts').toEqual([]);
  });
});
