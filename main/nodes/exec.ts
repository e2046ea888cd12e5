// Runs host commands for the providers: argv only (no shell unless asked), stderr in the error.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

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

/** Whether a program of that name is in one of $PATH's directories. */
export function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':').some((d) => d && existsSync(`${d}/${cmd}`));
}

export interface StreamOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Each line of stdout and stderr as it comes. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Aborting kills the process (by its PID) with SIGTERM. */
  signal?: AbortSignal;
}

/** Runs argv, passing each output line on as it arrives; never rejects for a non-zero exit (code 127 when the program is missing). */
export function runStreaming(argv: string[], opts: StreamOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const [cmd, ...args] = argv;
    if (!cmd) { resolve({ code: 127, stdout: '', stderr: 'empty command' }); return; }
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env, cwd: opts.cwd });
    const kept = { stdout: [] as string[], stderr: [] as string[] };
    let open = 2;
    let exit: number | undefined;
    const done = (): void => {
      if (open > 0 || exit === undefined) return;
      opts.signal?.removeEventListener('abort', abort);
      resolve({ code: exit, stdout: kept.stdout.join('\n'), stderr: kept.stderr.join('\n') });
    };
    const abort = (): void => { if (child.pid && child.exitCode === null) process.kill(child.pid, 'SIGTERM'); };
    if (opts.signal?.aborted) abort();
    opts.signal?.addEventListener('abort', abort);
    for (const stream of ['stdout', 'stderr'] as const) {
      const rl = createInterface({ input: child[stream], crlfDelay: Infinity });
      rl.on('line', (line) => {
        kept[stream].push(line);
        if (kept[stream].length > 200) kept[stream].shift(); // the tail is what an error needs
        opts.onLine?.(line, stream);
      });
      rl.on('close', () => { open--; done(); });
    }
    child.on('error', (e) => { kept.stderr.push(e.message); exit = 127; open = 0; done(); });
    child.on('close', (code, signal) => { exit = code ?? (signal ? 128 : 1); done(); });
  });
}
