// A fresh cluster with no nodes: the UI tells a new user what to do first, and offers it. And a part of the app whose
// code fails to load (the web UI's server gone for a moment) is fetched again, or says so in its place; a page whose
// start-up code failed to load (net::ERR_NETWORK_CHANGED as a node's bridge appears) reloads itself once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { ensureRendererBuilt, ROOT, startServe } from './support/serve-process';
import type { ServeProcess } from './support/serve-process';
import { launchBrowser, navigate, openUi } from './support/browser';
import type { TestBrowser } from './support/browser';

const SHOTS = path.join(ROOT, 'test-results/ui');
let serve: ServeProcess;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  ensureRendererBuilt();
  serve = await startServe(['--nodes', '0']);
  browser = await launchBrowser();
  page = await browser.context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('an empty cluster', () => {
  it('explains the first steps and opens the add-node dialog from there', async () => {
    await navigate(page, serve.uiUrl);
    const empty = page.locator('[data-test=empty-cluster]');
    await empty.waitFor({ timeout: 30_000 });
    expect(await empty.innerText()).toMatch(/Add a node[\s\S]*Deploy an app[\s\S]*YAML/);
    expect(await page.locator('[data-test=summary]').innerText()).toBe('0 nodes · 0 apps · 0 pods');
    await page.screenshot({ path: path.join(SHOTS, '00-empty-cluster.png') });
    await empty.getByRole('button', { name: 'Add your first node' }).click();
    await page.getByRole('dialog', { name: 'Add a node' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('keeps working after a page reload (token kept for the session)', async () => {
    await openUi(page, undefined, 30_000);
    await page.locator('[data-test=empty-cluster]').waitFor();
  });

  it('is usable from the keyboard: the add-node button is reachable and the dialog traps focus', async () => {
    await page.locator('[data-test=add-node]').focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Add a node' });
    await dialog.waitFor();
    for (let i = 0; i < 12; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate("document.activeElement?.closest('[role=dialog]') !== null")).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate("document.activeElement?.getAttribute('data-test')")).toBe('add-node');
  });

  it('loads a part of the app again when its code failed to load, and says so when it keeps failing', async () => {
    // The object drawer's code: its first two requests fail, as they would while the server restarts.
    let refused = 0;
    await page.route(/\/assets\/ObjectDetail-[^/]*\.js$/, (route) => (refused++ < 2 ? route.abort('connectionrefused') : route.continue()));
    await page.getByRole('button', { name: 'Resources', exact: true }).click();
    await page.getByRole('navigation', { name: 'Resource kinds' }).locator('[data-kind="/namespaces"]').click();
    await page.locator('[data-test=resource-row]', { hasText: 'kube-system' }).click();
    const detail = page.locator('[data-test=object-detail]');
    await detail.getByRole('heading', { name: 'kube-system' }).waitFor({ timeout: 30_000 });
    expect(refused).toBe(3); // two refused, the third let through
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });

    // The History view's code never loads: after its retries, the view says so and offers a reload.
    let historyTries = 0;
    await page.route(/\/assets\/HistoryView-[^/]*\.js$/, (route) => { historyTries++; return route.abort('connectionrefused'); });
    await page.getByRole('button', { name: 'History', exact: true }).click();
    const failed = page.locator('[data-test=load-failed]');
    await failed.waitFor({ timeout: 30_000 });
    expect(await failed.innerText()).toContain('This part of Flotilla could not be loaded');
    expect(historyTries).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: path.join(SHOTS, '00-load-failed.png') });
    await page.unrouteAll();
    await failed.getByRole('button', { name: 'Reload the window' }).click();
    await page.locator('[data-test=connection]', { hasText: 'Connected' }).waitFor({ timeout: 30_000 });
    await page.locator('[data-test=load-failed]').waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('reloads itself once when its start-up code failed to load', async () => {
    // In the first load the entry's imports are refused, as Chromium aborts requests when a network interface appears.
    await page.unrouteAll();
    await openUi(page, serve.uiUrl, 30_000);
    await page.evaluate("sessionStorage.removeItem('flotilla-reloaded-at')");
    let loads = 0;
    let refused = 0;
    const onRequest = (r: { isNavigationRequest(): boolean }) => { if (r.isNavigationRequest()) loads++; };
    page.on('request', onRequest);
    await page.route(/\/assets\/[^/]+\.js$/, (route) => {
      if (loads <= 1 && !route.request().url().includes('/assets/index-')) {
        refused++;
        return route.abort('internetdisconnected');
      }
      return route.continue();
    });
    try {
      await navigate(page);
      await page.locator('[data-test=empty-cluster]').waitFor({ timeout: 30_000 });
      expect(refused).toBeGreaterThan(0);
      expect(loads).toBe(2);
      expect(await page.evaluate("sessionStorage.getItem('flotilla-reloaded-at') !== null")).toBe(true);
    } finally {
      page.off('request', onRequest);
      await page.unrouteAll();
    }
  });
});
