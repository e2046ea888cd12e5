// "Open from the host" end to end: a real `flotilla serve --nodes 1` (a sandbox node with containerd and the agent),
// Debian's chromium at 1024×700. The hello app dragged from the catalog gets its forward and shows its URL once a pod
// is ready; "Open" on its Service opens http://127.0.0.1:<port>/ in a new tab, which the host fetches too and sees the
// app's page; "Forward port…" on a port another program holds says so and offers a free one, which then works; a
// reload lists the forwards again (they belong to the control plane); Stop ends one. On the map, pods take their app's
// colour, the legend names the apps, selecting one dims the others' pods, a chip's tooltip shows on keyboard focus, and an
// app dropped on the node says it is pinned until "Unpin". Screenshots: test-results/ui/forward-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { Deployment, Node } from '../../main/api/types';
import { ensureRendererBuilt, ROOT, startServe } from './support/serve-process';
import type { ServeProcess } from './support/serve-process';
import { launchBrowser, openUi } from './support/browser';
import type { TestBrowser } from './support/browser';
import { waitFor } from '../helpers/cluster';
import { freePort } from '../helpers/free-port';

const SHOTS = path.join(ROOT, 'test-results/ui');
const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const STEP_MS = 30_000;
const DEPLOYMENTS = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };

let serve: ServeProcess;
let browser: TestBrowser;
let page: Page;
let blocker: net.Server | undefined;

/** The browser's window, as far as used here (this file is typed for Node, without the DOM; evaluate runs it in the page). */
type Win = { getComputedStyle(e: unknown): { backgroundColor: string; opacity: string } };

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: path.join(SHOTS, `forward-${name}.png`) });

/** The page the host gets from a URL (a fresh fetch from this process, not the browser). */
async function hostGet(url: string): Promise<string | undefined> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    return r.ok ? await r.text() : undefined;
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  ensureRendererBuilt();
  serve = await startServe(['--nodes', '1'], 120_000);
  await waitFor(async () => {
    const nodes = (await serve.client.list<Node>(NODES)).items;
    return nodes.some((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) ? true : undefined;
  }, 'a Ready sandbox node', 180_000, 500);
  browser = await launchBrowser({ width: 1024, height: 700 });
  page = await browser.context.newPage();
}, 300_000);

afterAll(async () => {
  await new Promise((resolve) => (blocker?.listening ? blocker.close(resolve) : resolve(undefined)));
  await browser?.close();
  await serve?.stop();
}, 120_000);

describe('open from the host', () => {
  it('gives a catalog app its URL once a pod is ready', async () => {
    await openUi(page, serve.uiUrl, STEP_MS);
    const map = page.locator('[data-test=cluster-map]');
    const box = await map.boundingBox();
    if (!box) throw new Error('no map');
    await page.dragAndDrop('[data-app=hello]', '[data-test=cluster-map]', { targetPosition: { x: 24, y: box.height - 24 } });
    await page.locator('[data-test=notice]', { hasText: 'Deployed hello' }).waitFor({ timeout: STEP_MS });
    await page.getByRole('button', { name: 'Workloads' }).click();
    const link = page.locator('[data-deployment=hello] [data-test=app-url] a');
    await link.waitFor({ timeout: 120_000 });
    const url = (await link.getAttribute('href')) ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await waitFor(() => hostGet(url), 'the app through its URL', 30_000)).toMatch(/^Hello from hello-/);
    await shot('01-workloads-url');
  }, 180_000);

  it('opens the Service in a new tab on 127.0.0.1, which the host fetches too', async () => {
    await page.getByRole('button', { name: 'Ports' }).click();
    const row = page.locator('[data-service=hello]');
    await row.waitFor({ timeout: STEP_MS });
    await shot('02-ports');
    const [tab] = await Promise.all([page.context().waitForEvent('page', { timeout: STEP_MS }), row.getByRole('button', { name: 'Open hello 8080' }).click()]);
    await tab.waitForLoadState('domcontentloaded');
    const url = tab.url();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await tab.locator('body').textContent()).toMatch(/^Hello from hello-/);
    await tab.screenshot({ path: path.join(SHOTS, 'forward-03-opened-tab.png') });
    await tab.close();
    expect(await hostGet(url)).toMatch(/^Hello from hello-/);
    // Open reused the app's forward: one row.
    expect(await page.locator('[data-forward]').count()).toBe(1);
  });

  it('refuses a local port another program holds, offers a free one, and forwards there', async () => {
    const port = await freePort();
    blocker = net.createServer();
    await new Promise<void>((resolve) => blocker!.listen(port, '127.0.0.1', resolve));
    await page.locator('[data-service=hello]').getByRole('button', { name: 'Forward hello 8080 to a chosen local port' }).click();
    const dialog = page.getByRole('dialog', { name: 'Forward port' });
    await dialog.locator('input[name=localPort]').fill(String(port));
    await dialog.getByRole('button', { name: 'Forward' }).click();
    const problem = dialog.locator('[data-test=forward-problem]');
    await problem.filter({ hasText: 'already in use' }).waitFor({ timeout: STEP_MS });
    const text = (await problem.textContent()) ?? '';
    const free = Number(/port (\d+) is free$/.exec(text)?.[1]);
    expect(text).toBe(`port ${port} on 127.0.0.1 is already in use by another program; port ${free} is free`);
    expect(await dialog.locator('input[name=localPort]').inputValue()).toBe(String(free));
    await shot('04-port-taken');
    await dialog.getByRole('button', { name: 'Forward' }).click();
    await dialog.waitFor({ state: 'detached', timeout: STEP_MS });
    await page.locator(`[data-forward="${free}"]`).waitFor({ timeout: STEP_MS });
    expect(await waitFor(() => hostGet(`http://127.0.0.1:${free}/`), 'the chosen port answering', 30_000)).toMatch(/^Hello from hello-/);
    await shot('05-two-forwards');
  });

  it('lists the forwards after a reload, and stops one', async () => {
    await openUi(page, undefined, STEP_MS);
    await page.getByRole('button', { name: 'Ports' }).click();
    const rows = page.locator('[data-forward]');
    await waitFor(async () => ((await rows.count()) === 2 ? true : undefined), 'both forwards listed after the reload', STEP_MS, 100);
    await page.locator('[data-test=forward-state]', { hasText: /\d ready pods?/ }).first().waitFor({ timeout: STEP_MS });
    const last = rows.last();
    const port = Number(await last.getAttribute('data-forward'));
    await last.getByRole('button', { name: `Stop forwarding ${port}` }).click();
    await waitFor(async () => ((await rows.count()) === 1 ? true : undefined), 'the stopped forward gone', STEP_MS, 100);
    expect(await hostGet(`http://127.0.0.1:${port}/`)).toBeUndefined();
    await shot('06-stopped');
  });
});

