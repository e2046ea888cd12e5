// Time travel end to end: a real `flotilla serve --nodes 0 --hollow-nodes 2 --compaction-interval 10m`, Debian's
// chromium at 1024×700. A Deployment created with 1 replica, scaled to 3, then deleted; in the History view the slider
// dragged back shows the Deployment (marked deleted) and its 3 pods on their nodes as they were, the diff between the
// revision after the create and the one after the scale shows the replicas change, "Back to now" shows them gone, and
// the compaction interval given on the command line is shown and changed from the UI (kept in the data dir).
// Screenshots under test-results/ui/history-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { KObject, Pod } from '../../main/api/types';
import { ensureRendererBuilt, ROOT, startServe } from './support/serve-process';
import type { ServeProcess } from './support/serve-process';
import { launchBrowser, openUi } from './support/browser';
import type { TestBrowser } from './support/browser';
import { waitFor } from '../helpers/cluster';

const SHOTS = path.join(ROOT, 'test-results/ui');
const DEPLOYMENTS = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };
const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const STEP_MS = 30_000;

let serve: ServeProcess;
let browser: TestBrowser;
let page: Page;
/** The list revisions after each step: 1 pod running, 3 pods running, all gone. */
let afterCreate = 0;
let afterScale = 0;
let afterDelete = 0;

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `history-${name}.png`) });
const banner = () => page.locator('[data-test=history-banner]');

/** Waits until the web pods running are exactly `n`; returns the list's resourceVersion then. */
async function runningWebPods(n: number): Promise<number> {
  return waitFor(async () => {
    const l = await serve.client.list<Pod>(PODS, { namespace: 'default', labelSelector: 'app=web' });
    const running = l.items.filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);
    return running.length === n && l.items.length === n ? Number(l.metadata.resourceVersion) : undefined;
  }, `${n} web pods running`, STEP_MS);
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  ensureRendererBuilt();
  serve = await startServe(['--nodes', '0', '--hollow-nodes', '2', '--compaction-interval', '10m']);
  await serve.client.create(DEPLOYMENTS, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'docker.io/flotilla/hello:1' }] } },
    },
  });
  afterCreate = await runningWebPods(1);
  await serve.client.patch(DEPLOYMENTS, 'web', { spec: { replicas: 3 } }, 'merge', { namespace: 'default' });
  afterScale = await runningWebPods(3);
  await serve.client.delete(DEPLOYMENTS, 'web', { namespace: 'default', propagationPolicy: 'Foreground' });
  afterDelete = await runningWebPods(0);
  browser = await launchBrowser({ width: 1024, height: 700 });
  page = await browser.context.newPage();
  await openUi(page, serve.uiUrl, STEP_MS);
  await page.getByRole('button', { name: 'History', exact: true }).click();
  await banner().filter({ hasText: 'Now:' }).waitFor({ timeout: STEP_MS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('the History view', () => {
  it('starts at the current revision, where the deleted Deployment and its pods are gone', async () => {
    const current = Number(await page.locator('[data-test=history-slider]').inputValue());
    expect(current).toBeGreaterThanOrEqual(afterDelete);
    await expect.poll(() => page.locator('[data-test=history-map] [data-pod^="web-"]').count()).toBe(0);
    expect(await page.locator('[data-test=history-deployments]').count()).toBe(0);
    expect(await page.locator('[data-test=history-window]').innerText()).toContain('Every 10 min the store compacts');
    expect(await page.locator('[data-test=history-oldest]').innerText()).toMatch(/oldest kept: 1 · \d\d:\d\d:\d\d/);
    await shot('01-now');
  });

  it('dragging the slider back shows the Deployment and its pods as they were', async () => {
    const slider = page.locator('[data-test=history-slider]');
    const box = (await slider.boundingBox())!;
    const [min, max] = [Number(await slider.getAttribute('min')), Number(await slider.getAttribute('max'))];
    // Drag the thumb from its place at the right end to about the revision after the scale …
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width - 4, y);
    await page.mouse.down();
    await page.mouse.move(box.x + ((afterScale - min) / (max - min)) * box.width, y, { steps: 12 });
    await page.mouse.up();
    expect(Number(await slider.inputValue())).toBeLessThan(max);
    // … and step to it exactly with the arrow keys, as a person fine-tunes a slider.
    const off = Number(await slider.inputValue()) - afterScale;
    for (let i = 0; i < Math.abs(off); i++) await slider.press(off > 0 ? 'ArrowLeft' : 'ArrowRight');
    await banner().filter({ hasText: `The past: revision ${afterScale} at` }).waitFor({ timeout: STEP_MS });
    expect(await banner().innerText()).toContain('Read-only — the live cluster is unchanged.');

    const row = page.locator('[data-test=history-deployments] tr[data-deployment="web"]');
    await row.waitFor({ timeout: STEP_MS });
    expect(await row.locator('[data-test=replicas]').innerText()).toBe('3');
    expect(await row.locator('.pill').innerText()).toBe('deleted');
    const pods = page.locator('[data-test=history-map] [data-node] [data-pod^="web-"]');
    await expect.poll(() => pods.count()).toBe(3);
    expect(await pods.locator('.pill').allInnerTexts()).toEqual(['Running', 'Running', 'Running']);
    expect(await page.locator('[data-test=history-events]').innerText()).toContain('ScalingReplicaSet');
    await shot('02-past');
    // Nothing was written: the Deployment stays deleted.
    await expect(serve.client.get<KObject>(DEPLOYMENTS, 'web', 'default')).rejects.toMatchObject({ code: 404 });
  });

  it('the diff between two revisions shows the replicas change', async () => {
    await page.locator('tr[data-deployment="web"] [data-test=history-compare]').click();
    const panel = page.locator('[data-test=history-diff]');
    await panel.waitFor({ timeout: STEP_MS });
    const from = panel.locator('[data-test=history-diff-from]');
    await from.fill(String(afterCreate));
    await from.press('Enter');
    const diff = panel.locator('[data-test=yaml-diff]');
    await diff.locator('.cm-deletedChunk', { hasText: 'replicas: 1' }).waitFor({ timeout: STEP_MS });
    expect(await diff.locator('.cm-changedLine').allInnerTexts()).toContain('  replicas: 3');
    expect(await panel.locator('[data-test=history-diff-sides]').innerText()).toMatch(
      new RegExp(`^revision ${afterCreate} \\(\\d\\d:\\d\\d:\\d\\d\\) → revision ${afterScale} \\(\\d\\d:\\d\\d:\\d\\d\\)$`),
    );
    expect(await panel.locator('[data-test=history-diff-to]').innerText()).toBe(String(afterScale));
    await panel.scrollIntoViewIfNeeded();
    await shot('03-diff');
  });

  it('"Back to now" shows the present again, and the compaction interval is changed from the UI', async () => {
    await page.locator('[data-test=history-now]').click();
    await banner().filter({ hasText: 'Now:' }).waitFor({ timeout: STEP_MS });
    await expect.poll(() => page.locator('[data-test=history-map] [data-pod^="web-"]').count()).toBe(0);
    await page.locator('[data-test=history-interval]').selectOption({ label: '1 min' });
    await page.locator('[data-test=history-window]', { hasText: 'Every 1 min the store compacts' }).waitFor({ timeout: STEP_MS });
    expect(JSON.parse(fs.readFileSync(path.join(serve.dir, 'data', 'compaction.json'), 'utf8'))).toEqual({ intervalMs: 60_000 });
    await page.locator('[data-test=history-window]').scrollIntoViewIfNeeded();
    await shot('04-window');
  });
});
