// Runs host commands for the providers: argv only (no shell unless asked), stderr in the error.
import { spawn } from 'node:child_process';

export interface RunResult { code: number; stdout: string; stderr: string }

export interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
}

/** Runs argv; never rejects for a non-zero exit (code 127 when the program is missing). */
export function runCmd(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const [cmd, ...args] = argv;
    if (!cmd) { resolve({ code: 127, stdout: '', stderr: 'empty command' }); return; }
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env, cwd: opts.cwd });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs) timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => { if (timer) clearTimeout(timer); resolve({ code: 127, stdout: '', stderr: e.message }); });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

export class CommandError extends Error {
  constructor(readonly argv: string[], readonly result: RunResult) {
    const detail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join('\n');
    super(`\`${argv.join(' ')}\` failed (exit ${result.code})${detail ? `: ${detail}` : ''}`);
    this.name = 'CommandError';
  }
}

/** Runs argv and returns stdout; throws CommandError with the tail of stderr on failure. */
export async function mustRun(argv: string[], opts: RunOptions = {}): Promise<string> {
  const r = await runCmd(argv, opts);
  if (r.code !== 0) throw new CommandError(argv, r);
  return r.stdout;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
