// The Images view's bridge calls on a real sandbox node (real containerd through CRI, the real agent, the
// built-in docker-registry, skopeo and buildah): node images with the pods using them, pull, remove one,
// remove unused (the sandbox image and in-use images kept), the registry's tags with sizes and pods, a
// build from a Dockerfile sent as files with its log streamed, and bad input refused with clear errors.
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { CoreOptions } from '../../../main/core';
import { R } from '../../../main/client/refs';
import { builtImages } from '../../../main/nodes/artifacts';
import { bridgeDepsOf, createBridgeSession, type BridgeSession } from '../../../main/bridge/handlers';
import { BUILD_CONTEXT_LIMIT, type BridgeError, type BridgeEvents, type BridgeResult, type NodeImages, type RegistryImages } from '../../../main/bridge/contract';
import { freePort } from '../../helpers/free-port';
import { waitFor } from '../../helpers/wait';
import { sandboxCluster, skipWithoutAgent } from './support';

const N = 25;

describe.skipIf(skipWithoutAgent)('Images view bridge calls on a sandbox node', () => {
  const core: Partial<CoreOptions> = {};
  beforeAll(async () => { core.registry = { port: await freePort() }; });
  const s = sandboxCluster(N, { core, okTimeoutMs: 90_000 });
  const builds: Array<BridgeEvents['build']> = [];
  let bridge: BridgeSession;
  let node = '';
  let port = 0;

  const call = async <T>(name: string, req: unknown): Promise<T> => {
    const r = await bridge.call(name, req) as BridgeResult<T>;
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  const fails = async (name: string, req: unknown): Promise<BridgeError> => {
    const r = await bridge.call(name, req);
    if (r.ok) throw new Error(`${name} succeeded: ${JSON.stringify(r.value)}`);
    return r.error;
  };
  const push = (image: string, dest: string): void => {
    execFileSync('/usr/bin/skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci-archive:${image}`, `docker://${dest}`], { stdio: 'pipe', timeout: 120_000 });
  };
  const statusNames = async (): Promise<string[]> => ((await s.c.client.get<Node>(R.nodes, node)).status?.images ?? []).flatMap((i) => i.names ?? []);

  beforeAll(async () => {
    bridge = createBridgeSession(bridgeDepsOf(s.c.core), (name, payload) => { if (name === 'build') builds.push(payload as BridgeEvents['build']); });
    node = (await s.c.client.list(R.nodes)).items[0]?.metadata?.name ?? '';
    port = s.c.core.imageRegistry?.port ?? 0;
    const images = await builtImages(s.c.core.dataDir);
    const tar = (n: string): string => images.find((i) => path.basename(i) === `${n}.tar`) ?? '';
    push(tar('hello'), `localhost:${port}/flotilla/hello:1`);
    push(tar('counter'), `localhost:${port}/flotilla/counter:1`);
    await s.ok(['run', 'hello', `--image=localhost:${port}/flotilla/hello:1`, '--restart=Never']);
    await waitFor(async () => (await s.c.client.get<Pod>(R.pods, 'hello', 'default')).status?.phase === 'Running', 'pod hello Running', 120_000, 250);
    // The node imports its shipped tarballs (docker.io/flotilla/counter:1 among them) some seconds after start: wait for
    // them, or one would land under the pulled counter image mid-test and go with it when that image is removed.
    await waitFor(async () => (await statusNames()).includes('docker.io/flotilla/counter:1'), 'the node\'s shipped images imported', 60_000, 250);
  }, 200_000);

  it('lists the node\'s images from its agent with sizes, the sandbox image pinned, and the pods using each', async () => {
    const [list] = await call<NodeImages[]>('nodeImages', { node });
    expect(list.node).toBe(node);
    expect(list.source).toBe('agent');
    const hello = list.images.find((i) => i.names.includes(`localhost:${port}/flotilla/hello:1`));
    expect(hello?.pods).toEqual([{ namespace: 'default', name: 'hello' }]);
    expect(hello?.sizeBytes).toBeGreaterThan(0);
    expect(hello?.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    const pause = list.images.find((i) => i.names.includes('docker.io/flotilla/pause:1'));
    expect(pause?.pinned).toBe(true);
    // Every node when none is named.
    expect((await call<NodeImages[]>('nodeImages', {})).map((n) => n.node)).toEqual([node]);
  });

  it('lists the built-in registry\'s tags with sizes and the pods using them', async () => {
    const reg = await call<RegistryImages>('registryImages', null);
    expect(reg.address).toBe(`localhost:${port}`);
    const hello = reg.repositories.find((r) => r.name === 'flotilla/hello')?.tags[0];
    expect(hello).toMatchObject({ tag: '1', image: `localhost:${port}/flotilla/hello:1`, pods: [{ namespace: 'default', name: 'hello' }] });
    expect(hello?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(hello?.sizeBytes).toBeGreaterThan(1000);
    expect(reg.repositories.find((r) => r.name === 'flotilla/counter')?.tags[0]?.pods).toEqual([]);
  });

  it('pulls onto the node, which reports it in status.images within seconds; removes refuse pinned and in-use images; prune keeps them', async () => {
    const counter = `localhost:${port}/flotilla/counter:1`;
    expect(await statusNames()).not.toContain(counter);
    const pulled = await call<{ imageRef: string }>('pullNodeImage', { node, image: counter });
    expect(pulled.imageRef).toMatch(/^sha256:/);
    await waitFor(async () => (await statusNames()).includes(counter), 'status.images lists the pulled image', 15_000, 200);

    expect((await fails('removeNodeImage', { node, image: `localhost:${port}/flotilla/hello:1` })))
      .toMatchObject({ code: 409, message: `node ${node}: image localhost:${port}/flotilla/hello:1 is used by a container on this node: delete its pods first` });
    expect((await fails('removeNodeImage', { node, image: 'docker.io/flotilla/pause:1' })).code).toBe(409);
    expect((await fails('removeNodeImage', { node, image: 'localhost:1/none:1' })))
      .toMatchObject({ code: 404, message: `node ${node}: image localhost:1/none:1 is not on this node` });

    const pruned = await call<{ images: number; removed: string[]; freedBytes: number }>('pruneNodeImages', { node });
    expect(pruned.images).toBeGreaterThan(0);
    expect(pruned.freedBytes).toBeGreaterThan(0);
    expect(pruned.removed).toContain(counter);
    expect(pruned.removed.some((r) => r.includes('pause') || r.includes('flotilla/hello:1'))).toBe(false);
    await waitFor(async () => !(await statusNames()).includes(counter), 'status.images drops the pruned image', 15_000, 200);
    const after = (await call<NodeImages[]>('nodeImages', { node }))[0].images.flatMap((i) => i.names);
    expect(after).toEqual(expect.arrayContaining([`localhost:${port}/flotilla/hello:1`, 'docker.io/flotilla/pause:1']));
    // One unused image by name: pulled again, removed.
    await call('pullNodeImage', { node, image: counter });
    expect(await call('removeNodeImage', { node, image: counter })).toMatchObject({ images: 1, removed: [counter] });
  }, 120_000);

  it('refuses an unknown node, a bad pull and malformed requests with clear errors', async () => {
    expect(await fails('nodeImages', { node: 'nope' })).toMatchObject({ code: 404, message: 'nodes "nope" not found' });
    expect(await fails('pullNodeImage', { node: 'nope', image: 'x' })).toMatchObject({ code: 404, message: 'nodes "nope" not found' });
    expect(await fails('pruneNodeImages', {})).toMatchObject({ code: 400, message: 'node must be a non-empty string' });
    const bad = await fails('pullNodeImage', { node, image: `localhost:${port}/flotilla/missing:1` });
    expect(bad.code).toBe(502);
    expect(bad.message).toContain(`node ${node}: pulling localhost:${port}/flotilla/missing:1 failed: rpc error`);
    expect(await fails('deleteRegistryImage', { repository: 'flotilla/hello', digest: 'latest' }))
      .toMatchObject({ code: 422, message: 'invalid digest "latest": it must be sha256:<64 hex digits>' });
  });

  const b64 = (text: string): string => Buffer.from(text).toString('base64');
  const buildEnd = (id: string) => waitFor(() => builds.find((e) => e.buildId === id && e.end)?.end, `build ${id} to end`, 240_000, 100);
  const buildLines = (id: string): string[] => builds.filter((e) => e.buildId === id).flatMap((e) => e.lines);

  it('builds a Dockerfile sent as files, streaming its log, pushes to the registry; a failing step ends with its line', async () => {
    const files = [
      { path: 'Dockerfile', dataBase64: b64(`FROM localhost:${port}/flotilla/hello:1\nRUN echo built > /built.txt\nCOPY site/index.html /srv/index.html\n`) },
      { path: 'site/index.html', dataBase64: b64('<h1>hi</h1>\n') },
    ];
    const { buildId } = await call<{ buildId: string }>('buildImage', { name: 'web:1', files });
    const end = await buildEnd(buildId);
    expect(end.error).toBeUndefined();
    expect(end.image).toBe(`localhost:${port}/web:1`);
    expect(end.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const lines = buildLines(buildId);
    expect(lines).toContain('STEP 2/3: RUN echo built > /built.txt');
    expect(lines).toContain(`pushing localhost:${port}/web:1`);
    // Streamed in more than one batch, before the end.
    expect(builds.filter((e) => e.buildId === buildId && !e.end && e.lines.length).length).toBeGreaterThan(1);
    const web = (await call<RegistryImages>('registryImages', null)).repositories.find((r) => r.name === 'web')?.tags[0];
    expect(web).toMatchObject({ tag: '1', digest: end.digest });

    const failing = await call<{ buildId: string }>('buildImage', { name: 'broken:1', files: [{ path: 'Dockerfile', dataBase64: b64(`FROM localhost:${port}/flotilla/hello:1\nRUN echo about to fail && false\n`) }] });
    const failed = await buildEnd(failing.buildId);
    expect(failed.error?.reason).toBe('BuildFailed');
    expect(failed.error?.message).toContain('buildah build failed');
    expect(failed.error?.message).toContain('RUN echo about to fail && false');

    await call('deleteRegistryImage', { repository: 'web', digest: end.digest });
    expect((await call<RegistryImages>('registryImages', null)).repositories.map((r) => r.name)).not.toContain('web');
  }, 300_000);

  it('refuses a build without a Dockerfile, with a bad name, an escaping path or a context over the limit', async () => {
    expect(await fails('buildImage', { name: 'web:1', files: [{ path: 'README', dataBase64: b64('x') }] }))
      .toMatchObject({ code: 422, message: expect.stringMatching(/^no Dockerfile in \S+ \(nor a Containerfile\); name one with -f$/) as unknown });
    expect(await fails('buildImage', { name: 'Web:1', files: [] })).toMatchObject({ code: 422, message: 'invalid reference format: "Web:1": repository name must be lowercase' });
    expect(await fails('buildImage', { name: 'web:1', files: [{ path: '../Dockerfile', dataBase64: '' }] }))
      .toMatchObject({ code: 422, message: 'file path "../Dockerfile" must stay inside the build context' });
    const big = Buffer.alloc(BUILD_CONTEXT_LIMIT + 1024 * 1024).toString('base64');
    expect(await fails('buildImage', { name: 'web:1', files: [{ path: 'Dockerfile', dataBase64: b64('FROM scratch\n') }, { path: 'big.bin', dataBase64: big }] }))
      .toMatchObject({ code: 413, message: expect.stringContaining('the build context is 51.0 MiB, more than the 50.0 MiB the UI sends') as unknown });
    // Nothing of the refused contexts is left behind.
    expect(execFileSync('find', [path.join(s.c.core.dataDir, 'build-contexts'), '-mindepth', '1'], { encoding: 'utf8' }).trim()).toBe('');
  });
});
