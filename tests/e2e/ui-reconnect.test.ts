// The web UI when its server goes away and comes back: a real `flotilla serve` stopped under an
// open tab (banner, greyed data, actions off), then started again on the same data dir and ports —
// the tab reconnects by itself with the token it has, and its data follows the cluster again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { ensureRendererBuilt, ROOT, startServe } from './support/serve-process';
import type { ServeProcess } from './support/serve-process';
import { launchBrowser, openUi } from './support/browser';
import type { TestBrowser } from './support/browser';

const SHOTS = path.join(ROOT, 'test-results/ui');
const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const STEP_MS = 30_000;

let first: ServeProcess | undefined;
let second: ServeProcess | undefined;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  ensureRendererBuilt();
  first = await startServe(['--nodes', '0']);
  browser = await launchBrowser();
  page = await browser.context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await second?.stop();
  await first?.stop();
});

describe('a tab whose server restarts', () => {
  it('shows the lost connection plainly, then reconnects by itself and refreshes', async () => {
    const s1 = first!;
    await s1.client.create(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'before-restart' } });
    await openUi(page, s1.uiUrl, STEP_MS);
    await page.locator('article[data-node="before-restart"]').waitFor({ timeout: STEP_MS });
    const banner = page.locator('[data-test=disconnected]');
    expect(await banner.count()).toBe(0);
    expect(await page.locator('[data-test=add-node]').isEnabled()).toBe(true);

    await s1.terminate();
    await banner.waitFor({ timeout: STEP_MS });
    expect(await banner.innerText()).toMatch(/Lost the connection to Flotilla/);
    expect(await page.locator('[data-test=add-node]').isDisabled()).toBe(true);
    expect(await page.locator('[data-app=hello] button', { hasText: 'Deploy…' }).isDisabled()).toBe(true);
    expect(await page.locator('.app.offline').count()).toBe(1);
    // The data still shown is what was known, greyed.
    expect(await page.locator('article[data-node="before-restart"]').count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, '10-disconnected.png') });

    second = await startServe(['--nodes', '0'], 60_000, { dir: s1.dir, apiPort: s1.apiPort, uiPort: s1.uiPort });
    expect(second.uiUrl).toBe(s1.uiUrl);
    await banner.waitFor({ state: 'detached', timeout: STEP_MS });
    await page.locator('[data-test=connection]', { hasText: 'Connected' }).waitFor({ timeout: STEP_MS });
    expect(await page.locator('[data-test=add-node]').isEnabled()).toBe(true);
    expect(await page.locator('.app.offline').count()).toBe(0);
    // The watches resumed: a change made now reaches the map.
    await second.client.create(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'after-restart' } });
    await page.locator('article[data-node="after-restart"]').waitFor({ timeout: STEP_MS });
    await page.screenshot({ path: path.join(SHOTS, '11-reconnected.png') });
  });
});
