// The UI end to end: a real `flotilla serve --nodes 0 --hollow-nodes 2`, Debian's chromium, the
// web-mode UI with its token. Each step leaves a screenshot under test-results/ui/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { KObject } from '../../main/api/types';
import { ensureRendererBuilt, ROOT, startServe } from './support/serve-process';
import type { ServeProcess } from './support/serve-process';
import { launchBrowser, openUi } from './support/browser';
import type { TestBrowser } from './support/browser';
import { waitFor } from '../helpers/cluster';

const SHOTS = path.join(ROOT, 'test-results/ui');
const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const MACHINES = { group: 'flotilla.dev', version: 'v1alpha1', plural: 'machines', namespaced: false };
const STEP_MS = 30_000;

let serve: ServeProcess;
let browser: TestBrowser;
let page: Page;
/** True when the server runs hollow nodes (pods turn Running); else the test made bare Node objects. */
let hollow = false;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

function until<T>(fn: () => Promise<T>, what: string, timeoutMs = STEP_MS): Promise<NonNullable<T>> {
  return waitFor(fn, what, timeoutMs, 100);
}

/** Drops a file onto the window the way a file manager does (DataTransfer with a File). */
async function dropFile(name: string, content: string): Promise<void> {
  await page.evaluate(`(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([${JSON.stringify(content)}], ${JSON.stringify(name)}));
    for (const type of ['dragenter', 'dragover', 'drop']) document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  })()`);
}

/** Dismisses every notice (successes also fade on their own). */
async function dismissNotices(): Promise<void> {
  const notices = page.locator('[data-test=notice]');
  await until(async () => {
    if ((await notices.count()) === 0) return true;
    await notices.first().getByRole('button', { name: 'Dismiss' }).click({ timeout: 1000 }).catch(() => undefined);
    return undefined;
  }, 'notices to go');
}

async function nodeNames(): Promise<string[]> {
  const l = await serve.client.list(NODES);
  return l.items.map((n) => n.metadata?.name ?? '');
}

