// Runs the four vitest projects side by side (see vitest.config.ts), each one file at a time: `host`, `nodes`,
// `in-process` and `node-local`. Each line is written whole as it comes; the exit code is non-zero if either run failed.
// Extra arguments (e.g. a file filter) go to both runs.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const vitest = new URL('../node_modules/vitest/vitest.mjs', import.meta.url).pathname;
const extra = process.argv.slice(2);

function run(project) {
  const child = spawn(process.execPath, [vitest, 'run', '--project', project, '--passWithNoTests', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
  });
  for (const [stream, out] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`${line}\n`));
  }
  return { project, child, done: new Promise((resolve) => child.once('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)))) };
}

const runs = [run('host'), run('nodes'), run('in-process'), run('node-local')];
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { for (const r of runs) if (r.child.exitCode === null) r.child.kill(sig); });
}
const codes = await Promise.all(runs.map((r) => r.done));
const failed = runs.filter((_, i) => codes[i] !== 0).map((r) => r.project);
process.stdout.write(failed.length ? `\ntests: the ${failed.join(' and ')} run failed\n` : '\ntests: every run (host, nodes, in-process, node-local) passed\n');
process.exit(failed.length ? 1 : 0);
