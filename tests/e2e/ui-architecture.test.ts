// The Architecture view end to end: a real `flotilla serve --nodes 1` (one sandbox node: containerd and the
// agent), Debian's chromium at 1024×700. Every component is listed with live figures read from the control
// plane's and the agent's /metrics; deploying an app changes them (the store's revision, the node's running
// pods and containers, the proxier's rules) and sends dots along the links; a click explains a component.
// Also: the API server's /metrics is Prometheus text and refuses anonymous callers. Screenshots in
// test-results/ui/arch-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { parsePromText } from '../../main/protocol/prom-text';
import { ensureRendererBuilt, readySandboxNode, ROOT, startServe, type ServeProcess } from './support/serve-process';
import { launchBrowser, type TestBrowser, openUi } from './support/browser';
import { waitFor } from '../helpers/cluster';

const SHOTS = path.join(ROOT, 'test-results/ui');
const DEPLOYMENTS = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };
const SERVICES = { group: '', version: 'v1', plural: 'services', namespaced: true };
const STEP_MS = 60_000;
const skip = process.getuid?.() !== 0 && process.env.CI !== 'true';

let serve: ServeProcess;
let browser: TestBrowser;
let page: Page;
let node = '';

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: path.join(SHOTS, `arch-${name}.png`) });
const until = <T>(fn: () => Promise<T>, what: string, timeoutMs = STEP_MS): Promise<NonNullable<T>> => waitFor(fn, what, timeoutMs, 200);

/** A figure's text in a component box (`data-figure` is its label). */
async function figure(component: string, label: string): Promise<string> {
  return (await page.locator(`[data-test="arch-${component}"] [data-figure="${label}"]`).innerText()).trim();
}

function get(url: string, headers: Record<string, string>): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    https.get(url, { headers, rejectUnauthorized: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8'), type: String(res.headers['content-type'] ?? '') }));
    }).on('error', reject);
  });
}

