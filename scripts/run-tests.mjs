// Runs the vitest projects side by side (see vitest.config.ts), each run one file at a time: `host`, `nodes`,
// `in-process` and `node-local` (each after its isolated project, in the same run), and `vm`, which first builds the QEMU node image (or finds
// it in its cache) and then boots a VM. Each line is written whole as it comes; the exit code is non-zero if any run
// failed. Extra arguments (e.g. a file filter) go to every run; `--lint` adds the lint as a run of its own (npm test).
// The four outputs interleave, so a failed run's own failure report (vitest's "Failed Tests" section, or the run's
// last lines if it ended without one) is written again at the end, then the names of what failed, last of all, where a
// reader of the log's tail finds them.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const vitest = new URL('../node_modules/vitest/vitest.mjs', import.meta.url).pathname;
// --lint: the lint (ESLint, then both type checks) runs as a run of its own beside the tests (npm test): it is one
// process for ≈ 2.5 min, and the test runs leave a core idle for much of their time.
const lint = process.argv.includes('--lint');
const extra = process.argv.slice(2).filter((a) => a !== '--lint');
const TAIL_LINES = 80;
const REPORT_LINES = 400;
const plain = (line) => line.replace(/\u001b\[[0-9;]*m/g, '');

/** One child whose lines are written as they come and kept for the report; resolves to its exit code. */
function child(argv, kept, current, lane) {
  // FLOTILLA_TEST_LANE: the run's own share of the test networks (tests/helpers/unique-network.ts), so that two runs
  // side by side never choose the same subnet in the moment before either has made its bridge.
  const c = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FLOTILLA_TEST_LANE: lane } });
  current.child = c;
  for (const [stream, out] of [[c.stdout, process.stdout], [c.stderr, process.stderr]]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      out.write(`${line}\n`);
      keep(kept, line);
    });
  }
  return new Promise((resolve) => c.once('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

/** A run of the projects, after the steps before it (node scripts, each of which must succeed); no projects: the steps alone. */
function run(name, projects, before = []) {
  const kept = { tail: [], report: [], failedFiles: [] };
  const current = { child: undefined };
  const done = (async () => {
    for (const argv of before) {
      const code = await child(argv, kept, current, name);
      if (code !== 0) return code;
    }
    if (projects.length === 0) return 0;
    return child([vitest, 'run', ...projects.flatMap((p) => ['--project', p]), '--passWithNoTests', ...extra], kept, current, name);
  })();
  return { project: name, current, kept, done };
}

const bin = (p) => new URL(`../node_modules/${p}`, import.meta.url).pathname;
const LINT_STEPS = [[bin('eslint/bin/eslint.js'), '.'], [bin('typescript/bin/tsc'), '-p', 'tsconfig.node.json'], [bin('vue-tsc/bin/vue-tsc.js'), '-p', 'tsconfig.web.json']];

function keep(kept, line) {
  const text = plain(line);
  kept.tail.push(line);
  if (kept.tail.length > TAIL_LINES) kept.tail.shift();
  if (/^\s*(FAIL|❯|×)\s/.test(text) && kept.failedFiles.length < 50) kept.failedFiles.push(line);
  if (kept.report.length > 0 || /Failed Tests \d+|Unhandled Errors?/.test(text)) {
    if (kept.report.length < REPORT_LINES) kept.report.push(line);
  }
}

const QEMU_TEST = 'tests/integration/nodes/qemu-provider.test.ts';
// The image is built only when the vm run has its file to run (no file filter, or one that names it).
const filters = extra.filter((a) => !a.startsWith('-'));
const buildQemuImage = filters.length && !filters.some((f) => QEMU_TEST.includes(f))
  ? []
  : [['--import', 'tsx', new URL('../tests/helpers/build-qemu-image.ts', import.meta.url).pathname]];
const runs = [
  // First, so that the VM boots while the other runs are still at work rather than after them.
  run('vm', ['vm'], buildQemuImage),
  run('host', ['host-isolated', 'host']),
  run('nodes', ['nodes-isolated', 'nodes']),
  run('in-process', ['isolated', 'in-process']),
  run('node-local', ['node-local-isolated', 'node-local']),
  ...(lint ? [run('lint', [], LINT_STEPS)] : []),
];
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { for (const r of runs) if (r.current.child && r.current.child.exitCode === null) r.current.child.kill(sig); });
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
process.stdout.write(failed.length ? `\ntests: the ${failed.join(' and ')} run failed\n` : `\ntests: every run (${runs.map((r) => r.project).join(', ')}) passed\n`);
process.exit(failed.length ? 1 : 0);
