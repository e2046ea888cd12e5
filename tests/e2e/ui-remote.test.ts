// The UI's daily work on another cluster, in chromium: one `flotilla serve` (A) shows a second, separate control plane
// (B, hollow nodes) reached only through B's kubeconfig. Ports is shown there and "Open" on a Service makes a forward
// through B's API server (pods/portforward), whose state says B's own reason when a connection cannot reach a pod
// (hollow pods run no container); the YAML editor dry-runs and applies a kind only B serves (a CRD: B's discovery, not
// A's table) and shows B's own 422; Events follow B's watch (an event made on B appears without a reload); crash-loop,
// image-pull and NotReady notices fire for B's pods and nodes. Screenshots: test-results/ui/remote-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { KObject, Node } from '../../main/api/types';
import { ensureRendererBuilt, ROOT, startServePair } from './support/serve-process';
import type { ServeProcess } from './support/serve-process';
import { launchBrowser, openUi } from './support/browser';
import type { TestBrowser } from './support/browser';
import { waitFor } from '../helpers/cluster';

const SHOTS = path.join(ROOT, 'test-results/ui');
const STEP_MS = 30_000;
const DEPLOYMENTS = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };
const SERVICES = { group: '', version: 'v1', plural: 'services', namespaced: true };
const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };
const CRDS = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', namespaced: false };
const WIDGETS = { group: 'example.com', version: 'v1', plural: 'widgets', namespaced: true };

let a: ServeProcess;
let b: ServeProcess;
let browser: TestBrowser;
let page: Page;

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `remote-${name}.png`) });
const editor = () => page.locator('[data-test=yaml-editor]');
const line = (text: string) => editor().locator('[data-test=yaml-code] .cm-line', { hasText: text });