describe.skipIf(skip)('the Architecture view', () => {
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    ensureRendererBuilt();
    serve = await startServe(['--nodes', '1'], 120_000);
    node = await readySandboxNode(serve);
    browser = await launchBrowser({ width: 1024, height: 700 });
    page = await browser.context.newPage();
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  }, 180_000);

  it('lists every component with live figures', async () => {
    await openUi(page, serve.uiUrl, STEP_MS);
    await page.getByRole('button', { name: 'Architecture', exact: true }).click();
    for (const c of ['store', 'api', 'scheduler', 'controllers', `kubelet:${node}`, `proxy:${node}`, `containerd:${node}`]) {
      await page.locator(`[data-test="arch-${c}"]`).waitFor({ timeout: STEP_MS });
    }
    // Rates need two samples: wait for the second, then every figure is a number.
    await until(async () => /\/s$/.test(await figure('store', 'writes')), 'the store\'s writes/s');
    expect(Number(await figure('store', 'revision'))).toBeGreaterThan(10);
    expect(await figure('store', 'size')).toMatch(/^\d+(\.\d)? (KiB|MiB)$/);
    expect(await figure('api', 'requests')).toMatch(/\/s$/);
    expect(Number(await figure('api', 'watches'))).toBeGreaterThan(0);
    expect(await figure('api', 'p99 latency')).toMatch(/ ms$/);
    expect(await figure('scheduler', 'queue act/back/unsched')).toMatch(/^\d+\/\d+\/\d+$/);
    expect(Number(await figure('controllers', 'controllers'))).toBeGreaterThan(10);
    const names = await page.locator('[data-test=arch-controller-names]').innerText();
    for (const c of ['deployment', 'replicaset', 'endpointslice']) expect(names).toContain(c);
    // The node's figures come from its agent's /metrics: the heartbeat is its Lease, the proxier has synced.
    const nodeCard = page.locator(`[data-test="arch-node-${node}"]`);
    expect(await nodeCard.innerText()).not.toContain('figures from the API');
    expect(await figure(`kubelet:${node}`, 'heartbeat')).toMatch(/^\d+ s ago$/);
    await until(async () => /^\d+$/.test(await figure(`proxy:${node}`, 'rules')), 'the proxier\'s rule count');
    expect(await figure(`containerd:${node}`, 'running')).toMatch(/^\d+$/);
    await shot('01-view');
  }, 120_000);

  it('shows figures change and activity flow when an app is deployed', async () => {
    const revision = Number(await figure('store', 'revision'));
    const rules = Number(await figure(`proxy:${node}`, 'rules'));
    const labels = { app: 'arch-web' };
    await serve.client.create(DEPLOYMENTS, {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'arch-web', namespace: 'default' },
      spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{
        name: 'web', image: 'docker.io/flotilla/hello:1', ports: [{ containerPort: 8080 }],
        readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
      }] } } },
    }, { namespace: 'default' });
    await serve.client.create(SERVICES, {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'arch-web', namespace: 'default' },
      spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
    }, { namespace: 'default' });
    // Activity travels along the links while the app is created: the scheduler's attempts, the new pods on the node.
    await page.locator('[data-dot="api-scheduler"]').first().waitFor({ state: 'attached', timeout: STEP_MS });
    await page.locator(`[data-dot="api-node:${node}"]`).first().waitFor({ state: 'attached', timeout: STEP_MS });
    await shot('02-activity');
    // kubelet_running_pods counts ready sandboxes; containerd's running containers follow once the images are in.
    await until(async () => (await figure(`kubelet:${node}`, 'pods')) === '2 of 2 running', 'the kubelet running both pods\' sandboxes', 120_000);
    await until(async () => Number(await figure(`containerd:${node}`, 'running')) >= 2, 'containerd running both containers', 120_000);
    expect(Number(await figure('store', 'revision'))).toBeGreaterThan(revision);
    await until(async () => Number(await figure(`proxy:${node}`, 'rules')) > rules, 'the proxier\'s rules for the new Service');
    expect(await page.locator(`[data-test="arch-node-${node}"] .pods`).innerText()).toMatch(/arch-web-/);
    const last = await figure('scheduler', 'last');
    expect(last).toMatch(new RegExp(`^arch-web-.* → ${node}$`));
    await shot('03-deployed');
  }, 180_000);

  it('explains a component and shows its details when clicked', async () => {
    await page.locator('[data-test="arch-api"]').click();
    const details = page.locator('[data-test=arch-details]');
    await details.waitFor({ timeout: STEP_MS });
    expect(await details.locator('h2').innerText()).toBe('API server');
    expect(await details.locator('[data-test=arch-job]').innerText()).toMatch(/^Every request .*\. Everyone else .*\.$/);
    expect(await details.innerText()).toMatch(/By verb\s+.*(POST|GET|LIST|PATCH|PUT)/);
    await shot('04-api-details');
    await page.locator(`[data-test="arch-kubelet:${node}"]`).click();
    await until(async () => (await details.locator('h2').innerText()) === `Agent (kubelet) on ${node}`, 'the kubelet\'s details');
    // The details follow the snapshots: the pods' start durations, syncs and readiness probes once the containers run.
    const text = await until(async () => {
      const t = await details.innerText();
      return /Pod start \(median\)\s+\d+(\.\d)? s/.test(t) && /Probes\s+[1-9]\d* passed · \d+ failed/.test(t) ? t : undefined;
    }, 'the kubelet\'s pod starts and probes', 120_000);
    expect(text).toMatch(/Last heartbeat \(Lease\)\s+\d+ s ago/);
    expect(text).toMatch(/Pod syncs\s+[1-9]\d* \((<0\.1|\d+(\.\d)?)\/s\)/);
    await shot('05-kubelet-details');
    // A pod on the node opens in the pod drawer (where its journey is shown).
    await page.locator('[data-test=arch-details]').getByRole('button', { name: 'Close details' }).click();
    const drawer = page.getByRole('complementary', { name: 'Pod details' });
    // The pod's button is re-drawn as the view's figures refresh, which can lose a click: clicked again until the drawer shows it.
    await until(async () => {
      if ((await drawer.count()) && (await drawer.innerText()).includes('arch-web-')) return true;
      await page.locator(`[data-test="arch-node-${node}"] .pods button`).first().click({ timeout: 5_000 }).catch(() => undefined);
      return false;
    }, 'the pod drawer with the pod');
  }, 180_000);

  it('serves the API server\'s /metrics as Prometheus text, to the admin only', async () => {
    const { token } = { token: /token:\s*(\S+)/.exec(fs.readFileSync(path.join(serve.dir, 'data', 'kubeconfig'), 'utf8'))?.[1] ?? '' };
    const ok = await get(`${serve.apiUrl}/metrics`, { Authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(ok.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePromText(ok.body);
    const names = new Set(families.map((f) => f.name));
    for (const n of ['apiserver_request_total', 'apiserver_request_duration_seconds', 'workqueue_depth', 'scheduler_pending_pods', 'apiserver_storage_size_bytes']) {
      expect(names).toContain(n);
    }
    const anonymous = await get(`${serve.apiUrl}/metrics`, {});
    expect([401, 403]).toContain(anonymous.status);
  }, 60_000);
});
