// The resource browser end to end: a real `flotilla serve --nodes 0 --hollow-nodes 2`, Debian's
// chromium, real kubectl against the same server. Deployments with kubectl's columns; one opened: its
// pods, history, restart, scale, roll back; a CRD's objects with its printer columns. Screenshots:
// test-results/ui/browser-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import type { Deployment } from '../../main/api/types';
import { ensureRendererBuilt, ROOT, startServe } from './support/serve-process';
import type { ServeProcess } from './support/serve-process';
import { explained, launchBrowser, navigate } from './support/browser';
import type { TestBrowser } from './support/browser';
import { waitFor } from '../helpers/cluster';

const SHOTS = path.join(ROOT, 'test-results/ui');
const DEPLOYMENTS = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };
const STEP_MS = 30_000;

let serve: ServeProcess;
let browser: TestBrowser;
let page: Page;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `browser-${name}.png`) });
}
function until<T>(fn: () => Promise<T>, what: string, timeoutMs = STEP_MS): Promise<NonNullable<T>> {
  return waitFor(fn, what, timeoutMs, 100);
}
function kubectl(args: string[], input?: string): string {
  const r = spawnSync('/usr/bin/kubectl', args, {
    input, encoding: 'utf8', timeout: 30_000,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', KUBECONFIG: path.join(serve.dir, 'data', 'kubeconfig'), HOME: serve.dir },
  });
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}
const deployment = () => serve.client.get<Deployment>(DEPLOYMENTS, 'web', 'default');
/** The header row of the list as shown. */
const headers = async () => (await page.locator('[data-test=resources-view] [data-test=resource-table] thead th').allInnerTexts()).map((h) => h.trim());

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  ensureRendererBuilt();
  serve = await startServe(['--nodes', '0', '--hollow-nodes', '2']);
  kubectl(['create', 'deployment', 'web', '--image=docker.io/flotilla/hello:1', '--replicas=2']);
  browser = await launchBrowser({ width: 1280, height: 800 });
  page = await browser.context.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('the resource browser', () => {
  it('lists the discovered kinds by section with counts, and Deployments with kubectl\'s columns', async () => {
    await navigate(page, serve.uiUrl);
    await page.getByRole('button', { name: 'Resources', exact: true }).click();
    const nav = page.getByRole('navigation', { name: 'Resource kinds' });
    await nav.getByRole('heading', { name: 'Workloads' }).waitFor({ timeout: STEP_MS });
    for (const s of ['Network', 'Config & Storage', 'Access control', 'Cluster']) await nav.getByRole('heading', { name: s }).waitFor();
    await page.locator('[data-test=resource-row]', { hasText: 'web' }).waitFor({ timeout: STEP_MS });
    // Two hollow nodes run the pods: wait until the row says 2/2 as kubectl does.
    await until(async () => (await page.locator('[data-test=resource-row]', { hasText: 'web' }).innerText()).includes('2/2'), 'web 2/2 ready');
    const printed = kubectl(['get', 'deployments', '-A']).trim().split('\n')[0].trim().split(/\s{2,}/);
    expect(await headers()).toEqual(printed);
    const webRow = (await page.locator('[data-test=resource-row]', { hasText: 'web' }).locator('td').allInnerTexts()).map((c) => c.trim());
    const kubectlRow = kubectl(['get', 'deployments', '-A']).trim().split('\n').find((l) => /\sweb\s/.test(l))!.trim().split(/\s{2,}/);
    expect(webRow.slice(0, 5)).toEqual(kubectlRow.slice(0, 5));
    expect(await nav.locator('[data-kind="apps/deployments"] .count').innerText()).toBe('1');
    await shot('1-deployments');
  });

  it('opens a Deployment: its pods, then restart, scale and roll back from its history', async () => {
    const detail = page.locator('[data-test=object-detail]');
    // The row re-renders while the Deployment's status changes: a click on a row being replaced is lost, so click
    // again until the drawer shows it.
    const heading = detail.getByRole('heading', { name: 'web' });
    await explained(browser, () => until(async () => {
      if (await heading.isVisible()) return true;
      await page.locator('[data-test=resource-row]', { hasText: 'web' }).click({ timeout: 5000 }).catch(() => undefined);
      return heading.waitFor({ timeout: 5000 }).then(() => true, () => false);
    }, 'the Deployment web open in the drawer'), async () => `the drawer: ${await page.locator('[role=complementary]').allInnerTexts().then((t) => t.join(' | ') || 'closed')}`);
    await detail.locator('[data-test=owned]', { hasText: 'ReplicaSet' }).waitFor({ timeout: STEP_MS });
    await shot('2-deployment-overview');

    await detail.getByRole('tab', { name: 'Pods' }).click();
    await until(async () => (await detail.locator('[data-test=resource-row]').count()) === 2, 'the deployment\'s two pods');
    expect((await detail.locator('[data-test=resource-table] thead th').allInnerTexts()).map((h) => h.trim())).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    await shot('3-deployment-pods');

    await detail.getByRole('button', { name: 'Restart', exact: true }).click();
    await until(async () => (await deployment()).spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'], 'the restartedAt annotation');
    await until(async () => (await deployment()).metadata?.annotations?.['deployment.kubernetes.io/revision'] === '2', 'revision 2 after the restart');

    await detail.getByLabel('Replicas').fill('3');
    await detail.getByRole('button', { name: 'Scale', exact: true }).click();
    await until(async () => (await deployment()).spec?.replicas === 3, 'three replicas');
    await detail.getByRole('tab', { name: 'History' }).click();
    const history = detail.locator('[data-test=rollout-history]');
    await history.locator('tr[data-revision="2"]', { hasText: 'current' }).waitFor({ timeout: STEP_MS });
    // The history as kubectl prints it: the same revisions.
    const revisions = kubectl(['rollout', 'history', 'deployment/web']).trim().split('\n').slice(2).map((l) => l.trim().split(/\s+/)[0]);
    const historyRows = history.locator('tbody tr');
    const shown: string[] = [];
    for (let i = (await historyRows.count()) - 1; i >= 0; i--) shown.push((await historyRows.nth(i).getAttribute('data-revision')) ?? '');
    expect(shown).toEqual(revisions);
    await shot('4-deployment-history');

    await history.locator('tr[data-revision="1"]').getByRole('button', { name: 'Roll back' }).click();
    await page.locator('[data-test=notice]', { hasText: 'rolled back' }).waitFor({ timeout: STEP_MS });
    await until(async () => {
      const d = await deployment();
      return d.spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'] === undefined && d.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '3';
    }, 'the template of revision 1 back, as revision 3');
    await history.locator('tr[data-revision="3"]', { hasText: 'current' }).waitFor({ timeout: STEP_MS });
    await shot('5-rolled-back');
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
  });

  it('shows a CRD as it appears, with its printer columns', async () => {
    kubectl(['apply', '-f', '-'], `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.browse.example.com}
spec:
  group: browse.example.com
  scope: Namespaced
  names: {plural: gadgets, kind: Gadget}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    - {name: Colour, type: string, jsonPath: .spec.colour}
`);
    kubectl(['wait', '--for=condition=Established', 'crd/gadgets.browse.example.com', '--timeout=30s']);
    kubectl(['apply', '-f', '-'], 'apiVersion: browse.example.com/v1\nkind: Gadget\nmetadata: {name: g1, namespace: default}\nspec: {size: 3, colour: blue}\n');
    const nav = page.getByRole('navigation', { name: 'Resource kinds' });
    await nav.getByRole('heading', { name: 'Custom resources' }).waitFor({ timeout: STEP_MS });
    await nav.locator('[data-kind="browse.example.com/gadgets"]').click();
    await page.locator('[data-test=resource-row]', { hasText: 'g1' }).waitFor({ timeout: STEP_MS });
    const printed = kubectl(['get', 'gadgets', '-A']).trim().split('\n').map((l) => l.trim().split(/\s{2,}/));
    expect(await headers()).toEqual(printed[0]);
    expect((await page.locator('[data-test=resource-row]', { hasText: 'g1' }).locator('td').allInnerTexts()).map((c) => c.trim())).toEqual(printed[1]);
    await shot('6-custom-resources');
  });

  it('keeps 1,500 objects smooth: only the rows in view are in the page, and scrolling reaches the last one', async () => {
    const CONFIGMAPS = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };
    for (let start = 0; start < 1500; start += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => serve.client.create(CONFIGMAPS, {
        apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `many-${String(start + i).padStart(4, '0')}`, namespace: 'default' },
      })));
    }
    const nav = page.getByRole('navigation', { name: 'Resource kinds' });
    await nav.locator('[data-kind="/configmaps"]').click();
    await until(async () => (await page.locator('[data-test=resource-title]').innerText()) === 'ConfigMaps' && (await page.locator('.sub').innerText()).includes('objects')
      && Number(/(\d+) objects/.exec(await page.locator('.sub').innerText())?.[1]) >= 1500, 'the 1,500 config maps listed');
    const rendered = await page.locator('[data-test=resources-view] [data-test=resource-row]').count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(80);
    // Sorted by name, descending: the last one first; then scrolled to the end: the first one shows.
    const nameHeader = page.locator('[data-test=resources-view] thead th', { hasText: /^NAME[▲▼]?$/ }).getByRole('button');
    await nameHeader.click();
    await nameHeader.click();
    await page.locator('[data-test=resources-view] [data-test=resource-row]').first().filter({ hasText: 'many-1499' }).waitFor();
    await page.evaluate("(() => { const el = document.querySelector('[data-test=resources-view] [data-test=resource-table]'); el.scrollTo(0, el.scrollHeight); })()");
    await page.locator('[data-test=resources-view] [data-test=resource-row]', { hasText: /many-0000/ }).waitFor({ timeout: 15_000 });
    await shot('7-many-rows');
    // The smallest window the app is made for: nothing cut off.
    await page.setViewportSize({ width: 1024, height: 700 });
    await nav.locator('[data-kind="apps/deployments"]').click();
    await page.locator('[data-test=resource-row]', { hasText: 'web' }).click();
    await page.locator('[data-test=object-detail]').getByRole('tab', { name: 'History' }).click();
    await page.locator('[data-test=rollout-history] tbody tr').first().waitFor();
    await shot('8-at-1024x700');
  });
});
