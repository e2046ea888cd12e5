// The rule that places in-process test files in the shared module graph or in one of their own (tests/isolation.ts).
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesOf, needingIsolation, NEEDS_ISOLATION } from '../../isolation';

const ROOT = path.resolve(__dirname, '../../..');
const needs = (text: string): boolean => new RegExp(NEEDS_ISOLATION.source).test(text);

describe('test files sharing one module graph', () => {
  it('the rule finds what changes the files after it, and nothing else', () => {
    for (const text of ["vi.mock('x')", 'vi.useFakeTimers()', "vi.stubEnv('A', '1')", "vi.stubGlobal('fetch', f)", '// @vitest-environment happy-dom',
      'process.env.FOO = "1"', 'delete process.env.FOO', 'vi.resetModules()']) {
      expect(needs(text), text).toBe(true);
    }
    for (const text of ['if (process.env.FOO === "1") {}', 'const cp = controlPlaneEach(\'job\')', 'vi.fn()', 'env: { ...process.env, FOO: "1" }']) {
      expect(needs(text), text).toBe(false);
    }
  });

  it('expands a folder pattern to its test files, keeps a file that exists and drops one that does not', () => {
    const lint = filesOf(ROOT, ['tests/unit/lint/**/*.test.ts']);
    expect(lint).toContain('tests/unit/lint/isolation.test.ts');
    expect(lint.every((f) => f.startsWith('tests/unit/lint/') && f.endsWith('.test.ts'))).toBe(true);
    expect(filesOf(ROOT, ['tests/unit/lint/isolation.test.ts', 'tests/unit/lint/no-such.test.ts'])).toEqual(['tests/unit/lint/isolation.test.ts']);
  });

  it('isolates the files that fake timers or set a DOM environment, found by reading them', () => {
    const renderer = filesOf(ROOT, ['tests/unit/renderer/**/*.test.ts']);
    const isolated = needingIsolation(ROOT, renderer);
    expect(isolated.length).toBeGreaterThan(0);
    expect(isolated.length).toBeLessThan(renderer.length);
    expect(needingIsolation(ROOT, ['tests/unit/lint/isolation.test.ts'])).toEqual(['tests/unit/lint/isolation.test.ts']);
  });
});
