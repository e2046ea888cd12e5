// The Electron main bundle as the app ships it, under plain Node with a stand-in `electron` module
// (support/electron-main.ts), from a copy of out/ outside the source tree: its name and data dir, the
// window's files, one bridge call end to end over ipcMain (a sandbox node added and Ready, with the
// images built from the bundle's own pause.c and the agent from the bundle), and a start-up failure
// (the API port taken) shown in a dialog that offers a free port, then a clean exit.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { KObject, Machine } from '../../main/api/types';
import { downMachines } from '../../main/nodes/down';
import { PollFailure, pollUntil } from '../../main/protocol/poll';
import { leftovers, skipWithoutAgent, uniqueSandbox } from '../integration/nodes/support';
import { copyBundle, ElectronMainProcess, tempDir } from './support/electron-main';

const dirs: string[] = [];
const apps: ElectronMainProcess[] = [];

afterAll(() => {
  for (const a of apps) a.kill();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function setup(withImages: boolean): { dir: string; out: string; env: NodeJS.ProcessEnv } {
  const dir = tempDir();
  dirs.push(dir);
  const out = copyBundle(dir, withImages);
  return { dir, out, env: { ...process.env, XDG_CONFIG_HOME: path.join(dir, 'config'), FLOTILLA_API_PORT: '0', FLOTILLA_NODES: '0' } };
}

type NodeObj = KObject & { status?: { conditions?: Array<{ type: string; status: string }> } };

describe('the Electron main bundle under Node', () => {
  it.skipIf(skipWithoutAgent)('starts as Flotilla with its own data dir, opens the window, and adds a Ready sandbox node over the IPC bridge', async () => {
    const { dir, out, env } = setup(false);
    const cfg = uniqueSandbox(5);
    const sandboxEnv = { FLOTILLA_SANDBOX_BRIDGE: cfg.bridge, FLOTILLA_SANDBOX_SUBNET: cfg.subnet, FLOTILLA_SANDBOX_PREFIX: cfg.prefix };
    const app = new ElectronMainProcess(out, { ...env, ...sandboxEnv });
    apps.push(app);
    const dataDir = path.join(dir, 'config', 'Flotilla', 'cluster');
    try {
      const lock = await app.message('lock', 20_000);
      expect(lock).toEqual({ type: 'lock', name: 'Flotilla', userData: path.join(dir, 'config', 'Flotilla') });
      const win = await app.message('window', 60_000);
      expect(win.file).toBe(path.join(out, 'renderer', 'index.html'));
      expect(fs.existsSync(win.file)).toBe(true);
      expect(fs.existsSync(win.preload)).toBe(true);

      await app.call('addMachine', { provider: 'sandbox', cpus: 1, memoryMiB: 1024, diskGiB: 5, name: 'node-1' });
      await pollUntil(async () => {
        const machine = (await app.call('get', { kind: 'machines', name: 'node-1' })) as Machine;
        if (machine.status?.phase === 'Failed') throw new PollFailure(`machine node-1 failed: ${machine.status.message ?? ''}`);
        const { items } = await app.call('list', { kind: 'nodes' });
        return (items as NodeObj[]).some((n) => n.metadata?.name === 'node-1' && n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      }, 120_000, 'node-1 Ready', 250);
      // The pods' list comes encoded (the window's bridge keeps it, list-cache.ts) and parses to the list call's answer.
      const pods = await app.reply('list', { kind: 'pods' });
      expect('encoded' in pods).toBe(true);
      const listed = JSON.parse((pods as { encoded: string }).encoded) as { items: unknown[]; resourceVersion: string };
      expect(Array.isArray(listed.items)).toBe(true);
      expect(Number(listed.resourceVersion)).toBeGreaterThan(0);
      // The demo images were built in the data dir from the bundle's pause.c (this copy ships none prebuilt).
      expect(fs.readdirSync(path.join(dataDir, 'images')).filter((f) => f.endsWith('.tar')).sort()).toEqual(['counter.tar', 'hello.tar', 'pause.tar']);
      expect(await app.quit()).toBe(0);
    } catch (e) {
      console.error(app.output);
      throw e;
    } finally {
      app.kill();
      const r = await downMachines(dataDir);
      expect(r.errors).toEqual([]);
      expect(leftovers(cfg, dataDir)).toEqual([]);
    }
  }, 240_000);

  it('says a taken API port in a dialog, offers a free one (relaunch with --api-port=0) and exits without a window', async () => {
    const { out, env } = setup(true);
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const app = new ElectronMainProcess(out, { ...env, FLOTILLA_API_PORT: String(port), FAKE_ELECTRON_DIALOG_RESPONSE: '0' });
      apps.push(app);
      expect(await app.exited).toBe(1);
      const dialog = app.messages.find((m) => m.type === 'dialog');
      expect(dialog?.type === 'dialog' && dialog.opts.message).toBe(`Port ${port} is in use by another program`);
      // Electron's argv after the executable (here the bundle's entry) and the free-port flag.
      expect(app.messages.find((m) => m.type === 'relaunch')).toEqual({ type: 'relaunch', args: [path.join(out, 'main/index.js'), '--api-port=0'] });
      expect(app.messages.some((m) => m.type === 'window')).toBe(false);
    } finally {
      taken.close();
    }
  }, 60_000);
});
