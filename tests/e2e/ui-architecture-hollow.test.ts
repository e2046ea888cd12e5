// The Architecture view with many nodes: a real `flotilla serve --nodes 0 --hollow-nodes 50` (simulated
// nodes: no containers, no host network state), Debian's chromium at 1024×700. The nodes that fit are drawn,
// the rest summed up in one card; a hollow node's figures come from the API (its Lease, its pods), and the
// view says so. Screenshot in test-results/ui/arch-hollow-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { ensureRendererBuilt, ROOT, startServe, type ServeProcess } from './support/serve-process';
import { launchBrowser, navigate, type TestBrowser } from './support/browser';
import { waitFor } from '../helpers/cluster';

const SHOTS = path.join(ROOT, 'test-results/ui');
const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const HOLLOW = 50;
const STEP_MS = 60_000;

let serve: ServeProcess;
let browser: TestBrowser;
let page: Page;

describe('the Architecture view with 50 hollow nodes', () => {
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    ensureRendererBuilt();
    serve = await startServe(['--nodes', '0', '--hollow-nodes', String(HOLLOW)], 120_000);
    await waitFor(async () => (await serve.client.list(NODES)).items.length === HOLLOW, `${HOLLOW} hollow nodes`, 120_000, 250);
    browser = await launchBrowser({ width: 1024, height: 700 });
    page = await browser.context.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  }, 120_000);

  it('draws the nodes that fit and sums up the rest', async () => {
    await navigate(page, `${serve.uiUrl}#/architecture`);
    await page.locator('[data-test=arch-node-summary]').waitFor({ timeout: STEP_MS });
    const cards = await page.locator('[data-test^="arch-node-"]:not([data-test=arch-node-summary])').count();
    expect(cards).toBeGreaterThanOrEqual(1);
    expect(cards).toBeLessThan(HOLLOW);
    expect(await page.locator('[data-test=arch-node-summary]').innerText()).toContain(`+${HOLLOW - cards} more nodes`);
    // Its figures come from the API: the heartbeat is its Lease; the agent's own page is not there to read.
    const first = page.locator('[data-test^="arch-node-"]:not([data-test=arch-node-summary])').first();
    expect(await first.innerText()).toContain('figures from the API');
    await waitFor(async () => /^\d+ s ago$/.test((await first.locator('[data-figure=heartbeat]').innerText()).trim()), 'a hollow node\'s heartbeat', STEP_MS, 250);
    // Nothing of the picture is cut off at 1024×700 sideways.
    const overflow = Number(await page.evaluate('(a => a.scrollWidth - a.clientWidth)(document.querySelector("[data-test=architecture]"))'));
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(SHOTS, 'arch-hollow-01-summary.png') });
  }, 120_000);
});
