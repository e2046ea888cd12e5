// The Workloads list end to end: a real `flotilla serve --nodes 0 --hollow-nodes 2`, Debian's chromium. A Deployment, a
// StatefulSet and a DaemonSet are listed with their kind and readiness; the StatefulSet is scaled with its + button and
// the DaemonSet (one pod a node: no scale buttons) deleted from the list. Screenshots: test-results/ui/workloads-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { KObject } from '../../main/api/types';
import { ensureRendererBuilt, ROOT, startServe } from './support/serve-process';
import type { ServeProcess } from './support/serve-process';
import { launchBrowser, openUi } from './support/browser';
import type { TestBrowser } from './support/browser';
import { waitFor } from '../helpers/wait';

const SHOTS = path.join(ROOT, 'test-results/ui');
const STEP_MS = 30_000;
const R = {
  deployments: { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true },
  statefulsets: { group: 'apps', version: 'v1', plural: 'statefulsets', namespaced: true },
  daemonsets: { group: 'apps', version: 'v1', plural: 'daemonsets', namespaced: true },
};

let serve: ServeProcess;
let browser: TestBrowser;
let page: Page;

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `workloads-${name}.png`) });
const until = <T>(fn: () => Promise<T>, what: string) => waitFor(fn, what, STEP_MS, 100);

function workload(kind: string, name: string, extra: Record<string, unknown>): KObject {
  return {
    apiVersion: 'apps/v1', kind, metadata: { name, namespace: 'default' },
    spec: { ...extra, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'docker.io/flotilla/hello:1' }] } } },
  };
}

/** The text of a row's cell (by its data-test). */
const cell = (row: string, test: string) => page.locator(`[data-workload="${row}"] [data-test=${test}]`).innerText();

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  ensureRendererBuilt();
  serve = await startServe(['--nodes', '0', '--hollow-nodes', '2']);
  await serve.client.create(R.deployments, workload('Deployment', 'web', { replicas: 2 }), { namespace: 'default' });
  await serve.client.create(R.statefulsets, workload('StatefulSet', 'db', { replicas: 2, serviceName: 'db' }), { namespace: 'default' });
  await serve.client.create(R.daemonsets, workload('DaemonSet', 'agent', {}), { namespace: 'default' });
  browser = await launchBrowser({ width: 1280, height: 800 });
  page = await browser.context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('the Workloads list', () => {
  it('lists Deployments, StatefulSets and DaemonSets with their kind and readiness, and counts them in the header', async () => {
    await openUi(page, serve.uiUrl, STEP_MS);
    await page.locator('.side [data-view=workloads]').click();
    for (const [row, ready] of [['Deployment/web', '2/2'], ['StatefulSet/db', '2/2'], ['DaemonSet/agent', '2/2']]) {
      await until(async () => ((await page.locator(`[data-workload="${row}"]`).count()) && (await cell(row, 'ready')) === ready ? true : undefined), `${row} ${ready}`);
    }
    expect(await cell('StatefulSet/db', 'kind')).toBe('StatefulSet');
    expect(await cell('DaemonSet/agent', 'replicas')).toBe('2 (a node each)'); // one pod on each of the 2 nodes
    expect(await page.locator('[data-workload="DaemonSet/agent"]').getByRole('button', { name: 'Scale agent up' }).count()).toBe(0);
    expect(await page.locator('[data-test=summary]').innerText()).toMatch(/^2 nodes · 3 apps · 6 pods$/);
    await shot('01-list');
  });

  it('scales a StatefulSet with its + button and deletes a DaemonSet from the list', async () => {
    await page.getByRole('button', { name: 'Scale db up' }).click();
    await until(async () => ((await serve.client.get<KObject & { spec?: { replicas?: number } }>(R.statefulsets, 'db', 'default')).spec?.replicas === 3 ? true : undefined), 'db scaled to 3');
    await until(async () => ((await cell('StatefulSet/db', 'ready')) === '3/3' ? true : undefined), 'db 3/3');
    await page.getByRole('button', { name: 'Delete agent' }).click();
    await page.locator('[data-workload="DaemonSet/agent"] .danger').click(); // the confirmation
    await until(async () => ((await page.locator('[data-workload="DaemonSet/agent"]').count()) === 0 ? true : undefined), 'agent gone from the list');
    await until(async () => serve.client.get(R.daemonsets, 'agent', 'default').then(() => undefined, () => true), 'agent deleted in the API');
    expect(await page.locator('[data-workload]').count()).toBe(2);
    await shot('02-scaled-deleted');
  });
});
