// `flotilla node add|ls|stop|start|rm`, `images import` and `down` against a running
// `flotilla serve --nodes 0` on sandbox nodes: everything goes through the API; add prints each
// step and returns when the Node is Ready; a provider that cannot run here says why.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downMachines } from '../../../main/nodes/down';
import { waitFor } from '../../helpers/cluster';
import { leftovers, skipWithoutAgent, uniqueSandbox } from './support';
import { uniqueClusterCIDR } from '../../helpers/unique-network';
import { builtImages } from '../../../main/nodes/artifacts';
import { MACHINE_STEPS } from '../../../main/nodes/machine-controller';
import { freePort } from '../../helpers/free-port';
import { runFlotilla, type CliResult } from '../../helpers/flotilla-cli';
import { hostPathOf, nodeDirs } from '../../../main/nodes/providers/sandbox/node-state';
import { IMPORT_LOCK_NAME, importLockFile } from '../../../main/protocol/image-import-lock';
import { NODE } from '../../../main/nodes/node-paths';

const ROOT = path.resolve(__dirname, '../../..');
const cfg = uniqueSandbox(3);
/** The data dir's pod network: the same on every start (another one is refused). */
const clusterCIDR = uniqueClusterCIDR();
const env = (): NodeJS.ProcessEnv => ({ ...process.env, FLOTILLA_SANDBOX_BRIDGE: cfg.bridge, FLOTILLA_SANDBOX_SUBNET: cfg.subnet, FLOTILLA_SANDBOX_PREFIX: cfg.prefix, PATH: `/nonexistent-bin:${process.env.PATH ?? ''}` });

function flotilla(args: string[], timeoutMs = 120_000): Promise<CliResult> {
  return runFlotilla(args, env(), timeoutMs);
}

describe.skipIf(skipWithoutAgent)('flotilla node … (CLI through the API of flotilla serve)', { timeout: 120_000 }, () => {
  let dir: string;
  let dataDir: string;
  let serve: ChildProcess;
  let out = '';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-cli-node-'));
    dataDir = path.join(dir, 'data');
    serve = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main/cli.ts'), 'serve', '--data-dir', dataDir, '--api-port', String(await freePort()), '--ui-port', '0', '--nodes', '0', '--ingress-port', '0', '--ingress-https-port', '0', '--registry-port', '0', '--cluster-cidr', clusterCIDR],
      { cwd: ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    serve.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    serve.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out.includes('Flotilla API server: '), 'serve', 60_000);
  });

  afterAll(async () => {
    if (serve.exitCode === null) await new Promise<void>((r) => { serve.once('exit', () => r()); serve.kill('SIGTERM'); });
    await downMachines(dataDir);
    const left = leftovers(cfg, dataDir);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(left).toEqual([]);
  });

  it('says plainly why a provider cannot be used here', async () => {
    const r = await flotilla(['node', 'add', '--provider', 'lima', '--data-dir', dataDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot add a lima node: limactl is not installed/);
  });

  it('node add prints each step and returns once the Node is Ready; ls shows it', async () => {
    const r = await flotilla(['node', 'add', '--name', 'cli-1', '--cpus', '1', '--memory', '1G', '--data-dir', dataDir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/machine cli-1 \(sandbox\) created/);
    expect(r.stdout).toMatch(/Provisioning/);
    expect(r.stdout).toMatch(new RegExp(`Bootstrapping \\[\\d/${MACHINE_STEPS}\\] starting containerd and the agent`));
    // Every step the machine controller wrote, in order, however quickly they passed (a watch, not a poll).
    const steps = [...r.stdout.matchAll(new RegExp(`\\[(\\d)/${MACHINE_STEPS}\\]`, 'g'))].map((m) => Number(m[1]));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(new Set(steps)).toEqual(new Set(Array.from({ length: MACHINE_STEPS }, (_, i) => i + 1)));
    expect(r.stdout).toMatch(/node cli-1 is Ready\n$/);
    const ls = await flotilla(['node', 'ls', '--data-dir', dataDir]);
    expect(ls.stdout).toMatch(/^NAME\s+PROVIDER\s+PHASE\s+INTERNAL-IP\s+NODE\s+MESSAGE/);
    expect(ls.stdout).toMatch(/cli-1\s+sandbox\s+Running\s+10\.251\.\d+\.\d+\s+Ready/);
  });

  it('images import puts a tarball into every running node, never beside another import on the node', async () => {
    // The counter image as the node manager ships it (the build's agent/images/, else built into the data dir).
    const tar = (await builtImages(dataDir)).find((f) => path.basename(f) === 'counter.tar') ?? 'counter.tar missing';
    // Another import holds the node's import lock (the agent's own imports of its tarballs take it too): ours waits.
    const lock = hostPathOf(dataDir, 'cli-1', importLockFile(`${NODE.imagesDir}/counter.tar`)) ?? 'no host path';
    const holder = spawn('flock', [lock, 'sh', '-c', 'echo held; exec cat'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let held = '';
    holder.stdout?.on('data', (d: Buffer) => (held += d.toString()));
    try {
      await waitFor(() => held.includes('held'), 'the lock held');
      let settled = false;
      const importing = flotilla(['images', 'import', tar, '--data-dir', dataDir]).finally(() => (settled = true));
      const nodeMnt = `mnt:[${fs.statSync(nodeDirs(dataDir, 'cli-1').mntFile).ino}]`;
      const waitingInNode = (): boolean => fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).some((pid) => {
        try {
          const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
          return argv[0] === 'flock' && argv.includes(`${NODE.imagesDir}/${IMPORT_LOCK_NAME}`) && argv.some((a) => a.endsWith('/counter.tar'))
            && !argv.includes('--platform') && fs.readlinkSync(`/proc/${pid}/ns/mnt`) === nodeMnt;
        } catch {
          return false; // gone meanwhile
        }
      });
      await waitFor(() => settled || waitingInNode(), 'the import waiting for the lock, or done', 60_000);
      expect(settled, 'the import went on while another one held the node\'s import lock').toBe(false);
      holder.stdin?.end();
      const r = await importing;
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/imported into 1 node\(s\)/);
    } finally {
      if (holder.exitCode === null) await new Promise<void>((resolve) => { holder.once('exit', () => resolve()); holder.stdin?.end(); });
    }
  });

  it('node stop and node start', async () => {
    const stop = await flotilla(['node', 'stop', 'cli-1', '--data-dir', dataDir]);
    expect(stop.stdout).toMatch(/machine cli-1 is Stopped/);
    const start = await flotilla(['node', 'start', 'cli-1', '--data-dir', dataDir]);
    expect(start.stdout).toMatch(/machine cli-1 is Running/);
  });

  it('node rm drains and removes it; down leaves the host clean', async () => {
    const rm = await flotilla(['node', 'rm', 'cli-1', '--data-dir', dataDir]);
    expect(rm.code).toBe(0);
    expect(rm.stdout).toMatch(/machine cli-1 removed/);
    const ls = await flotilla(['node', 'ls', '--data-dir', dataDir]);
    expect(ls.stdout).not.toContain('cli-1');
    const down = await flotilla(['down', '--data-dir', dataDir]);
    expect(down.code).toBe(0);
    expect(leftovers(cfg, dataDir)).toEqual([]);
  });
});
