// Which code a control-plane benchmark measures. Users run the build (out/main/cli.js: `npm start`, `flotilla serve`),
// not the TypeScript sources through tsx, which keeps every function's name with a call each time a closure is made
// and costs the write path ≈ 5–10 % (bench scheduler 2026-12-06: 955 and 1,032 pods/s from the build against 907 and
// 910 from the sources). So `bench api` starts its server from the build and `bench scheduler` runs itself on the
// build — when the build is at least as new as every source file under main/; otherwise they measure the sources and
// say so (stderr, and `"code": "sources"` in their JSON line), rather than measure stale code.
// FLOTILLA_BENCH_CODE=sources measures the sources even so, FLOTILLA_BENCH_CODE=…/out/main/cli.js another build.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { bundleRoot, fromSources } from '../nodes/assets';

export type MeasuredCode = 'build' | 'sources';

const SOURCES = path.resolve(__dirname, '..');

function newestSource(dir: string): { file: string; mtimeMs: number } {
  let newest = { file: '', mtimeMs: 0 };
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    const found = e.isDirectory() ? newestSource(p) : /\.(ts|json)$/.test(e.name) ? { file: p, mtimeMs: fs.statSync(p).mtimeMs } : undefined;
    if (found && found.mtimeMs > newest.mtimeMs) newest = found;
  }
  return newest;
}

/** The build's `flotilla` command: out/main/cli.js (or the packaged app's). */
export function builtCli(): string {
  return path.join(bundleRoot(), 'main', 'cli.js');
}

/** The build's cli.js when it is present and not older than any source file (.ts, .json) under `sources`; else why not. */
export function freshBuild(cli = builtCli(), sources = SOURCES): { cli: string } | { why: string } {
  if (!fs.existsSync(cli)) return { why: `there is no build (${cli}): npm run build` };
  const built = fs.statSync(cli).mtimeMs;
  const newest = newestSource(sources);
  if (newest.mtimeMs > built) return { why: `${path.relative(process.cwd(), newest.file)} is newer than the build (${cli}): npx electron-vite build` };
  return { cli };
}

/**
 * The build when it is fresh, unless FLOTILLA_BENCH_CODE asks for the sources (`sources`) or for another build (the
 * path of its out/main/cli.js, e.g. a copy of the build before a change, to compare the two in one session).
 */
function wantedBuild(): { cli: string } | { why: string } {
  const wanted = process.env.FLOTILLA_BENCH_CODE;
  if (wanted === 'sources') return { why: 'FLOTILLA_BENCH_CODE=sources' };
  if (wanted) {
    if (!wanted.endsWith('cli.js') || !fs.existsSync(wanted)) throw new Error(`FLOTILLA_BENCH_CODE=${wanted}: neither "sources" nor a build's cli.js`);
    return { cli: path.resolve(wanted) };
  }
  return freshBuild();
}

/** What this process runs. */
export function runningCode(): MeasuredCode {
  return fromSources ? 'sources' : 'build';
}

function noteSources(why: string): void {
  process.stderr.write(`measuring the sources through tsx, not the build users run (${why})\n`);
}

/** How to start `flotilla serve` for a benchmark: node's arguments before `serve`, and which code that is. */
export function serveCommand(): { args: string[]; code: MeasuredCode } {
  if (!fromSources) return { args: [process.argv[1]], code: 'build' };
  const build = wantedBuild();
  if ('cli' in build) return { args: [build.cli], code: 'build' };
  noteSources(build.why);
  return { args: ['--import', 'tsx', path.join(SOURCES, 'cli.ts')], code: 'sources' };
}

/**
 * Runs this same command (process.argv) again on the build, with this process's node flags but tsx's, and resolves
 * with its exit code; undefined when this process should measure itself (it is the build, or the build is stale).
 */
export async function rerunOnBuild(): Promise<number | undefined> {
  if (!fromSources) return undefined;
  const build = wantedBuild();
  if (!('cli' in build)) {
    noteSources(build.why);
    return undefined;
  }
  const flags: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const a = process.execArgv[i];
    if (a === '--import' && process.execArgv[i + 1] === 'tsx') i++;
    else if (a !== '--import=tsx') flags.push(a);
  }
  process.stderr.write(`measuring the build: ${build.cli}\n`);
  const child = spawn(process.execPath, [...flags, build.cli, ...process.argv.slice(2)], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
