// Early, plain failures of a Machine on a real sandbox node: images built without the node's
// architecture (as an artifact without arm64 would be on a Mac) fail it before anything is uploaded,
// with an UnsupportedArchitecture condition and event naming the architecture and each image; an image
// build that fails (the compiler) fails it before any machine is made, said as that and not as SSH.
import { mkdtempSync, rmSync } from 'node:fs';
import { machine } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { MachineController } from '../../../main/nodes/machine-controller';
import { SandboxProvider } from '../../../main/nodes/providers/sandbox/provider';
import { defaultAgentBundle } from '../../../main/nodes/artifacts';
import { buildImages } from '../../../vm-images/images/build-images';
import { ARCHES, hostArch } from '../../../vm-images/images/platforms';
import { R } from '../../../main/client/refs';
import type { Event, KObject, Machine } from '../../../main/api/types';
import { skipWithoutAgent, stopClusterWithNodes, uniqueSandbox } from './support';

type M = Machine & KObject;
const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };

describe.skipIf(skipWithoutAgent)('machine early failures (sandbox)', () => {
  const cfg = uniqueSandbox(7);
  const here = hostArch() ?? 'amd64';
  const other = ARCHES.find((a) => a !== here) ?? 'arm64';
  let c: TestCluster;
  let dir: string;
  let controller: MachineController | undefined;
  let provider: SandboxProvider;
  const logs: string[] = [];

  const run = (imageTarballs: () => Promise<string[]>): void => {
    controller?.stop();
    controller = new MachineController({
      client: c.core.client, dataDir: c.core.dataDir, providers: new Map([['sandbox', provider]]), apiPort: c.core.api.port,
      caCertPem: c.core.caCertPem, nodeToken: (n) => c.core.auth.nodeToken(n), agentBundle: defaultAgentBundle, imageTarballs,
      readyTimeoutMs: 60_000, log: (l) => logs.push(`${new Date().toISOString()} ${l}`),
    });
    controller.start();
  };
  const failed = async (name: string): Promise<M> => {
    await c.client.create<M>(R.machines, { apiVersion: 'flotilla.dev/v1alpha1', kind: 'Machine', metadata: { name }, spec: { provider: 'sandbox', running: true } });
    await waitFor(async () => {
      const x = await c.client.get<M>(R.machines, name);
      return x.status?.phase === 'Running' || x.status?.phase === 'Failed' ? x : undefined;
    }, `${name} Failed`, 120_000);
    // The phase, conditions and message may land in separate writes: read them once the controller is idle.
    await controller?.idle();
    return c.client.get<M>(R.machines, name);
  };
  const eventsOf = async (name: string): Promise<Event[]> => (await c.client.list<Event & KObject>(EVENTS, { namespace: 'default' })).items
    .filter((e) => e.involvedObject?.kind === 'Machine' && e.involvedObject.name === name);

  beforeAll(async () => {
    c = await startTestCluster();
    provider = new SandboxProvider({ dataDir: c.core.dataDir, config: cfg });
    dir = mkdtempSync(`/tmp/flt-t${process.pid}-arch-`);
  });

  afterAll(async () => {
    controller?.stop();
    await stopClusterWithNodes(c, cfg, logs);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fails a node whose architecture the images were not built for, naming it and each image', async () => {
    const images = buildImages(join(dir, 'other'), { arches: [other] }).map((i) => i.file);
    run(() => Promise.resolve(images));
    const m = await failed('a1');
    const why = `node a1 is linux/${here} (uname -m: ${machine()}), and these images have no build for it: `
      + ['pause', 'hello', 'counter'].map((n) => `docker.io/flotilla/${n}:1 (${n}.tar: linux/${other})`).join('; ');
    expect(m.status?.phase).toBe('Failed');
    expect(m.status?.message).toBe(`checking that the images have a build for the node's architecture: ${why}; the half-made machine was removed`);
    expect(m.status?.conditions?.find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', reason: 'UnsupportedArchitecture' });
    expect(m.status?.conditions?.some((x) => x.type === 'Bootstrapped')).toBe(false);
    const ev = await eventsOf('a1');
    expect(ev.map((e) => [e.type, e.reason])).toEqual([['Warning', 'UnsupportedArchitecture']]);
    expect(ev[0]?.message).toContain(why);
    expect((await provider.list()).map((x) => x.name)).not.toContain('a1');
    const d = await c.kubectl(['describe', 'machine', 'a1']);
    expect(d.stdout).toMatch(/Warning\s+UnsupportedArchitecture\s+.*node a1 is linux\//);
  });

  it('fails at once when the images cannot be built, saying the compiler failed (not SSH)', async () => {
    let calls = 0;
    run(() => {
      calls += 1;
      return Promise.resolve().then(() => buildImages(join(dir, 'broken'), { arches: [here], pauseSource: join(dir, 'no-pause.c') }).map((i) => i.file));
    });
    const m = await failed('a2');
    expect(m.status?.phase).toBe('Failed');
    expect(m.status?.message).toMatch(new RegExp(`^building the node images: compiling the linux/${here} pause binary \\(gcc -static .*no-pause\\.c\\) failed with exit code 1: .*no-pause\\.c: No such file or directory`));
    expect(m.status?.message).not.toMatch(/ssh/i);
    expect(m.status?.conditions?.find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ImageBuildFailed' });
    expect(m.status?.conditions?.some((x) => x.type === 'Provisioned')).toBe(false);
    expect((await eventsOf('a2')).map((e) => [e.type, e.reason])).toEqual([['Warning', 'ImageBuildFailed']]);
    expect(calls).toBe(1);
    expect((await provider.list()).map((x) => x.name)).not.toContain('a2');
  });
});