/** Without hollow nodes yet: two Ready Node objects made through the API. */
async function createBareNodes(): Promise<void> {
  for (const name of ['bare-1', 'bare-2']) {
    const node: KObject = {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      spec: {},
    };
    const created = await serve.client.create<KObject>(NODES, node);
    const now = new Date().toISOString();
    // A patch, not an update with the create's resourceVersion: the node IPAM controller writes the node at once.
    await serve.client.patch(NODES, created.metadata?.name ?? '', {
      status: {
        capacity: { cpu: '2', memory: '2Gi', pods: '110' },
        allocatable: { cpu: '2', memory: '2Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'test node', lastHeartbeatTime: now, lastTransitionTime: now }],
        addresses: [{ type: 'InternalIP', address: '10.251.0.9' }],
      },
    }, 'merge', { subresource: 'status' });
  }
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  ensureRendererBuilt();
  serve = await startServe(['--nodes', '0', '--hollow-nodes', '2']);
  // Hollow nodes register on their own; a server without them gets two Node objects from us.
  const registered = await until(async () => ((await nodeNames()).length >= 2 ? true : undefined), 'hollow nodes', 10_000).catch(() => false);
  hollow = registered === true;
  if (!hollow) await createBareNodes();
  browser = await launchBrowser();
  page = await browser.context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('the web UI', () => {
  it('opens with its token and shows the node cards', async () => {
    await openUi(page, serve.uiUrl, STEP_MS);
    // The token leaves the address bar (kept for the session).
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    const names = await nodeNames();
    for (const n of names) await page.locator(`article[data-node="${n}"]`).waitFor({ timeout: STEP_MS });
    expect(await page.locator('article[data-node]').count()).toBe(names.length);
    await shot('01-nodes');
  });

  it('refuses a page load without the token', async () => {
    const other = await browser.context.browser()?.newContext?.();
    const res = await fetch(new URL('/', serve.uiUrl).toString());
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('needs its token');
    await other?.close();
  });

  it('deploys an app dragged onto the cluster, and its pods appear on the map', async () => {
    const map = page.locator('[data-test=cluster-map]');
    const box = await map.boundingBox();
    if (!box) throw new Error('no map');
    await page.dragAndDrop('[data-app=hello]', '[data-test=cluster-map]', { targetPosition: { x: 24, y: box.height - 24 } });
    await page.locator('[data-test=notice]', { hasText: 'Deployed hello' }).waitFor({ timeout: STEP_MS });
    const chips = page.locator('[data-pod^="hello-"]');
    await until(async () => ((await chips.count()) === 2 ? true : undefined), 'two hello pods on the map');
    if (hollow) {
      await page.locator('article[data-node] [data-pod^="hello-"][data-state="ready"]').nth(1).waitFor({ timeout: STEP_MS });
    }
    await shot('02-deployed');
  });

  it('pins an app dropped onto a node card to that node', async () => {
    const names = (await nodeNames()).sort();
    const target = names[names.length - 1];
    await page.dragAndDrop('[data-app=counter]', `article[data-node="${target}"]`);
    await page.locator('[data-test=notice]', { hasText: `Deployed counter (1 replica on ${target})` }).waitFor({ timeout: STEP_MS });
    await page.locator(`article[data-node="${target}"] [data-pod^="counter-"]`).waitFor({ timeout: STEP_MS });
    expect(await page.locator('[data-pod^="counter-"]').count()).toBe(1);
    const deps = await serve.client.get<KObject>({ group: 'apps', version: 'v1', plural: 'deployments', namespaced: true }, 'counter', 'default');
    expect(JSON.stringify(deps.spec)).toContain(`"values":["${target}"]`);
    await shot('02b-pinned');
  });

  it('applies a YAML file dropped onto the window, and shows API errors readably', async () => {
    const good = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: web-config}', 'data: {MODE: demo}', '---', 'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web-yaml}',
      'spec:', '  replicas: 1', '  selector: {matchLabels: {app: web-yaml}}', '  template:', '    metadata: {labels: {app: web-yaml}}', '    spec:', '      containers: [{name: web, image: docker.io/flotilla/hello:1}]', ''].join('\n');
    await dropFile('web.yaml', good);
    await page.locator('[data-test=notice]', { hasText: 'Applied web.yaml: configmap/web-config, deployment/web-yaml' }).waitFor({ timeout: STEP_MS });
    await page.locator('[data-pod^="web-yaml-"]').waitFor({ timeout: STEP_MS });

    await dropFile('broken.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: broken}\nspec: {replicas: three}\n');
    const err = page.locator('[data-test=notice]', { hasText: 'Could not apply broken.yaml' });
    await err.waitFor({ timeout: STEP_MS });
    expect(await err.innerText()).toMatch(/replicas/);

    await dropFile('app.tar', 'not really a tarball');
    const imp = page.locator('[data-test=notice]', { hasText: 'Could not import app.tar' });
    await imp.waitFor({ timeout: STEP_MS });
    expect(await imp.innerText()).toMatch(/app\.tar is not a tar archive/);
    await shot('02c-dropped-files');
    await dismissNotices();
  });

  it('says readably why a deploy failed (name taken)', async () => {
    await page.locator('[data-app=hello] button', { hasText: 'Deploy…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Deploy Hello' });
    await dialog.locator('input[name=name]').fill('hello');
    await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
    const err = page.locator('[data-test=notice]', { hasText: 'Could not deploy hello' });
    await err.waitFor({ timeout: STEP_MS });
    expect(await err.innerText()).toMatch(/already exists/);
    await shot('02d-deploy-error');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dismissNotices();
  });

  it('opens a pod and its logs (or the server\'s reason why not)', async () => {
    await page.locator('[data-pod^="hello-"]').first().click();
    const detail = page.locator('[data-test=pod-detail]');
    await detail.waitFor({ timeout: STEP_MS });
    const result = page.locator('[data-test=log-error], [data-test=log-box] .line').first();
    await result.waitFor({ timeout: STEP_MS });
    if (await page.locator('[data-test=log-error]').count()) {
      const msg = await page.locator('[data-test=log-error]').innerText();
      // The API's own message, e.g. no connection to the node (hollow) or no host assigned yet.
      expect(msg).toMatch(/node|host|container|log/i);
    }
    await shot('03-pod-logs');
    await page.getByRole('tab', { name: 'Status' }).click();
    await detail.getByText('Container').first().waitFor();
    await shot('03b-pod-status');
    await page.getByRole('tab', { name: 'YAML' }).click();
    await detail.locator('pre.yaml', { hasText: 'kind: Pod' }).waitFor({ timeout: STEP_MS });
    await shot('03c-pod-yaml');
    await detail.locator('pre.yaml').focus();
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached', timeout: STEP_MS });
  });

  it('opens a node and shows its detail', async () => {
    const [first] = (await nodeNames()).sort();
    await page.locator(`article[data-node="${first}"] button.name`).click();
    const detail = page.locator('[data-test=node-detail]');
    await detail.waitFor({ timeout: STEP_MS });
    await detail.getByRole('heading', { name: 'Conditions' }).waitFor();
    await detail.getByRole('heading', { name: 'Capacity' }).waitFor();
    expect(await detail.locator('h1').innerText()).toBe(first);
    await shot('04-node-detail');
    // Cordon and uncordon: the API object and the card follow.
    await detail.getByRole('button', { name: 'Cordon' }).click();
    await detail.locator('.pill', { hasText: 'Ready, cordoned' }).waitFor({ timeout: STEP_MS });
    expect(((await serve.client.get<KObject>(NODES, first)).spec as { unschedulable?: boolean }).unschedulable).toBe(true);
    await detail.getByRole('button', { name: 'Uncordon' }).click();
    await detail.locator('.pill', { hasText: /^Ready$/ }).waitFor({ timeout: STEP_MS });
    // "Keep" goes away once clicked, taking the focus with it (to the page body): Escape still closes.
    await detail.getByRole('button', { name: 'Drain…' }).click();
    await detail.getByRole('button', { name: 'Keep' }).click();
    expect(await page.evaluate('document.activeElement === document.body')).toBe(true);
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached', timeout: STEP_MS });
  });

  it('scales from the workloads list', async () => {
    await page.getByRole('button', { name: 'Workloads', exact: true }).click();
    const row = page.locator('tr[data-deployment="hello"]');
    await row.waitFor({ timeout: STEP_MS });
    await row.getByRole('button', { name: 'Scale hello up' }).click();
    await row.locator('[data-test=replicas]', { hasText: '3' }).waitFor({ timeout: STEP_MS });
    await shot('05-workloads');
    await page.getByRole('button', { name: 'Cluster', exact: true }).click();
    await until(async () => ((await page.locator('[data-pod^="hello-"]').count()) === 3 ? true : undefined), 'a third hello pod');
  });

  it('shows the events timeline, and follows a dark OS theme', async () => {
    await page.getByRole('button', { name: 'Events', exact: true }).click();
    await page.locator('.timeline li').first().waitFor({ timeout: STEP_MS });
    await shot('05b-events');
    // Filtered to the nodes' events (the node controller registered each), with times as ages; a node opens from its event.
    await until(async () => ((await page.locator('[data-test=event-kind] option', { hasText: 'Node' }).count()) > 0 ? true : undefined), 'Node in the kind menu');
    await page.locator('[data-test=event-kind]').selectOption('Node');
    const objects = await page.locator('.timeline [data-test=event-object]').allInnerTexts();
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.every((o) => o.trim().startsWith('node/'))).toBe(true);
    expect(await page.locator('.timeline time').first().innerText()).toMatch(/^\d+[smhd] ago$/);
    await page.locator('.timeline [data-test=event-object]').first().click();
    await page.getByRole('complementary', { name: 'Node details' }).waitFor({ timeout: STEP_MS });
    await shot('05b2-events-node');
    await page.keyboard.press('Escape');
    await page.locator('[data-test=event-kind]').selectOption('');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('button', { name: 'Cluster', exact: true }).click();
    await page.locator('article[data-node]').first().waitFor();
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(bg).toBe('rgb(20, 23, 28)');
    await shot('05c-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('shows a machine that failed with its reason, a retry and a remove', async () => {
    // Lima is not installed here: a Machine asking for it (as `kubectl apply` could) fails, and says why.
    await serve.client.create(MACHINES, { apiVersion: 'flotilla.dev/v1alpha1', kind: 'Machine', metadata: { name: 'vm-1' }, spec: { provider: 'lima', cpus: 2, memoryMiB: 2048, diskGiB: 10 } });
    const card = page.locator('article[data-machine="vm-1"]');
    await card.locator('[data-test=phase]', { hasText: 'Failed' }).waitFor({ timeout: STEP_MS });
    expect(await card.locator('[role=alert]').innerText()).toMatch(/lima/i);
    await card.getByRole('button', { name: 'Retry' }).waitFor();
    await shot('06b-machine-failed');
    await card.getByRole('button', { name: 'Remove' }).click();
    // Gone, or (while its controller cannot clean up a provider that is not installed) shown as Deleting.
    await until(async () => (await card.count()) === 0 || (await card.locator('[data-test=phase]').innerText({ timeout: 500 })) === 'Deleting', 'vm-1 to be removed');
  });

  it('adds a node by clicking: the Machine appears with its phase', async () => {
    await page.locator('[data-test=add-node]').click();
    const dialog = page.getByRole('dialog', { name: 'Add a node' });
    await dialog.waitFor({ timeout: STEP_MS });
    await dialog.locator('.provider').first().waitFor({ timeout: STEP_MS });
    await shot('06-add-node-dialog');
    const submit = dialog.getByRole('button', { name: 'Add node' });
    if (await submit.isDisabled()) {
      // No provider can run here: the dialog says why, and that is what a user sees. As root on Linux
      // the sandbox provider always can, so there this is a failure.
      expect(process.getuid?.(), 'the sandbox provider must be available as root').not.toBe(0);
      expect(await dialog.locator('.why').first().innerText()).toMatch(/Unavailable/);
      return;
    }
    await submit.click();
    await dialog.waitFor({ state: 'detached', timeout: STEP_MS });
    const card = page.locator('article[data-machine]:not([data-machine="vm-1"])').first();
    await card.waitFor({ timeout: STEP_MS });
    expect(await card.locator('[data-test=phase]').innerText()).toMatch(/Pending|Provisioning|Bootstrapping|Running|Failed/);
    await shot('07-machine');
    // It provisions (a real sandbox node here) and joins as a node card, or fails and says why.
    const name = (await card.getAttribute('data-machine')) ?? '';
    const nodeCard = page.locator(`article[data-node="${name}"]`);
    const failed = page.locator(`article[data-machine="${name}"].failed`);
    await until(async () => (await nodeCard.count()) > 0 || (await failed.count()) > 0, `${name} to join or fail`, 120_000);
    await shot('08-machine-outcome');
    // A sandbox node (the provider offered first as root) must join; a failure shows its reason, but fails the test.
    if (await failed.count()) throw new Error(`the new machine failed: ${await failed.innerText()}`);
    {
      // A real node runs the app: its pod's log shows the app's own output.
      await page.dragAndDrop('[data-app=hello]', `article[data-node="${name}"]`);
      const chip = nodeCard.locator('[data-pod][data-state="ready"]').first();
      await chip.waitFor({ timeout: 90_000 });
      await chip.click();
      // The app's own output, streamed from the node's agent through the API server.
      const output = page.locator('[data-test=log-box] .line', { hasText: 'listening on :8080' });
      await output.first().waitFor({ timeout: 30_000 });
      await shot('08b-real-node-logs');
      await page.keyboard.press('Escape');
      // An image that cannot be pulled (a registry on the node's own loopback with nothing there):
      // its chips say so, and its drawer opens on why, not on a log error.
      const labels = { app: 'no-such-app' };
      await serve.client.create({ group: 'apps', version: 'v1', plural: 'deployments', namespaced: true }, {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'no-such-app', namespace: 'default' },
        spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { nodeName: name, containers: [{ name: 'app', image: '127.0.0.1:5999/acme/no-such-app:1.0' }] } } },
      }, { namespace: 'default' });
      const broken = nodeCard.locator('[data-pod^="no-such-app-"][data-state="problem"]');
      await broken.waitFor({ timeout: 60_000 });
      expect(await broken.getAttribute('data-status')).toMatch(/^(ErrImagePull|ImagePullBackOff)$/);
      expect(await broken.getAttribute('data-tip')).toMatch(/no-such-app:1\.0/);
      await nodeCard.locator('[data-test=pod-trouble]', { hasText: /1 pod: (ErrImagePull|ImagePullBackOff)/ }).waitFor({ timeout: STEP_MS });
      // The chip is re-drawn as its reason alternates (ErrImagePull, ImagePullBackOff): a click on a chip being
      // replaced is lost, so click again until the drawer is open on Status.
      const statusTab = page.getByRole('tab', { name: 'Status', selected: true });
      await until(async () => {
        if (await statusTab.isVisible()) return true;
        await broken.click({ timeout: 5000 }).catch(() => undefined);
        return statusTab.waitFor({ timeout: 5000 }).then(() => true, () => false);
      }, 'the broken pod open on its Status tab', STEP_MS);
      expect(await page.locator('[data-test=pod-hint]').innerText()).toMatch(/cannot reach the registry of the image 127\.0\.0\.1:5999\/acme\/no-such-app:1\.0/);
      expect(await page.locator('[data-test=log-error]').count()).toBe(0);
      await shot('08d-real-node-image-pull');
      await page.keyboard.press('Escape');
      await serve.client.delete({ group: 'apps', version: 'v1', plural: 'deployments', namespaced: true }, 'no-such-app', { namespace: 'default' });
      await nodeCard.locator('button.name').click();
      const detail = page.locator('[data-test=node-detail]');
      // The node's CPU and memory, scraped from its agent into metrics.k8s.io, reach the charts.
      const cpu = detail.locator('.charts figure').first().locator('figcaption .mono');
      await until(async () => !(await cpu.innerText()).startsWith('—'), `CPU usage of ${name}`, 60_000);
      await detail.locator('.charts svg').first().waitFor({ timeout: 30_000 });
      await shot('08c-real-node-usage');
      await detail.getByRole('button', { name: 'Remove…' }).click();
      await detail.getByRole('button', { name: `Remove ${name}` }).click();
    }
    await until(async () => (await nodeCard.count()) === 0 && (await page.locator(`article[data-machine="${name}"]`).count()) === 0, `${name} to go away`, 90_000);
    await shot('09-machine-removed');
  }, 300_000); // a real node joins, runs an app, fails a pull and is removed: its steps' own deadlines add up past the default
});
