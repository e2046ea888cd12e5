// The UI on another cluster, in chromium: one `flotilla serve` shows a second, separate Flotilla
// control plane reached only through that one's kubeconfig — its nodes on the map, Flotilla-only
// actions hidden, kept across a reload — and goes back. Screenshots under test-results/ui/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { ensureRendererBuilt, ROOT, startServePair } from './support/serve-process';
import type { ServeProcess } from './support/serve-process';
import { launchBrowser, navigate } from './support/browser';
import type { TestBrowser } from './support/browser';

const SHOTS = path.join(ROOT, 'test-results/ui');
const STEP_MS = 30_000;
let a: ServeProcess;
let b: ServeProcess;
let browser: TestBrowser;
let page: Page;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `clusters-${name}.png`) });
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  ensureRendererBuilt();
  [a, b] = await startServePair(['--nodes', '0', '--hollow-nodes', '2']);
  browser = await launchBrowser({ width: 1024, height: 700 });
  page = await browser.context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([a?.stop(), b?.stop()]);
});

describe('another cluster in the UI', () => {
  it('adds the second control plane by its kubeconfig and shows its nodes', async () => {
    await navigate(page, a.uiUrl);
    await page.locator('[data-test=empty-cluster]').waitFor({ timeout: STEP_MS });
    expect(await page.locator('[data-test=cluster-picker]').innerText()).toContain('This Flotilla');
    await page.locator('[data-test=cluster-picker]').click();
    const dialog = page.getByRole('dialog', { name: 'Clusters' });
    await dialog.waitFor();
    await dialog.locator('[data-test=kubeconfig-path]').fill(path.join(b.dir, 'data', 'kubeconfig'));
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    const ctx = dialog.locator('[data-test=cluster-context]', { hasText: b.apiUrl });
    await ctx.waitFor({ timeout: STEP_MS });
    await shot('01-picker');
    await ctx.getByRole('button', { name: 'Show' }).click();
    // The window reloads on B: its two hollow nodes, and no "Add node" (B's machines are not ours to make).
    await page.locator('[data-test=summary]', { hasText: '2 nodes' }).waitFor({ timeout: STEP_MS });
    expect(await page.locator('[data-test=cluster-picker]').innerText()).toContain('flotilla');
    expect(await page.locator('[data-test=add-node]').count()).toBe(0);
    const names = (await b.client.list({ group: '', version: 'v1', plural: 'nodes', namespaced: false })).items.map((n) => n.metadata?.name ?? '');
    for (const n of names) await page.getByText(n, { exact: true }).first().waitFor({ timeout: STEP_MS });
    await shot('02-second-cluster');
  });

  it('stays on it across a reload, and goes back to this Flotilla', async () => {
    await navigate(page);
    await page.locator('[data-test=summary]', { hasText: '2 nodes' }).waitFor({ timeout: STEP_MS });
    await page.locator('[data-test=cluster-picker]').click();
    const dialog = page.getByRole('dialog', { name: 'Clusters' });
    await dialog.locator('li', { hasText: 'This Flotilla' }).getByRole('button', { name: 'Show' }).click();
    await page.locator('[data-test=empty-cluster]').waitFor({ timeout: STEP_MS });
    expect(await page.locator('[data-test=summary]').innerText()).toBe('0 nodes · 0 apps · 0 pods');
    await page.locator('[data-test=add-node]').waitFor();
  });

  it('says why a kubeconfig cannot be added or used', async () => {
    await page.locator('[data-test=cluster-picker]').click();
    const dialog = page.getByRole('dialog', { name: 'Clusters' });
    await dialog.locator('[data-test=kubeconfig-path]').fill('/nonexistent/kubeconfig');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.locator('[data-test=cluster-error]', { hasText: 'cannot read /nonexistent/kubeconfig: ENOENT' }).waitFor({ timeout: STEP_MS });
    await dialog.locator('[data-test=kubeconfig-upload]').setInputFiles({
      name: 'gke.yaml', mimeType: 'text/yaml',
      buffer: Buffer.from('clusters: [{name: g, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {exec: {command: gke-gcloud-auth-plugin}}}]\n'
        + 'contexts: [{name: gke, context: {cluster: g, user: u}}]\n'),
    });
    const gke = dialog.locator('[data-test=cluster-context]', { hasText: 'gke' });
    await gke.locator('.problem', { hasText: 'exec plugin (gke-gcloud-auth-plugin)' }).waitFor({ timeout: STEP_MS });
    expect(await gke.getByRole('button', { name: 'Show' }).isDisabled()).toBe(true);
    await shot('03-errors');
  });
});
