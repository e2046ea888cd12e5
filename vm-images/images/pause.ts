// docker.io/flotilla/pause:1 — the sandbox image: pause.c compiled statically, once per architecture.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageSpec } from './oci';
import { checkBinary, type Toolchain } from './platforms';

export const PAUSE_REF = 'docker.io/flotilla/pause:1';

/** Compiles pause.c for the toolchain's architecture; `source` is where it is (beside this file in the sources; an app passes its bundled copy). */
export function compilePause(tc: Toolchain, source = join(__dirname, 'pause.c')): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-pause-'));
  try {
    const out = join(dir, 'pause');
    const r = spawnSync(tc.cc, ['-static', '-Os', '-s', '-Wl,--build-id=none', '-o', out, source], { encoding: 'utf8' });
    const what = `compiling the linux/${tc.arch} pause binary (${tc.cc} -static ${source})`;
    if (r.error) {
      const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new Error(`${what} failed: ${missing ? `${tc.cc} is not installed (apt-get install ${tc.ccPackages})` : r.error.message}`);
    }
    if (r.status !== 0) throw new Error(`${what} failed with exit code ${r.status ?? r.signal}: ${r.stderr.trim() || r.stdout.trim()}`);
    checkBinary(out, tc.arch, `a ${tc.cc} that builds`);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pauseImage(tc: Toolchain, source?: string): ImageSpec {
  return {
    ref: PAUSE_REF,
    layer: [{ type: 'file', path: 'pause', data: compilePause(tc, source), mode: 0o755 }],
    entrypoint: ['/pause'],
  };
}
