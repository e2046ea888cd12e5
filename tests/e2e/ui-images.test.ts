// The Images view end to end: a real `flotilla serve --nodes 1` (one sandbox node: containerd, the agent)
// with its built-in registry, Debian's chromium at 1024×700. The node's images and the registry's tags with
// the pods using them; a pull and "Remove unused" through the node's agent; a Dockerfile folder dropped on the
// window (a real directory dragged in through CDP) built with its buildah log visible, then deployed; a folder
// chosen in the dialog; a `docker save` tarball imported through the Import button. Screenshots in test-results/ui/images-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import type { Pod } from '../../main/api/types';
import { builtImages } from '../../main/nodes/artifacts';
import { ensureRendererBuilt, readySandboxNode, ROOT, startServe, type ServeProcess } from './support/serve-process';
import { launchBrowser, type TestBrowser, openUi } from './support/browser';
import { freePort } from '../helpers/free-port';
import { waitFor } from '../helpers/cluster';

const SHOTS = path.join(ROOT, 'test-results/ui');
const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const STEP_MS = 60_000;
const skip = process.getuid?.() !== 0 && process.env.CI !== 'true';

let serve: ServeProcess;
let browser: TestBrowser;
let page: Page;
let port = 0;
let node = '';
let ctxDir = '';
let otherDir = '';

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: path.join(SHOTS, `images-${name}.png`) });
/** Drags a real directory in through CDP and drops it on the registry card: the page sees a DirectoryEntry (webkitGetAsEntry). */
async function dropFolder(dir: string, beforeDrop?: () => Promise<void>): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const box = await page.locator('[data-test=registry]').boundingBox();
  const at = { x: Math.round((box?.x ?? 400) + (box?.width ?? 0) / 2), y: Math.round((box?.y ?? 300) + 40) };
  const data = { items: [], files: [dir], dragOperationsMask: 1 };
  try {
    await cdp.send('Input.dispatchDragEvent', { type: 'dragEnter', ...at, data });
    await cdp.send('Input.dispatchDragEvent', { type: 'dragOver', ...at, data });
    await beforeDrop?.();
    await cdp.send('Input.dispatchDragEvent', { type: 'drop', ...at, data });
  } finally {
    await cdp.detach();
  }
}
const until = <T>(fn: () => Promise<T>, what: string, timeoutMs = STEP_MS): Promise<NonNullable<T>> => waitFor(fn, what, timeoutMs, 200);

