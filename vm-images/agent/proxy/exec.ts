// How the proxier (and the network helpers) run commands: an injectable function, so the same code
// programs a node directly or a test network namespace through `ip netns exec`.
import { spawn } from 'node:child_process';

export interface ExecResult { code: number; stdout: string; stderr: string }
export type Exec = (argv: string[], stdin?: string) => Promise<ExecResult>;

/** Runs argv directly (no shell), feeding stdin if given. Never rejects for a non-zero exit. */
export const localExec: Exec = (argv, stdin) =>
  new Promise((resolve) => {
    const [cmd, ...args] = argv;
    if (cmd === undefined) {
      resolve({ code: 127, stdout: '', stderr: 'empty argv' });
      return;
    }
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => resolve({ code: 127, stdout: '', stderr: String(e) }));
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin ?? '');
  });

/** Prefixes every command with `ip netns exec <ns>`. */
export function netnsExec(ns: string, base: Exec = localExec): Exec {
  return (argv, stdin) => base(['ip', 'netns', 'exec', ns, ...argv], stdin);
}

/** Runs and throws with the command's stderr when it fails. */
export async function run(exec: Exec, argv: string[], stdin?: string): Promise<string> {
  const r = await exec(argv, stdin);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}
