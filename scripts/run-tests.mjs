// Runs the four vitest projects side by side (see vitest.config.ts), each one file at a time: `host`, `nodes`,
// `in-process` and `node-local`. Each line is written whole as it comes; the exit code is non-zero if either run failed.
// Extra arguments (e.g. a file filter) go to both runs.
// The four outputs interleave, so a failed run's own failure report (vitest's "Failed Tests" section, or the run's
// last lines if it ended without one) is written again at the end, then the names of what failed, last of all, where a
// reader of the log's tail finds them.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const vitest = new URL('../node_modules/vitest/vitest.mjs', import.meta.url).pathname;
const extra = process.argv.slice(2);
const TAIL_LINES = 80;
const REPORT_LINES = 400;
const plain = (line) => line.replace(/\u001b\[[0-9;]*m/g, '');

function run(project) {
  const child = spawn(process.execPath, [vitest, 'run', '--project', project, '--passWithNoTests', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
  });
  const kept = { tail: [], report: [], failedFiles: [] };
  for (const [stream, out] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      out.write(`${line}\n`);
      keep(kept, line);
    });
  }
  return {
    project,
    child,
    kept,
    done: new Promise((resolve) => child.once('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)))),
  };
}

function keep(kept, line) {
  const text = plain(line);
  kept.tail.push(line);
  if (kept.tail.length > TAIL_LINES) kept.tail.shift();
  if (/^\s*(FAIL|❯|×)\s/.test(text) && kept.failedFiles.length < 50) kept.failedFiles.push(line);
  if (kept.report.length > 0 || /Failed Tests \d+|Unhandled Errors?/.test(text)) {
    if (kept.report.length < REPORT_LINES) kept.report.push(line);
  }
}

const runs = [run('host'), run('nodes'), run('in-process'), run('node-local')];
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { for (const r of runs) if (r.child.exitCode === null) r.child.kill(sig); });
}
const codes = await Promise.all(runs.map((r) => r.done));
const failedRuns = runs.filter((_, i) => codes[i] !== 0);
for (const r of failedRuns) {
  process.stdout.write(`\n==== the ${r.project} run failed (exit ${codes[runs.indexOf(r)]}): its report again ====\n`);
  process.stdout.write(`${(r.kept.report.length ? r.kept.report : r.kept.tail).join('\n')}\n`);
}
for (const r of failedRuns) {
  process.stdout.write(`\n==== ${r.project}: what failed ====\n${r.kept.failedFiles.join('\n') || '(no failing test named: see above)'}\n`);
}
const failed = failedRuns.map((r) => r.project);
process.stdout.write(failed.length ? `\ntests: the ${failed.join(' and ')} run failed\n` : '\ntests: every run (host, nodes, in-process, node-local) passed\n');
process.exit(failed.length ? 1 : 0);
