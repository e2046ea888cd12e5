import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImages } from '../../../vm-images/images/build-images';
import { startTestContainerd, type TestContainerd } from '../../helpers/containerd';
import { skipUnlessRoot } from './support';

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
});
