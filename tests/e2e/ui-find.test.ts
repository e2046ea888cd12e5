// Finding things in the UI end to end: a real `flotilla serve --nodes 0 --hollow-nodes 2`, Debian's
// chromium. Search by name and by label, the namespace selector, the command palette (Ctrl+K), the
// shortcuts overlay, deep links (reload, Back/Forward) and the layout at 1024×700 and 800×600.
// Screenshots: test-results/ui/find-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { KObject } from '../../main/api/types';
import { ensureRendererBuilt, ROOT, startServe } from './support/serve-process';
import type { ServeProcess } from './support/serve-process';
import { launchBrowser, navigate, openUi } from './support/browser';
import type { TestBrowser } from './support/browser';
import { waitFor } from '../helpers/wait';

const SHOTS = path.join(ROOT, 'test-results/ui');
const STEP_MS = 30_000;
const NAMESPACES = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };
const DEPLOYS = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };
const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };

let serve: ServeProcess;
let browser: TestBrowser;
let page: Page;

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `find-${name}.png`) });
const until = <T>(fn: () => Promise<T>, what: string) => waitFor(fn, what, STEP_MS, 100);
const chips = (prefix: string) => page.locator(`article[data-node] [data-pod^="${prefix}-"]`);
const hashParams = () => new URLSearchParams(new URL(page.url()).hash.replace(/^#\/[^?]*\??/, ''));

async function chipCounts(): Promise<string> {
  return `web ${await chips('web').count()}, cart ${await chips('cart').count()}`;
}

async function expectChips(want: string): Promise<void> {
  await until(async () => ((await chipCounts()) === want ? true : undefined), `chips: ${want}`).catch(async (e: unknown) => {
    throw new Error(`${String(e)} (have ${await chipCounts()})`);
  });
}

function deployment(name: string, namespace: string, labels: Record<string, string>, replicas: number, image: string): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name, ...labels } }, spec: { containers: [{ name: 'c', image }] } } },
  };
}

/** A pod's name, once the deployment's pods exist. */
async function podNames(namespace: string, prefix: string, count: number): Promise<string[]> {
  return until(async () => {
    const names = (await serve.client.list(PODS, { namespace })).items.map((p) => p.metadata?.name ?? '').filter((n) => n.startsWith(`${prefix}-`));
    return names.length === count ? names : undefined;
  }, `${count} ${prefix} pods`);
}

/**
 * In the page (a string: this file is compiled without the DOM library): elements sticking out of
 * the window, and scrolling boxes wider than they show (text cut with an ellipsis on purpose aside).
 */
const CLIPPED = `(() => {
  const w = document.documentElement.clientWidth;
  const name = (e) => e.tagName.toLowerCase() + '.' + [...e.classList].join('.');
  const all = [...document.querySelectorAll('body *')];
  const out = all.filter((e) => e.getBoundingClientRect().right > w + 0.5).map((e) => 'outside ' + name(e));
  const cut = all.filter((e) => {
    const s = getComputedStyle(e);
    return e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1 && s.overflowX !== 'visible' && s.textOverflow !== 'ellipsis';
  }).map((e) => 'scrolls ' + name(e) + ' ' + e.scrollWidth + ' > ' + e.clientWidth);
  return [...out, ...cut].slice(0, 8);
})()`;