/** The page the host gets from a URL (a fresh fetch from this process), or the failure's words. */
async function hostGet(url: string): Promise<string> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    return `${r.status} ${await r.text()}`;
  } catch (e) {
    return `failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Replaces the editor's whole text, as a person pastes. */
async function pasteYaml(text: string): Promise<void> {
  await editor().locator('.cm-content').click();
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText(text);
}

async function setUpB(): Promise<void> {
  await b.client.create(DEPLOYMENTS, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'docker.io/flotilla/hello:1', ports: [{ containerPort: 8080 }] }] } },
    },
  });
  await b.client.create(SERVICES, {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  await b.client.create(CRDS, {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  });
  await waitFor(async () => {
    const crd = await b.client.get<KObject>(CRDS, 'widgets.example.com');
    return (crd.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
  }, 'the Widget CRD to be established on B', STEP_MS, 100);
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  ensureRendererBuilt();
  [a, b] = await startServePair(['--nodes', '0', '--hollow-nodes', '1']);
  await setUpB();
  browser = await launchBrowser({ width: 1024, height: 700 });
  page = await browser.context.newPage();
  await openUi(page, a.uiUrl, STEP_MS);
  await page.locator('[data-test=cluster-picker]').click();
  const dialog = page.getByRole('dialog', { name: 'Clusters' });
  await dialog.locator('[data-test=kubeconfig-path]').fill(path.join(b.dir, 'data', 'kubeconfig'));
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await dialog.locator('[data-test=cluster-context]', { hasText: b.apiUrl }).getByRole('button', { name: 'Show' }).click({ timeout: STEP_MS });
  await page.locator('[data-test=summary]', { hasText: '1 node' }).waitFor({ timeout: STEP_MS });
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([a?.stop(), b?.stop()]);
});

describe('the UI on another cluster', () => {
  it('shows Ports there; "Open" forwards through the other API server and says why a pod cannot be reached', async () => {
    await page.getByRole('button', { name: 'Ports', exact: true }).click();
    const row = page.locator('tr[data-service=web]');
    await row.waitFor({ timeout: STEP_MS });
    await waitFor(async () => ((await b.client.list(PODS, { namespace: 'default' })).items.some((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running')
      ? true : undefined), 'web\'s hollow pod to run', STEP_MS, 200);
    const popup = page.context().waitForEvent('page', { timeout: STEP_MS });
    await row.locator('[data-test=open]').click();
    await (await popup).close();
    const forward = page.locator('[data-test=forwards] tr[data-forward]', { hasText: 'service default/web:80' });
    await forward.waitFor({ timeout: STEP_MS });
    const url = (await forward.locator('a.url').innerText()).trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    // Hollow pods run no container: B's API server says so on the port-forward's error stream, and the list shows it.
    expect(await hostGet(url)).toMatch(/^failed/);
    await forward.locator('[data-test=forward-state]', { hasText: 'no connection to node' }).waitFor({ timeout: STEP_MS });
    expect(await forward.locator('[data-test=forward-state]').innerText()).toMatch(/^no connection to node "hollow-[^"]+": node hollow-\S+ is not connected$/);
    await shot('01-ports');
  });

  it('applies a kind only the other cluster serves, and shows its own 422 next to the line', async () => {
    await page.locator('[data-test=apply-yaml]').click();
    await line('kind: ConfigMap').waitFor({ timeout: STEP_MS });
    await pasteYaml(['apiVersion: example.com/v1', 'kind: Widget', 'metadata:', '  name: w1', 'spec:', '  size: 3', ''].join('\n'));
    await editor().locator('[data-test=yaml-review]').click();
    await editor().locator('[data-test=yaml-diff]').waitFor({ timeout: STEP_MS });
    await shot('02-yaml-crd-diff');
    await editor().locator('[data-test=yaml-apply]').click();
    await page.locator('[data-test=notice]', { hasText: 'Applied widget/w1' }).waitFor({ timeout: STEP_MS });
    expect((await b.client.get<KObject>(WIDGETS, 'w1', 'default')).spec).toEqual({ size: 3 });

    await page.locator('[data-test=apply-yaml]').click();
    await line('kind: ConfigMap').waitFor({ timeout: STEP_MS });
    await pasteYaml(['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: bad', 'spec:', '  replicas: -1', '  selector:', '    matchLabels: {app: bad}',
      '  template:', '    metadata:', '      labels: {app: bad}', '    spec:', '      containers: [{name: web, image: docker.io/flotilla/hello:1}]', ''].join('\n'));
    await editor().locator('[data-test=yaml-review]').click();
    const problems = editor().locator('[data-test=yaml-problems]');
    await problems.locator('li', { hasText: 'spec.replicas: Invalid value: -1: must be greater than or equal to 0' }).waitFor({ timeout: STEP_MS });
    expect(await problems.locator('li').first().innerText()).toContain('Line 6');
    await line('replicas: -1').locator('.cm-lintRange-error').first().waitFor({ timeout: STEP_MS });
    await shot('03-yaml-422');
    await editor().getByRole('button', { name: 'Cancel' }).click();
    await editor().waitFor({ state: 'detached' });
    await expect(b.client.get(DEPLOYMENTS, 'bad', 'default')).rejects.toThrow(/not found/);
  });

  it('follows the other cluster\'s events as they are made', async () => {
    await page.getByRole('button', { name: 'Events', exact: true }).click();
    await page.locator('[data-test=events], main').first().waitFor({ timeout: STEP_MS });
    const now = new Date().toISOString();
    await b.client.create(EVENTS, {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.remote-check', namespace: 'default' },
      involvedObject: { kind: 'Deployment', apiVersion: 'apps/v1', namespace: 'default', name: 'web' },
      reason: 'RemoteCheck', message: 'made on the second control plane', type: 'Normal', firstTimestamp: now, lastTimestamp: now, count: 1,
      source: { component: 'ui-remote-test' },
    });
    await page.getByText('made on the second control plane').first().waitFor({ timeout: 10_000 });
    await shot('04-events');
  });

  it('raises crash-loop, image-pull and NotReady notices for the other cluster', async () => {
    await page.getByRole('button', { name: 'Cluster', exact: true }).click();
    await b.client.create(NODES, {
      apiVersion: 'v1', kind: 'Node', metadata: { name: 'ghost' },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready', lastHeartbeatTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() }] },
    });
    await b.client.patch(NODES, 'ghost', { status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready', lastHeartbeatTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() }] } }, 'strategic', { subresource: 'status' });
    await page.getByText('ghost', { exact: true }).first().waitFor({ timeout: STEP_MS });
    for (const [name, waiting] of [['crashy', { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container' }], ['pully', { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nope:1"' }]] as const) {
      await b.client.create(PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'ghost', containers: [{ name: 'c', image: 'nope:1' }] } });
      await b.client.patch(PODS, name, { status: { phase: 'Pending', containerStatuses: [{ name: 'c', image: 'nope:1', imageID: '', ready: false, restartCount: 3, state: { waiting } }] } },
        'merge', { namespace: 'default', subresource: 'status' });
    }
    await page.locator('[data-test=notice]', { hasText: 'Pod crashy is crash-looping' }).waitFor({ timeout: STEP_MS });
    await page.locator('[data-test=notice]', { hasText: 'Pod pully cannot pull its image' }).waitFor({ timeout: STEP_MS });
    await b.client.patch<Node>(NODES, 'ghost', { status: { conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'the ghost stopped', lastHeartbeatTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() }] } }, 'strategic', { subresource: 'status' });
    await page.locator('[data-test=notice]', { hasText: 'Node ghost is NotReady' }).waitFor({ timeout: STEP_MS });
    await shot('05-notices');
  });
});
