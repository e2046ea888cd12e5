// Builds the QEMU node image into the tests' cache (tests/integration/nodes/qemu-support.ts) ahead of
// the test that boots it: scripts/run-tests.mjs runs this first in the `vm` run, beside the other runs,
// so the minutes the build takes overlap them. A cached image returns at once; a test waits on the same
// cache's lock while a build is under way. Older images in the cache (other recipe hashes) are removed.
// Not root and not under CI: nothing to build (the test skips there too, as every real-node test does).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureNodeImage } from '../../main/nodes/providers/qemu/image-build';
import { hostRecipe } from '../../main/nodes/providers/qemu/image-recipe';
import { QEMU_TEST_IMAGE_CACHE } from '../integration/nodes/qemu-support';
import { skipUnlessRoot } from './root';

const t0 = Date.now();
if (skipUnlessRoot) {
  console.log('qemu image: not built (not root: the QEMU test skips)');
} else {
  ensureNodeImage(QEMU_TEST_IMAGE_CACHE, hostRecipe(), (m) => console.log(`qemu image: ${m}`)).then((img) => {
    for (const e of fs.readdirSync(QEMU_TEST_IMAGE_CACHE)) {
      if (/^[0-9a-f]{16}$/.test(e) && e !== img.hash) fs.rmSync(path.join(QEMU_TEST_IMAGE_CACHE, e), { recursive: true, force: true });
    }
    console.log(`qemu image: ${img.hash} ${img.builtNow ? `built in ${Math.round(img.buildMs / 1000)} s` : 'cached'} (${Math.round((Date.now() - t0) / 1000)} s)`);
  }, (e: unknown) => {
    console.error(`qemu image: the build failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
}
