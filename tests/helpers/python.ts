// Running Debian's python3 with python3-kubernetes (the second real client): a script of tests/fixtures/python or
// inline code, with a clean environment and a HOME of the test's own, killed at a deadline.
import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** Debian's interpreter, where python3-kubernetes is installed (a pyenv python3 on PATH may lack it). */
export const PYTHON = '/usr/bin/python3';

export interface PythonResult { code: number; stdout: string; stderr: string }

/** The path of a script in tests/fixtures/python. */
export function pythonFixture(name: string): string {
  return path.join(__dirname, '..', 'fixtures', 'python', name);
}

/** Runs python3 with `args` (a script and its arguments, or `-c CODE …`). */
export function runPython(args: string[], home: string, timeoutMs = 60_000): Promise<PythonResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, { env: { PATH: '/usr/bin:/bin', HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
