// The node's image tarballs going into a real containerd as the agent imports them at start: the sandbox
// image's tarball first, its promise resolved while the others are held (the node turns Ready and pods sync
// then); a pod's image that a later tarball brings taken from it — that tarball going at once, ahead of the
// held ones — not pulled from a registry; the rest going in when their wait is over, when a pod asks for an
// image no tarball is named after, and never after the agent stops.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDir } from '../../../main/nodes/assets';
import { SANDBOX_IMAGE } from '../../../main/protocol/containerd-config';
import { importNodeImages, sandboxFirst } from '../../../vm-images/agent/node/image-import';
import { ensureImage } from '../../../vm-images/agent/pods/images';
import { pollUntil } from '../../../main/protocol/poll';
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

  it('has the sandbox image in first, holds the rest, and a pod waits for the tarball that brings its image, which goes at once, instead of pulling it', async () => {
    const log: string[] = [];
    const o = { cri: ctd!.cri, socket: ctd!.socket, stateDir, log: (l: string) => log.push(l), restAfterMs: 600_000 };
    // A tarball of another name first (the counter image again): held like counter.tar, behind hello.tar once a pod asks.
    const other = join(stateDir, 'another.tar');
    copyFileSync(tarball('counter'), other);
    const images = importNodeImages(o, [other, tarball('counter'), tarball('hello'), tarball('pause')], (_what, fn) => fn());
    let all = false;
    void images.all.then(() => { all = true; });

    await images.sandbox;
    expect(all).toBe(false);
    expect(log).toEqual([`imported ${SANDBOX_IMAGE}`]);
    const helloIn = images.bringing('docker.io/flotilla/hello:1');
    expect(await ctd!.cri.imageStatus(SANDBOX_IMAGE)).toBeTruthy();

    // The container waits for that tarball (no registry is asked: none answers here).
    let pulling = false;
    const ensured = await ensureImage(ctd!.cri, { name: 'c', image: 'docker.io/flotilla/hello:1' }, SANDBOX, {
      imported: () => helloIn, onPull: () => { pulling = true; },
    });
    expect(pulling).toBe(false);
    expect(ensured).toMatchObject({ image: 'docker.io/flotilla/hello:1', pulled: false });
    // The others are still held (their wait is 10 minutes here): only what was asked for went in.
    expect(log).toEqual([`imported ${SANDBOX_IMAGE}`, 'imported docker.io/flotilla/hello:1']);
    expect(all).toBe(false);
    // A pod whose image no tarball is named after: any of them may bring it, so the rest go now, in their order.
    const unknown = images.bringing('registry.example:5000/team/app:2');
    await Promise.all([unknown, images.all]);
    expect(log).toEqual([`imported ${SANDBOX_IMAGE}`, 'imported docker.io/flotilla/hello:1', 'imported docker.io/flotilla/counter:1', 'imported docker.io/flotilla/counter:1']);
  }, 120_000);

  it('sends the tarball of an image a new pod wants ahead of the held rest, without anyone waiting for it', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'flt-import-'));
    try {
      const log: string[] = [];
      const other = join(fresh, 'another.tar');
      copyFileSync(tarball('counter'), other);
      const images = importNodeImages({ cri: ctd!.cri, socket: ctd!.socket, stateDir: fresh, log: (l) => log.push(l), restAfterMs: 600_000 },
        [other, tarball('hello'), tarball('pause')], (_what, fn) => fn());
      await images.sandbox;
      images.ahead('flotilla/hello:1'); // as a pod spec may name it
      images.ahead('registry.example:5000/team/app:2'); // no tarball is named after it: nothing is released
      await pollUntil(() => log.includes('imported docker.io/flotilla/hello:1'), 60_000, 'hello.tar imported');
      expect(log).toEqual([`imported ${SANDBOX_IMAGE}`, 'imported docker.io/flotilla/hello:1']);
      await Promise.all([images.bringing('registry.example:5000/team/app:2'), images.all]);
      expect(log).toEqual([`imported ${SANDBOX_IMAGE}`, 'imported docker.io/flotilla/hello:1', 'imported docker.io/flotilla/counter:1']);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 120_000);

  it('imports the rest on their own once their wait is over, and not after the agent stops', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'flt-import-'));
    try {
      const log: string[] = [];
      const images = importNodeImages({ cri: ctd!.cri, socket: ctd!.socket, stateDir: fresh, log: (l) => log.push(l), restAfterMs: 200 },
        [tarball('hello'), tarball('pause')], (_what, fn) => fn());
      await images.all;
      expect(log).toEqual([`imported ${SANDBOX_IMAGE}`, 'imported docker.io/flotilla/hello:1']);

      // Stopped while the rest are held: every promise resolves, nothing more goes in.
      const stop = new AbortController();
      const again: string[] = [];
      const copy = join(fresh, 'counter.tar');
      copyFileSync(tarball('counter'), copy);
      const heldOptions = { cri: ctd!.cri, socket: ctd!.socket, stateDir: fresh, log: (l: string) => again.push(l), restAfterMs: 600_000, signal: stop.signal };
      const held = importNodeImages(heldOptions, [copy, tarball('pause')], (_what, fn) => fn());
      await held.sandbox;
      stop.abort();
      await Promise.all([held.all, held.bringing('docker.io/flotilla/counter:1')]);
      expect(again).toEqual([`image ${SANDBOX_IMAGE} already imported`]);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
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