describe.skipIf(skip)('the Images view', () => {
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    ensureRendererBuilt();
    port = await freePort();
    serve = await startServe(['--nodes', '1', '--registry-port', String(port)], 120_000);
    node = await readySandboxNode(serve);
    const hello = (await builtImages(path.join(serve.dir, 'data'))).find((f) => path.basename(f) === 'hello.tar') ?? '';
    execFileSync('/usr/bin/skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci-archive:${hello}`, `docker://localhost:${port}/flotilla/hello:1`], { timeout: 120_000 });
    await serve.client.create(PODS, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'greeter', namespace: 'default' },
      spec: { containers: [{ name: 'hello', image: `localhost:${port}/flotilla/hello:1` }] },
    }, { namespace: 'default' });
    await until(async () => (await serve.client.get<Pod>(PODS, 'greeter', 'default')).status?.phase === 'Running', 'pod greeter Running', 120_000);
    ctxDir = path.join(serve.dir, 'hello-web');
    fs.mkdirSync(path.join(ctxDir, 'site'), { recursive: true });
    fs.writeFileSync(path.join(ctxDir, 'Dockerfile'), `FROM localhost:${port}/flotilla/hello:1\nRUN echo built in the UI > /built.txt\nCOPY site/index.html /srv/index.html\n`);
    fs.writeFileSync(path.join(ctxDir, 'site', 'index.html'), '<h1>hello from a Dockerfile</h1>\n');
    otherDir = path.join(serve.dir, 'other-app');
    fs.mkdirSync(otherDir);
    fs.writeFileSync(path.join(otherDir, 'Dockerfile'), `FROM localhost:${port}/flotilla/hello:1\n`);
    browser = await launchBrowser({ width: 1024, height: 700 });
    page = await browser.context.newPage();
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  }, 180_000);

  it('shows the node\'s images and the registry\'s tags with the pods using them', async () => {
    await openUi(page, serve.uiUrl, STEP_MS);
    await page.getByRole('button', { name: 'Images', exact: true }).click();
    // The node holds hello under its imported name and the registry's: one row, both names.
    const row = page.locator(`section[data-node="${node}"] tr`, { hasText: `localhost:${port}/flotilla/hello:1` });
    await row.waitFor({ timeout: STEP_MS });
    expect(await row.textContent()).toContain('greeter');
    expect(await page.locator(`section[data-node="${node}"] tr`, { hasText: 'flotilla/pause:1' }).textContent()).toContain('pinned');
    const tag = page.locator(`[data-test=registry] tr[data-image="localhost:${port}/flotilla/hello:1"]`);
    await tag.waitFor({ timeout: STEP_MS });
    expect(await tag.textContent()).toMatch(/flotilla\/hello:1.*\d+(\.\d)? (KiB|MiB).*greeter/s);
    await shot('01-view');
  }, 120_000);

  it('pulls an image onto the node and removes the unused ones', async () => {
    const section = page.locator(`section[data-node="${node}"]`);
    // The demo counter image, in the registry under a name the node has not pulled; no pod uses it.
    const counter = (await builtImages(path.join(serve.dir, 'data'))).find((f) => path.basename(f) === 'counter.tar') ?? '';
    execFileSync('/usr/bin/skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci-archive:${counter}`, `docker://localhost:${port}/tools/counter:2`], { timeout: 120_000 });
    await section.getByRole('textbox', { name: `Image to pull onto ${node}` }).fill(`localhost:${port}/tools/counter:2`);
    await section.getByRole('button', { name: 'Pull', exact: true }).click();
    const pulled = section.locator('tr', { hasText: `localhost:${port}/tools/counter:2` });
    await pulled.waitFor({ timeout: STEP_MS });
    await shot('02-pulled');
    await section.getByRole('button', { name: 'Remove unused' }).click();
    await page.locator('[data-test=notice]', { hasText: `from ${node}` }).waitFor({ timeout: STEP_MS });
    await until(async () => (await pulled.count()) === 0 || undefined, 'the unused image to leave the list');
    // What pods use and the pinned sandbox image stay.
    await section.locator('tr', { hasText: `localhost:${port}/flotilla/hello:1` }).waitFor({ timeout: STEP_MS });
    await section.locator('tr', { hasText: 'flotilla/pause:1' }).waitFor({ timeout: STEP_MS });
    await shot('03-removed-unused');
  }, 120_000);

  it('takes a Dockerfile folder dropped on the window into the build dialog', async () => {
    // A real directory, as from a file manager; the window shows what a drop does while it is dragged over.
    await dropFolder(ctxDir, async () => {
      await page.locator('.file-drop', { hasText: 'folder with a Dockerfile' }).waitFor({ timeout: STEP_MS });
      await shot('04-drag-over');
    });
    const dialog = page.getByRole('dialog', { name: 'Build an image' });
    await dialog.locator('[data-test=build-folder]', { hasText: 'hello-web' }).waitFor({ timeout: STEP_MS });
    expect(await page.locator('.file-drop').count()).toBe(0);
    // Both files, the one in the subfolder too, with their sizes.
    const size = (fs.statSync(path.join(ctxDir, 'Dockerfile')).size + fs.statSync(path.join(ctxDir, 'site', 'index.html')).size) / 1024;
    expect(await dialog.locator('[data-test=build-folder]').textContent()).toContain(`2 files, ${size.toFixed(1)} KiB`);
    expect(await dialog.getByRole('textbox', { name: 'Image name' }).inputValue()).toBe('hello-web:latest');
  }, 120_000);

  it('builds the dropped folder with its log visible, pushes it to the registry, and deploys it', async () => {
    const dialog = page.getByRole('dialog', { name: 'Build an image' });
    await dialog.getByRole('textbox', { name: 'Image name' }).fill('hello-web:1');
    await shot('05-build-dialog');
    await dialog.locator('[data-test=build-start]').click();
    // Another folder dropped while the build runs leaves the running build's folder in the dialog, and says why.
    await dialog.getByRole('status').filter({ hasText: 'Building hello-web:1' }).waitFor({ timeout: STEP_MS });
    await dropFolder(otherDir);
    await page.locator('[data-test=notice]', { hasText: 'Cannot build other-app yet' }).waitFor({ timeout: STEP_MS });
    expect(await dialog.locator('[data-test=build-folder]').textContent()).toContain('hello-web');
    const log = dialog.locator('[data-test=build-log]');
    await log.filter({ hasText: 'STEP 2/3: RUN echo built in the UI' }).waitFor({ timeout: STEP_MS });
    await dialog.locator('[data-test=build-done]').waitFor({ timeout: 240_000 });
    expect(await dialog.locator('[data-test=build-done]').textContent()).toContain(`localhost:${port}/hello-web:1`);
    expect(await log.textContent()).toContain(`pushing localhost:${port}/hello-web:1`);
    await shot('06-build-log');
    await dialog.locator('[data-test=build-deploy]').click();
    const deploy = page.getByRole('dialog', { name: 'Deploy hello-web' });
    await deploy.waitFor({ timeout: STEP_MS });
    expect(await deploy.getByRole('textbox', { name: 'Image' }).inputValue()).toBe(`localhost:${port}/hello-web:1`);
    await deploy.getByRole('button', { name: 'Deploy' }).click();
    const tag = page.locator(`[data-test=registry] tr[data-image="localhost:${port}/hello-web:1"]`);
    await until(async () => ((await tag.textContent().catch(() => '')) ?? '').includes('hello-web-') || undefined, 'the built image used by the deployed pod', 120_000);
    // The node pulled it for the pod.
    await page.locator(`section[data-node="${node}"] tr`, { hasText: 'hello-web:1' }).filter({ hasText: 'hello-web-' }).waitFor({ timeout: STEP_MS });
    await shot('07-deployed');
  }, 360_000);
  it('takes a folder chosen in the build dialog too', async () => {
    await page.getByRole('button', { name: 'Build image…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Build an image' });
    await dialog.getByText('No folder yet').waitFor({ timeout: STEP_MS });
    await dialog.locator('[data-test=build-picker]').setInputFiles(ctxDir);
    await dialog.locator('[data-test=build-folder]', { hasText: 'hello-web · 2 files' }).waitFor({ timeout: STEP_MS });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached', timeout: STEP_MS });
  }, 60_000);

  it('imports an image tarball through the Import button into the node and the registry', async () => {
    // `docker save`'s format, as a user exports an image: the demo counter image named team/tool:3.
    const counter = (await builtImages(path.join(serve.dir, 'data'))).find((f) => path.basename(f) === 'counter.tar') ?? '';
    const tarball = path.join(serve.dir, 'team-tool.tar');
    execFileSync('/usr/bin/skopeo', ['copy', '--quiet', `oci-archive:${counter}`, `docker-archive:${tarball}:team/tool:3`], { timeout: 120_000 });
    await page.locator('[data-test=import-picker]').setInputFiles(tarball);
    const notice = page.locator('[data-test=notice]', { hasText: 'team-tool.tar' });
    await notice.waitFor({ timeout: STEP_MS });
    expect(await notice.textContent()).toContain(`Imported team-tool.tar into ${node}`);
    expect(await notice.textContent()).toContain(`Pushed to the built-in registry as localhost:${port}/team/tool:3`);
    const tag = page.locator(`[data-test=registry] tr[data-image="localhost:${port}/team/tool:3"]`);
    await tag.waitFor({ timeout: STEP_MS });
    expect(await tag.textContent()).toMatch(/team\/tool:3.*\d+(\.\d)? (KiB|MiB).*no pods/s);
    await page.locator(`section[data-node="${node}"] tr`, { hasText: 'team/tool:3' }).waitFor({ timeout: STEP_MS });
    await shot('08-imported');
  }, 120_000);
});
