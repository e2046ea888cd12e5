// Builds the QEMU node image into the tests' cache (tests/integration/nodes/qemu-support.ts) ahead of
// the test that boots it: scripts/run-tests.mjs starts this beside the three lanes, so the minutes
// the build takes overlap them instead of adding to the host lane. A cached image returns at once;
// the test waits on the same cache's lock while a build is under way. Older images in the cache
// (other recipe hashes) are removed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureNodeImage } from '../../main/nodes/providers/qemu/image-build';
import { hostRecipe } from '../../main/nodes/providers/qemu/image-recipe';
import { QEMU_TEST_IMAGE_CACHE } from '../integration/nodes/qemu-support';

const t0 = Date.now();
ensureNodeImage(QEMU_TEST_IMAGE_CACHE, hostRecipe(), (m) => console.log(`qemu image: ${m}`)).then((img) => {
  for (const e of fs.readdirSync(QEMU_TEST_IMAGE_CACHE)) {
    if (/^[0-9a-f]{16}$/.test(e) && e !== img.hash) fs.rmSync(path.join(QEMU_TEST_IMAGE_CACHE, e), { recursive: true, force: true });
  }
  console.log(`qemu image: ${img.hash} ${img.builtNow ? `built in ${Math.round(img.buildMs / 1000)} s` : 'cached'} (${Math.round((Date.now() - t0) / 1000)} s)`);
}, (e: unknown) => {
  console.error(`qemu image: the build failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
