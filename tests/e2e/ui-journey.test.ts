// A pod's Journey tab end to end: a real `flotilla serve --nodes 1 --hollow-nodes 2` (one sandbox node:
// containerd and the agent; two simulated ones), Debian's chromium at 1024×700. A pod with a readiness
// probe behind a Service, pinned to the sandbox node: its drawer's Journey tab lists each component's
// step up to kube-proxy's rules, and why the scheduler chose its node (the hollow nodes filtered out with
// the scheduler's reason); after deletion the drawer keeps the deletion's steps. Screenshots in
// test-results/ui/journey-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { KObject, Pod } from '../../main/api/types';
import { ensureRendererBuilt, readySandboxNode, ROOT, startServe, type ServeProcess } from './support/serve-process';
import { launchBrowser, type TestBrowser, openPodFromMap, openUi } from './support/browser';
import { waitFor } from '../helpers/wait';

const SHOTS = path.join(ROOT, 'test-results/ui');
const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const SERVICES = { group: '', version: 'v1', plural: 'services', namespaced: true };
const STEP_MS = 60_000;
const skip = process.getuid?.() !== 0 && process.env.CI !== 'true';

let serve: ServeProcess;
let browser: TestBrowser;
let page: Page;
let node = '';

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: path.join(SHOTS, `journey-${name}.png`) });
const until = <T>(fn: () => Promise<T>, what: string, timeoutMs = STEP_MS): Promise<NonNullable<T>> => waitFor(fn, what, timeoutMs, 200);

describe.skipIf(skip)('the pod\'s Journey tab', () => {
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    ensureRendererBuilt();
    serve = await startServe(['--nodes', '1', '--hollow-nodes', '2'], 120_000);
    node = await readySandboxNode(serve);
    await serve.client.create(SERVICES, {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'journey', namespace: 'default' },
      spec: { selector: { app: 'journey' }, ports: [{ port: 80, targetPort: 8080 }] },
    }, { namespace: 'default' });
    await serve.client.create(PODS, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'journey', namespace: 'default', labels: { app: 'journey' } },
      spec: {
        nodeSelector: { 'kubernetes.io/hostname': node }, terminationGracePeriodSeconds: 2,
        containers: [{ name: 'app', image: 'docker.io/flotilla/hello:1', command: ['sh', '-c', 'sleep 3600'], readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 } }],
      },
    }, { namespace: 'default' });
    await until(async () => (await serve.client.get<Pod & KObject>(PODS, 'journey', 'default')).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      'pod journey Ready', 120_000);
    browser = await launchBrowser({ width: 1024, height: 700 });
    page = await browser.context.newPage();
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  }, 180_000);

  it('shows each component\'s step with its duration and why this node', async () => {
    await openUi(page, serve.uiUrl, STEP_MS);
    await openPodFromMap(page, 'journey', STEP_MS);
    const detail = page.locator('[data-test=pod-detail]');
    await page.getByRole('tab', { name: 'Journey' }).click();
    const steps = detail.locator('[data-test=journey-step]');
    await steps.filter({ hasText: 'kube-proxy\'s rules' }).first().waitFor({ timeout: STEP_MS });
    const texts = await steps.allInnerTexts();
    const order = ['Created', `Scheduled to ${node}`, `Bound to ${node}`, 'Seen by the kubelet', 'Sandbox and network set up', 'Image present for app',
      'Container app created', 'Container app started', 'Readiness probes passing', 'Added to Service journey\'s endpoints', `In kube-proxy's rules on ${node}`];
    const at = order.map((t) => texts.findIndex((x) => x.includes(t)));
    expect(at.every((i) => i >= 0), `${order.join(' | ')} in ${texts.join(' | ')}`).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(await detail.locator('[data-test=journey-total]').innerText()).toMatch(/^\d+(\.\d+)? (ms|s)$/);
    const scheduling = detail.locator('[data-test=journey-scheduling]');
    await scheduling.scrollIntoViewIfNeeded();
    const table = await scheduling.innerText();
    expect(table).toContain(`chose ${node}`);
    expect(table).toContain('node(s) didn\'t match Pod\'s node affinity/selector');
    await steps.first().scrollIntoViewIfNeeded();
    await shot('01-start');
    await scheduling.scrollIntoViewIfNeeded();
    await shot('02-why-this-node');
  }, 120_000);

  it('keeps the deletion\'s steps after the pod is gone', async () => {
    await serve.client.delete(PODS, 'journey', { namespace: 'default' });
    const detail = page.locator('[data-test=pod-detail]');
    await detail.getByText('This pod no longer exists.').waitFor({ timeout: STEP_MS });
    await detail.locator('[data-test=journey-step]', { hasText: 'Removed from the store' }).waitFor({ timeout: STEP_MS });
    for (const t of ['Marked for deletion', 'Containers stopped (graceful termination)', 'Removed from Service journey\'s endpoints']) {
      expect(await detail.locator('[data-test=journey-step]', { hasText: t }).count(), t).toBeGreaterThan(0);
    }
    await detail.getByRole('heading', { name: 'Deletion' }).scrollIntoViewIfNeeded();
    await shot('03-deletion');
  }, 120_000);
});
