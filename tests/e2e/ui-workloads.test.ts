// The Workloads list end to end: a real `flotilla serve --nodes 0 --hollow-nodes 2`, Debian's chromium. A Deployment, a
// StatefulSet and a DaemonSet are listed with their kind and readiness; the StatefulSet is scaled with its + button and
// the DaemonSet (one pod a node: no scale buttons) deleted from the list. A CronJob and a Job are listed below with
// kubectl's STATUS and COMPLETIONS; Run now makes a Job under its CronJob, and a Job deleted from the list takes its
// pods. Screenshots: test-results/ui/workloads-*.png.
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
import { KIND_RESOURCES } from '../../main/bridge/kinds';

const SHOTS = path.join(ROOT, 'test-results/ui');
const STEP_MS = 30_000;
/** The resources the UI informs on, as the bridge names them. */
const R = KIND_RESOURCES;

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

  it('lists a CronJob and a Job, runs the CronJob now, and deletes the Job with its pods', async () => {
    const template = { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'docker.io/flotilla/hello:1', command: ['sleep', '1000'] }] } };
    await serve.client.create(R.cronjobs, {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'default' },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template } } },
    }, { namespace: 'default' });
    await serve.client.create(R.jobs, {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'default' }, spec: { template },
    }, { namespace: 'default' });
    const migratePods = async () => (await serve.client.list(R.pods, { namespace: 'default', labelSelector: 'batch.kubernetes.io/job-name=migrate' })).items;
    await until(async () => ((await migratePods()).length === 1 ? true : undefined), 'migrate\'s pod');
    await until(async () => ((await page.locator('[data-workload="Job/migrate"]').count()) && (await cell('Job/migrate', 'status')) === 'Running' ? true : undefined), 'migrate Running');
    expect(await cell('Job/migrate', 'progress')).toBe('0/1');
    await until(async () => ((await page.locator('[data-workload="CronJob/nightly"]').count()) ? true : undefined), 'nightly listed');
    expect(await cell('CronJob/nightly', 'status')).toBe('Scheduled');
    expect(await cell('CronJob/nightly', 'progress')).toBe('0 3 * * *');
    expect(await cell('CronJob/nightly', 'last-run')).toBe('not run yet');
    await shot('03-jobs');

    await page.getByRole('button', { name: 'Run nightly now' }).click();
    const child = page.locator('[data-workload^="Job/nightly-"]');
    await until(async () => ((await child.count()) === 1 ? true : undefined), 'a Job from nightly listed');
    expect(await child.locator('[data-test=kind]').innerText()).toBe('Job · from cronjob nightly');
    // Listed right under its CronJob.
    const rows = await page.locator('[data-workload^="CronJob/"], [data-workload^="Job/"]').all();
    const order = await Promise.all(rows.map(async (r) => (await r.getAttribute('data-workload')) ?? ''));
    expect(order.findIndex((k) => k.startsWith('Job/nightly-'))).toBe(order.indexOf('CronJob/nightly') + 1);

    await page.getByRole('button', { name: 'Delete migrate' }).click();
    await page.locator('[data-workload="Job/migrate"] .danger').click();
    await until(async () => ((await page.locator('[data-workload="Job/migrate"]').count()) === 0 ? true : undefined), 'migrate gone from the list');
    await until(async () => ((await migratePods()).length === 0 ? true : undefined), 'migrate\'s pod deleted with it');
    await shot('04-run-now-deleted');
    // A narrow window keeps every column in view (the section scrolls only when it must).
    await page.setViewportSize({ width: 800, height: 800 });
    const fits = await page.locator('section[aria-label=Workloads]').evaluate((el: { scrollWidth: number; clientWidth: number }) => el.scrollWidth <= el.clientWidth);
    await shot('05-narrow');
    expect(fits).toBe(true);
  });
});
