import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImages } from '../../../vm-images/images/build-images';
import { startTestContainerd, type TestContainerd } from '../../helpers/containerd';
import { importImage } from '../../../vm-images/agent/runtime/containerd';
import { goArch } from '../../../vm-images/agent/node/node-info';
import { readTarMembers } from '../../../main/nodes/image-platforms';
import { skipUnlessRoot, waitFor } from './support';

describe.skipIf(skipUnlessRoot)('images', () => {
  let t: TestContainerd;
  beforeAll(async () => { t = await startTestContainerd(); });
  afterAll(async () => { await t?.teardown(); });

  it('builds byte-identical, small tarballs', () => {
    const first = t.images;
    const dir = mkdtempSync(`/tmp/flt-t${process.pid}-img2-`);
    try {
      const second = buildImages(dir);
      expect(second.map((i) => i.ref)).toEqual(['docker.io/flotilla/pause:1', 'docker.io/flotilla/hello:1', 'docker.io/flotilla/counter:1']);
      for (const [i, img] of second.entries()) {
        expect(readFileSync(img.file).equals(readFileSync(first[i]?.file ?? ''))).toBe(true);
        expect(statSync(img.file).size).toBeLessThan(4 * 1024 * 1024);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('imports under their exact names into k8s.io', async () => {
    const images = await t.cri.listImages();
    const tags = images.flatMap((i) => i.repo_tags).sort();
    expect(tags).toEqual(['docker.io/flotilla/counter:1', 'docker.io/flotilla/hello:1', 'docker.io/flotilla/pause:1']);
    const hello = await t.cri.imageStatus('docker.io/flotilla/hello:1');
    expect(hello?.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await t.cri.imageStatus('docker.io/flotilla/nope:1')).toBeNull();
  });

  it('holds the content of the node\'s own platform only, and refuses a platform the image lacks', async () => {
    const platforms = t.images.flatMap((img) => {
      const tar = readTarMembers(readFileSync(img.file), (p) => p.startsWith('blobs/') || p === 'index.json');
      const top = JSON.parse(tar.get('index.json')?.toString() ?? '') as { manifests: Array<{ digest: string }> };
      const inner = JSON.parse(tar.get(`blobs/${top.manifests[0]?.digest.replace(':', '/')}`)?.toString() ?? '') as { manifests: Array<{ digest: string; platform: { architecture: string } }> };
      expect(inner.manifests.map((m) => m.platform.architecture)).toEqual(['amd64', 'arm64']);
      return inner.manifests.map((m) => ({ what: `${img.ref} ${m.platform.architecture}`, digest: m.digest, own: m.platform.architecture === goArch() }));
    });
    const contentNow = (): string[] => execFileSync('ctr', ['--address', t.socket, '-n', 'k8s.io', 'content', 'ls', '-q'], { encoding: 'utf8' }).split('\n');
    // `ctr images import` writes every blob of the archive, then its lease ends and containerd's garbage collector
    // (scheduled, not immediate) removes what no image references: the other platform's manifests go soon after.
    const content = await waitFor('the other platforms\' manifests collected', () => {
      const now = contentNow();
      return platforms.every((p) => p.own || !now.includes(p.digest)) && now;
    }).catch((err: unknown) => {
      const now = contentNow();
      throw new Error(`${String(err)}; still held: ${platforms.filter((p) => !p.own && now.includes(p.digest)).map((p) => p.what).join(', ')}`);
    });
    for (const p of platforms) expect(content.includes(p.digest), p.what).toBe(p.own);
    await expect(importImage(t.socket, t.images[0]?.file ?? '', 'ctr', 'linux/riscv64')).rejects.toThrow(/no match for platform in manifest/);
  });
});