describe('your app on the map', () => {
  it('colours pods by app, with a legend; selecting an app dims the others', async () => {
    await page.getByRole('button', { name: 'Cluster' }).click();
    const node = (await serve.client.list<Node>(NODES)).items[0].metadata?.name ?? '';
    await page.dragAndDrop('[data-app=counter]', `article[data-node="${node}"]`);
    await page.locator('[data-test=notice]', { hasText: `Deployed counter (1 replica on ${node})` }).waitFor({ timeout: STEP_MS });
    await page.locator('[data-pod^="counter-"][data-state="ready"]').waitFor({ timeout: 120_000 });
    const legend = page.locator('[data-test=app-legend]');
    await legend.locator('[data-legend=hello]').waitFor({ timeout: STEP_MS });
    const colour = (sel: string): Promise<string> => page.locator(sel).first()
      .evaluate((e) => (globalThis as unknown as Win).getComputedStyle(e).backgroundColor);
    const hello = await colour('[data-legend=hello] .swatch');
    expect(await colour('[data-pod^="hello-"][data-state="ready"]')).toBe(hello);
    expect(await colour('[data-pod^="counter-"][data-state="ready"]')).toBe(await colour('[data-legend=counter] .swatch'));
    expect(await colour('[data-legend=counter] .swatch')).not.toBe(hello);
    expect(await page.locator('[data-pod^="hello-"]').first().getAttribute('data-app-name')).toBe('hello');
    await shot('07-map-legend');

    await legend.locator('[data-legend=hello] button.app').click();
    expect(await legend.locator('[data-legend=hello] button.app').getAttribute('aria-pressed')).toBe('true');
    const opacity = (sel: string): Promise<string> => page.locator(sel).first()
      .evaluate((e) => (globalThis as unknown as Win).getComputedStyle(e).opacity);
    await waitFor(async () => ((await opacity('[data-pod^="counter-"]')) !== '1' ? true : undefined), 'the other app dimmed', STEP_MS, 100);
    expect(await opacity('[data-pod^="hello-"]')).toBe('1');
    // Keyboard focus (Shift+Tab, Tab onto the chip) shows the tooltip, as hovering does.
    await page.locator('[data-pod^="hello-"]').first().focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    expect(await page.locator('[data-pod^="hello-"]').first().evaluate((e) => e === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).toBe(true);
    expect(await page.locator('[data-pod^="hello-"]').first().getAttribute('data-tip')).toMatch(/^hello-\S+ — Running\nDeployment hello$/);
    await shot('08-map-selected-focus');
    await legend.getByRole('button', { name: 'Show all' }).click();
    await waitFor(async () => ((await opacity('[data-pod^="counter-"]')) === '1' ? true : undefined), 'nothing dimmed', STEP_MS, 100);
  }, 180_000);

  it('says a pinned app is pinned and unpins it', async () => {
    const node = (await serve.client.list<Node>(NODES)).items[0].metadata?.name ?? '';
    const pin = page.locator('[data-legend=counter] [data-test=pinned]');
    expect((await pin.textContent())?.replace(/\s+/g, ' ').trim()).toBe(`pinned to ${node} Unpin`);
    await pin.getByRole('button', { name: 'Unpin counter' }).click();
    await page.locator('[data-test=notice]', { hasText: 'Unpinned counter' }).waitFor({ timeout: STEP_MS });
    await pin.waitFor({ state: 'detached', timeout: STEP_MS });
    const d = await serve.client.get<Deployment>(DEPLOYMENTS, 'counter', 'default');
    expect(d.spec?.template.spec?.affinity).toBeUndefined();
    await shot('09-unpinned');
  });
});
