// Which in-process test files need a module graph of their own. The `in-process` project shares one module graph
// across its files (isolate: false in vitest.config.ts): importing the control plane's modules anew for each file cost
// ≈ 1.3 s a file, more than half of that project's time. A file runs isolated (project `isolated`) when it changes what
// the files after it would see: module mocks, stubbed globals or environment, fake timers, a DOM environment of its
// own. The rule reads the files, so a new file is placed by what it does, not by a list kept by hand.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What a test file does that calls for isolation. */
export const NEEDS_ISOLATION = new RegExp([
  String.raw`\bvi\.(mock|doMock|stubGlobal|stubEnv|useFakeTimers|resetModules)\b`, '@vitest-environment', String.raw`process\.env\.\w+\s*=(?!=)`,
  String.raw`delete process\.env`,
].join('|'));

function walk(root: string, dir: string): string[] {
  if (!fs.existsSync(path.join(root, dir))) return [];
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return walk(root, rel);
    return e.name.endsWith('.test.ts') ? [rel] : [];
  });
}

/** The test files under `root` that `patterns` name, each either a file or every test file under a folder (`dir/**\/*.test.ts`). */
export function filesOf(root: string, patterns: readonly string[]): string[] {
  const files = new Set<string>();
  for (const p of patterns) {
    if (!p.endsWith('/**/*.test.ts')) {
      if (fs.existsSync(path.join(root, p))) files.add(p);
      continue;
    }
    for (const f of walk(root, p.slice(0, -'/**/*.test.ts'.length))) files.add(f);
  }
  return [...files].sort();
}

/** Of `files` (relative to `root`), those whose text calls for a module graph of their own. */
export function needingIsolation(root: string, files: readonly string[]): string[] {
  return files.filter((f) => NEEDS_ISOLATION.test(fs.readFileSync(path.join(root, f), 'utf8')));
}
