// The built-in registry as a child process (the real docker-registry and skopeo): it answers on 127.0.0.1 (and, by a
// process of its own on the same storage, on an address nodes reach it at), keeps its
// images in the data dir across restarts, stops by PID, refuses a port in use by naming it, says how to get a
// missing binary, and a core started with it fails to start on a taken port.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { registryDir, startBuiltinRegistry } from '../../../main/nodes/registry/builtin';
import { startCore } from '../../../main/core';
import { pushTarballToRegistry } from '../../../main/nodes/registry/push-tarball';
import { builtImages } from '../../../main/nodes/artifacts';
import { importImageTarball } from '../../../main/bridge/images';
import { freePort } from '../../helpers/free-port';

const dirs: string[] = [];
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-builtin-reg-'));
  dirs.push(d);
  return d;
};
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

const alive = (pid: number): boolean => {
  try { return !/^\S+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
};

async function holdPort(port: number): Promise<net.Server> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(port, '127.0.0.1', () => r()));
  return srv;
}

describe('the built-in registry', () => {
  it('keeps pushed images in the data dir across a restart and stops by PID', async () => {
    const dataDir = tmp();
    const port = await freePort();
    let reg = await startBuiltinRegistry({ dataDir, port });
    try {
      const hello = (await builtImages(dataDir)).find((f) => path.basename(f) === 'hello.tar')!;
      expect(await pushTarballToRegistry(hello, port)).toEqual([`localhost:${port}/flotilla/hello:1`]);
      // The UI's tarball drop pushes too.
      const counter = (await builtImages(dataDir)).find((f) => path.basename(f) === 'counter.tar')!;
      expect(await importImageTarball(dataDir, 'counter.tar', fs.readFileSync(counter), port))
        .toBe(`Saved counter.tar (no node is running yet). Every node added from now on gets it too. Pushed to the built-in registry as localhost:${port}/flotilla/counter:1.`);
      await reg.stop();
      expect(alive(reg.pid)).toBe(false);
      reg = await startBuiltinRegistry({ dataDir, port });
      const tags = execFileSync('/usr/bin/skopeo', ['list-tags', '--tls-verify=false', `docker://127.0.0.1:${port}/flotilla/hello`], { encoding: 'utf8' });
      expect((JSON.parse(tags) as { Tags: string[] }).Tags).toEqual(['1']);
    } finally {
      await reg.stop();
    }
  }, 120_000);

  it('serves another address (a bridge gateway) with a registry process of its own on the same storage, stopped with it', async () => {
    const dataDir = tmp();
    const port = await freePort();
    const reg = await startBuiltinRegistry({ dataDir, port });
    const pidFile = path.join(registryDir(dataDir), 'registry-127.0.0.2.pid');
    let pid = 0;
    try {
      const hello = (await builtImages(dataDir)).find((f) => path.basename(f) === 'hello.tar')!;
      await pushTarballToRegistry(hello, port);
      await Promise.all([reg.exposeOn('127.0.0.2'), reg.exposeOn('127.0.0.2')]);
      pid = Number(fs.readFileSync(pidFile, 'utf8'));
      expect(pid).not.toBe(reg.pid);
      expect(alive(pid)).toBe(true);
      // Pushed through 127.0.0.1, read through the other address (no cache: the files are read afresh).
      const tags = execFileSync('/usr/bin/skopeo', ['list-tags', '--tls-verify=false', `docker://127.0.0.2:${port}/flotilla/hello`], { encoding: 'utf8' });
      expect((JSON.parse(tags) as { Tags: string[] }).Tags).toEqual(['1']);
      const listening = execFileSync('ss', ['-Htln', `sport = :${port}`], { encoding: 'utf8' }).trim().split('\n').map((l) => l.split(/\s+/)[3]).sort();
      expect(listening).toEqual([`127.0.0.1:${port}`, `127.0.0.2:${port}`]);
    } finally {
      await reg.stop();
    }
    expect(alive(pid)).toBe(false);
    expect(fs.existsSync(pidFile)).toBe(false);
  }, 120_000);

  it('names a port in use and says how to get a missing binary', async () => {
    const port = await freePort();
    const srv = await holdPort(port);
    try {
      await expect(startBuiltinRegistry({ dataDir: tmp(), port }))
        .rejects.toThrow(`the built-in registry cannot listen on 127.0.0.1:${port}: the port is in use (pick another with --registry-port, 0 for none)`);
      await expect(startBuiltinRegistry({ dataDir: tmp(), port: port + 1, binary: '/nonexistent/docker-registry' }))
        .rejects.toThrow('the built-in registry needs /nonexistent/docker-registry (Debian\'s docker-registry package): run `npm run setup` or `apt-get install docker-registry`');
    } finally {
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });

  it('fails the core\'s start on a taken port (unless optional)', async () => {
    const port = await freePort();
    const srv = await holdPort(port);
    try {
      await expect(startCore({ dataDir: tmp(), apiPort: 0, controllers: false, log: () => undefined, registry: { port } }))
        .rejects.toThrow(`127.0.0.1:${port}: the port is in use`);
      const logs: string[] = [];
      const core = await startCore({ dataDir: tmp(), apiPort: 0, controllers: false, log: (l) => logs.push(l), registry: { port, optional: true } });
      await core.stop();
      expect(core.imageRegistry).toBeUndefined();
      expect(logs.join('\n')).toContain(`built-in registry not started: the built-in registry cannot listen on 127.0.0.1:${port}`);
    } finally {
      await new Promise<void>((r) => srv.close(() => r()));
    }
  }, 60_000);
});
