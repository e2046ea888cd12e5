// The real `flotilla` command (node --import tsx main/cli.ts) as a child process: usage errors
// exit 2 before anything starts, and help exits 0. Each serve invocation also gets a temp data dir
// and free ports, so that a parser which wrongly accepted it would start a harmless server (killed
// at the deadline) rather than take the default ports or ~/.flotilla.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-cli-'));
const SAFE_SERVE = ['--data-dir', path.join(dir, 'data'), '--api-port', '0', '--ui-port', '0', '--registry-port', '0'];

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; a run still going after the deadline is killed (by its PID) and reported with code null. */
function flotilla(args: string[], timeoutMs = 20_000): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main/cli.ts'), ...args], {
      cwd: ROOT, timeout: timeoutMs, killSignal: 'SIGKILL', env: { ...process.env, FLOTILLA_DATA_DIR: path.join(dir, 'default') },
    }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('flotilla (the real command)', { timeout: 30_000 }, () => {
  it('serve --node 2 (a typo of --nodes) exits 2, naming --node and suggesting --nodes', async () => {
    const r = await flotilla(['serve', '--node', '2', ...SAFE_SERVE]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toContain("unknown option '--node'");
    expect(r.stderr).toContain('Did you mean --nodes?');
    expect(r.stderr).toContain('Usage: flotilla serve');
    expect(r.stdout).not.toContain('API server');
  });

  it('serve --nodes abc exits 2, naming the flag and the value', async () => {
    const r = await flotilla(['serve', '--nodes', 'abc', ...SAFE_SERVE]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toContain("option '--nodes <n>' argument 'abc' is invalid");
  });

  it('serve --help lists every flag, --hollow-nodes included, with defaults, and exits 0', async () => {
    const r = await flotilla(['serve', '--help', ...SAFE_SERVE]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const flag of ['--data-dir <dir>', '--api-port <port>', '--ui-port <port>', '--nodes <n>', '--provider <name>', '--hollow-nodes <n>']) expect(r.stdout).toContain(flag);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('(default: 6443)');
  });

  it('help serve prints the same help', async () => {
    const [a, b] = await Promise.all([flotilla(['help', 'serve', ...SAFE_SERVE]), flotilla(['serve', '--help', ...SAFE_SERVE])]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('node add --bogus exits 2 without looking for a cluster', async () => {
    const r = await flotilla(['node', 'add', '--bogus']);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toContain("flotilla node add: unknown option '--bogus'");
    expect(r.stderr).not.toContain('no Flotilla cluster');
  });

  it('bench ui --help lists its own flags and exits 0 without starting anything', async () => {
    const r = await flotilla(['bench', 'ui', '--help']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const flag of ['--nodes <n>', '--pods <n>', '--rate <n>', '--seconds <n>', '--chromium <path>']) expect(r.stdout).toContain(flag);
  });

  it('--help lists the commands; no command at all is a usage error', async () => {
    const [help, none] = await Promise.all([flotilla(['--help']), flotilla([])]);
    expect(help.code).toBe(0);
    for (const c of ['serve', 'node', 'images', 'bench', 'down', 'help']) expect(help.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: flotilla');
  });
});