/** Nothing is clipped: nothing outside the window or scrolled sideways, the search box usable. */
async function expectUnclipped(width: number): Promise<void> {
  expect(await page.evaluate(CLIPPED)).toEqual([]);
  const add = await page.locator('[data-test=add-node]').boundingBox();
  expect(add && add.x + add.width).toBeLessThanOrEqual(width);
  const search = await page.locator('[data-test=search]').boundingBox();
  expect(search && search.width).toBeGreaterThanOrEqual(120);
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  ensureRendererBuilt();
  serve = await startServe(['--nodes', '0', '--hollow-nodes', '2']);
  await serve.client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  await serve.client.create(DEPLOYS, deployment('web', 'default', { tier: 'frontend' }, 2, 'docker.io/flotilla/hello:1'), { namespace: 'default' });
  await serve.client.create(DEPLOYS, deployment('cart', 'shop', { tier: 'backend' }, 1, 'docker.io/flotilla/counter:1'), { namespace: 'shop' });
  browser = await launchBrowser({ width: 1280, height: 800 });
  page = await browser.context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('finding things', () => {
  it('shows every namespace by default', async () => {
    await openUi(page, serve.uiUrl, STEP_MS);
    await expectChips('web 2, cart 1');
    expect(await page.locator('[data-test=namespace-select]').innerText()).toContain('All namespaces');
    await shot('01-map');
  });

  it('search finds a pod by name and by label, and says how many match', async () => {
    const search = page.locator('[data-test=search]');
    await page.keyboard.press('/');
    expect(await page.evaluate("document.activeElement?.getAttribute('data-test')")).toBe('search');
    await page.keyboard.type('CART');
    await expectChips('web 0, cart 1');
    expect(await page.locator('[data-test=search-count]').innerText()).toBe('1 of 3 pods');
    expect(hashParams().get('q')).toBe('CART');
    await shot('02-search-name');
    await search.fill('tier=front');
    await expectChips('web 2, cart 0');
    await shot('03-search-label');
    await search.fill('hello:1');
    await expectChips('web 2, cart 0');
    await search.fill('nothing-like-this');
    await expectChips('web 0, cart 0');
    await page.keyboard.press('Escape');
    expect(await search.inputValue()).toBe('');
    await expectChips('web 2, cart 1');
  });

  it('the namespace selector filters the map and the workloads, and is remembered', async () => {
    await page.locator('[data-test=namespace-select] .trigger').click();
    await page.locator('[data-ns=shop]').waitFor();
    await shot('04-namespaces');
    await page.getByRole('button', { name: 'Only shop' }).click();
    await expectChips('web 0, cart 1');
    expect(await page.locator('[data-test=namespace-select]').innerText()).toContain('shop');
    expect(hashParams().get('ns')).toBe('shop');
    await page.locator('.side [data-view=workloads]').click();
    await page.locator('[data-deployment=cart]').waitFor({ timeout: STEP_MS });
    expect(await page.locator('[data-deployment]').count()).toBe(1);
    await shot('05-workloads-shop');
    // Remembered without the URL saying it (a fresh start of the app).
    await navigate(page, new URL('/', serve.uiUrl).toString());
    await page.locator('[data-test=cluster-map]').waitFor({ timeout: STEP_MS });
    await expectChips('web 0, cart 1');
    await page.locator('[data-test=namespace-select] .trigger').click();
    await page.getByRole('checkbox', { name: 'All namespaces' }).check();
    await page.keyboard.press('Escape');
    await expectChips('web 2, cart 1');
    expect(hashParams().has('ns')).toBe(false);
  });

  it('Ctrl+K jumps to a pod, and its deep link reopens the drawer after a reload', async () => {
    const [pod] = await podNames('default', 'web', 2);
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.waitFor();
    await page.keyboard.type(pod.slice(0, -2));
    await palette.locator(`[data-item="pod:default/${pod}"]`).waitFor();
    await shot('06-palette');
    // Keyboard navigation: the first match is chosen; move to this pod.
    const options = palette.locator('[role=option]');
    const ids = await Promise.all((await options.all()).map((o) => o.getAttribute('data-item')));
    for (let i = 0; i < ids.indexOf(`pod:default/${pod}`); i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await palette.waitFor({ state: 'detached' });
    const detail = page.locator('[data-test=pod-detail]');
    await detail.locator('h1', { hasText: pod }).waitFor({ timeout: STEP_MS });
    expect(hashParams().get('open')).toBe(`v1/pods/default/${pod}`);
    await navigate(page);
    await detail.locator('h1', { hasText: pod }).waitFor({ timeout: STEP_MS });
    await page.locator('[data-test=connection]', { hasText: 'Connected' }).waitFor({ timeout: STEP_MS });
    await shot('07-deep-link-reloaded');
  });

  it('Back and Forward walk the views and the drawer', async () => {
    const detail = page.locator('[data-test=pod-detail]');
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
    await page.goBack();
    await detail.waitFor({ timeout: STEP_MS });
    await page.goForward();
    await detail.waitFor({ state: 'detached', timeout: STEP_MS });
    await page.locator('.side [data-view=events]').click();
    await page.locator('.top h1', { hasText: 'Events' }).waitFor();
    await page.goBack();
    await page.locator('.top h1', { hasText: 'Cluster' }).waitFor({ timeout: STEP_MS });
    await page.goForward();
    await page.locator('.top h1', { hasText: 'Events' }).waitFor({ timeout: STEP_MS });
    await page.keyboard.press('1');
    await page.locator('.top h1', { hasText: 'Cluster' }).waitFor();
  });

  it('? lists the keyboard shortcuts', async () => {
    await page.locator('body').click({ position: { x: 5, y: 500 } });
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.innerText()).toMatch(/Ctrl[\s\S]*K[\s\S]*command palette/);
    await shot('08-shortcuts');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
  });

  for (const [width, height] of [[1024, 700], [800, 600]] as const) {
    it(`nothing is clipped at ${width}×${height}; the sidebar and the catalog fold`, async () => {
      await page.setViewportSize({ width, height });
      await page.keyboard.press('1');
      await expectChips('web 2, cart 1');
      await expectUnclipped(width);
      await shot(`${width}-map`);
      // The sidebar to icons only and back; the catalog away and back.
      const toggle = page.locator('[data-test=sidebar-toggle]');
      const labelled = async () => page.locator('.side [data-view=map] .label').isVisible();
      const wasOpen = await labelled();
      await toggle.click();
      expect(await labelled()).toBe(!wasOpen);
      const catalog = page.locator('[data-test=catalog-toggle]');
      await catalog.click();
      await shot(`${width}-toggled`);
      await expectUnclipped(width);
      await toggle.click();
      await catalog.click();
      await page.keyboard.press('2');
      await page.locator('[data-deployment=web]').waitFor({ timeout: STEP_MS });
      await shot(`${width}-workloads`);
      await expectUnclipped(width);
      await page.keyboard.press('3');
      await expectUnclipped(width);
      await shot(`${width}-events`);
      await chips('web').first().waitFor({ state: 'detached' });
      await page.keyboard.press('1');
      await chips('web').first().click();
      await page.locator('[data-test=pod-detail]').waitFor();
      await shot(`${width}-drawer`);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+k');
      await page.getByRole('dialog', { name: 'Command palette' }).waitFor();
      await shot(`${width}-palette`);
      await page.keyboard.press('Escape');
    });
  }
});
