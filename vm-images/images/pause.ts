// docker.io/flotilla/pause:1 — the sandbox image: pause.c compiled statically.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageSpec } from './oci';

/** Compiles pause.c; `source` is where it is (beside this file in the sources; an app passes its bundled copy). */
export function compilePause(source = join(__dirname, 'pause.c')): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-pause-'));
  try {
    const out = join(dir, 'pause');
    execFileSync('gcc', ['-static', '-Os', '-s', '-Wl,--build-id=none', '-o', out, source], { stdio: 'inherit' });
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pauseImage(source?: string): ImageSpec {
  return {
    ref: 'docker.io/flotilla/pause:1',
    layer: [{ type: 'file', path: 'pause', data: compilePause(source), mode: 0o755 }],
    entrypoint: ['/pause'],
  };
}
