// An interactive kubectl child driven by a test (run -it, attach, debug -i): write to its stdin, wait for its
// output with a deadline, end its stdin, await its exit, kill it in a finally.
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { KUBECTL, type TestCluster } from './cluster';
import { waitFor } from './wait';

export interface Interactive {
  write(s: string): void;
  end(): void;
  /** Waits until everything kubectl printed so far (stdout and stderr) matches `re`. */
  until(re: RegExp, what: string, timeoutMs?: number): Promise<unknown>;
  output(): string;
  exited: Promise<number | null>;
  kill(): void;
}

/**
 * kubectl as a child whose stdin stays open until the test closes it (containerd ends an attach when its
 * stdin ends, so input must not end before the output it causes has arrived). `tty` runs it under script(1),
 * which gives kubectl a terminal for -t; a terminal wants `\r` where a pipe wants `\n`.
 */
export function interactiveKubectl(c: TestCluster, args: string[], tty = false): Interactive {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', KUBECONFIG: c.core.kubeconfigPath, HOME: path.join(c.dir, 'home'), TERM: 'dumb' };
  const child = tty
    ? spawn('script', ['-qfec', [KUBECTL, ...args].join(' '), '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(KUBECTL, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    write: (x) => { child.stdin.write(x); },
    end: () => { child.stdin.end(); },
    until: (re, what, timeoutMs = 60_000) => waitFor(() => re.test(out), `${what} (output so far: ${JSON.stringify(out)})`, timeoutMs, 100),
    output: () => out,
    exited,
    kill: () => { if (child.exitCode === null) child.kill('SIGKILL'); },
  };
}
