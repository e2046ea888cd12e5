// The node's image tarballs going into a real containerd as the agent imports them at start: the sandbox
// image's tarball first, its promise resolved while the others still go in (the node turns Ready and pods sync
// then), and a pod's image that a later tarball brings taken from it — that tarball moved ahead of the ones
// not started yet — not pulled from a registry.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDir } from '../../../main/nodes/assets';
import { SANDBOX_IMAGE } from '../../../main/protocol/containerd-config';
import { importNodeImages, sandboxFirst } from '../../../vm-images/agent/node/image-import';
import { ensureImage } from '../../../vm-images/agent/pods/images';
import { startTestContainerd, type TestContainerd } from '../../helpers/containerd';
import { skipUnlessRoot } from '../../helpers/netns';

const SANDBOX = { metadata: { name: 'p', uid: 'u', namespace: 'default', attempt: 0 } };
const tarball = (name: string) => join(agentDir(), 'images', `${name}.tar`);

describe('sandboxFirst', () => {
  it('puts the sandbox image\'s tarball first and keeps the others\' order', () => {
    expect(sandboxFirst(['/i/counter.tar', '/i/hello.tar', '/i/pause.tar'])).toEqual(['/i/pause.tar', '/i/counter.tar', '/i/hello.tar']);
    expect(sandboxFirst(['/i/b.tar', '/i/a.tar'])).toEqual(['/i/b.tar', '/i/a.tar']);
    expect(sandboxFirst(['/i/x.tar', '/i/pause.tar'], 'registry.example:5000/infra/pause@sha256:00')).toEqual(['/i/pause.tar', '/i/x.tar']);
  });
});

describe.skipIf(skipUnlessRoot)('the node\'s images going into containerd', () => {
  let ctd: TestContainerd | undefined;
  let stateDir = '';

  beforeAll(async () => {
    ctd = await startTestContainerd({ withImages: false });
    stateDir = mkdtempSync(join(tmpdir(), 'flt-import-'));
  }, 120_000);

  afterAll(async () => {
    await ctd?.teardown();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  }, 60_000);

  it('has the sandbox image in first, and a pod waits for the tarball that brings its image, moved ahead, instead of pulling it', async () => {
    const log: string[] = [];
    const o = { cri: ctd!.cri, socket: ctd!.socket, stateDir, log: (l: string) => log.push(l) };
    // A tarball of another name first (the counter image again), so that hello.tar is still waiting when the pod asks.
    const other = join(stateDir, 'another.tar');
    copyFileSync(tarball('counter'), other);
    const images = importNodeImages(o, [other, tarball('counter'), tarball('hello'), tarball('pause')], (_what, fn) => fn());
    let all = false;
    void images.all.then(() => { all = true; });

    await images.sandbox;
    expect(all).toBe(false);
    expect(log).toEqual([`imported ${SANDBOX_IMAGE}`]);
    // A pod asks for hello:1 now, while another.tar goes in (its import started before this runs): hello.tar goes next.
    const helloIn = images.bringing('docker.io/flotilla/hello:1');
    expect(await ctd!.cri.imageStatus(SANDBOX_IMAGE)).toBeTruthy();

    // The container waits for that tarball (no registry is asked: none answers here).
    let pulling = false;
    const ensured = await ensureImage(ctd!.cri, { name: 'c', image: 'docker.io/flotilla/hello:1' }, SANDBOX, {
      imported: () => helloIn, onPull: () => { pulling = true; },
    });
    expect(pulling).toBe(false);
    expect(ensured).toMatchObject({ image: 'docker.io/flotilla/hello:1', pulled: false });
    await images.all;
    // another.tar had started; hello.tar went before counter.tar.
    expect(log).toEqual([`imported ${SANDBOX_IMAGE}`, 'imported docker.io/flotilla/counter:1', 'imported docker.io/flotilla/hello:1', 'imported docker.io/flotilla/counter:1']);
  }, 120_000);

  it('an image no tarball brings is pulled once the imports are done, and its failure is the pull\'s', async () => {
    const images = importNodeImages({ cri: ctd!.cri, socket: ctd!.socket, stateDir, log: () => undefined }, [tarball('pause')], (_what, fn) => fn());
    let pulling = false;
    const failed = await ensureImage(ctd!.cri, { name: 'c', image: '127.0.0.1:9/nowhere/none:1' }, SANDBOX, {
      imported: (image) => images.bringing(image), onPull: () => { pulling = true; },
    }).then(() => undefined, (e: unknown) => e);
    expect(pulling).toBe(true);
    expect(failed).toMatchObject({ reason: 'ErrImagePull' });
  }, 120_000);
});
