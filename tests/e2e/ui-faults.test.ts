// One-click failures in the real UI: `flotilla serve --nodes 1` (a real sandbox node) with short node-lifecycle timings
// (--node-monitor-grace-period 4s, tolerations 5 s), Debian's chromium at 1024×700. The node's drawer shows the timings
// and a "Cause a failure" menu; "Cut network from control plane" makes the node Ready=Unknown (kubectl's NotReady) in the
// drawer; "Heal" brings it back Ready and removes the rules. A pod's "Kill container" restarts it; its "Fail readiness
// probe" makes it NotReady until the pod's "Heal"; the Architecture view then shows the store's last compaction and
// watch events. Screenshots under
// test-results/ui/faults-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import type { KObject } from '../../main/api/types';
import { ensureRendererBuilt, ROOT, startServe } from './support/serve-process';
import type { ServeProcess } from './support/serve-process';
import { launchBrowser, openPodFromMap, openUi } from './support/browser';
import type { TestBrowser } from './support/browser';
import { waitFor } from '../helpers/cluster';

const SHOTS = path.join(ROOT, 'test-results/ui');
const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const HELLO = 'docker.io/flotilla/hello:1';
const STEP_MS = 30_000;
const isRoot = process.getuid?.() === 0;

let serve: ServeProcess;
let browser: TestBrowser;
let page: Page;
let node = '';

type Cond = { type: string; status: string };
const readyOf = async (): Promise<string | undefined> => {
  const n = await serve.client.get<KObject>(NODES, node);
  return ((n.status as { conditions?: Cond[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready')?.status;
};

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `faults-${name}.png`) });
}

function until<T>(fn: () => Promise<T>, what: string, timeoutMs = STEP_MS): Promise<NonNullable<T>> {
  return waitFor(fn, what, timeoutMs, 100);
}

/** The cut's chains in the node's network namespace (found by its netns name, which ends with the node's name). */
function cutRules(): string[] {
  const ns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0] ?? '').find((n) => n.endsWith(`-${node}`) && n.startsWith('fltui'));
  if (!ns) return [];
  return execFileSync('ip', ['netns', 'exec', ns, 'iptables-save', '-t', 'filter'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('FLOTILLA-CUT'));
}

beforeAll(async () => {
  if (!isRoot) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  ensureRendererBuilt();
  serve = await startServe(['--nodes', '1', '--node-monitor-grace-period', '4s', '--default-not-ready-toleration-seconds', '5', '--default-unreachable-toleration-seconds', '5']);
  node = await until(async () => {
    const nodes = (await serve.client.list<KObject>(NODES)).items;
    return nodes.find((n) => ((n.status as { conditions?: Cond[] }).conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'))?.metadata?.name;
  }, 'a Ready sandbox node', 180_000);
  browser = await launchBrowser({ width: 1024, height: 700 });
  page = await browser.context.newPage();
  await openUi(page, serve.uiUrl, STEP_MS);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
}, 180_000);

describe.skipIf(!isRoot && process.env.CI !== 'true')('one-click failures in the UI', () => {
  it('cut a node\'s network: Ready=Unknown (NotReady) in the drawer; Heal: Ready again, rules gone', async () => {
    await page.locator(`article[data-node="${node}"] button.name`).click();
    await page.locator('[data-test=node-detail] h1', { hasText: node }).waitFor({ timeout: STEP_MS });
    const timings = page.locator('[data-test=lifecycle-timings]');
    await timings.waitFor({ timeout: STEP_MS });
    expect(await timings.innerText()).toContain('NotReady after 4 s and evicts its pods 5 s later');
    await page.locator('[data-test=failures-menu]').click();
    await page.locator('[data-test=fault-cut-control-plane]').waitFor({ timeout: STEP_MS });
    await shot('01-menu');
    const cutAt = Date.now();
    await page.locator('[data-test=fault-cut-control-plane]').click();
    await page.locator('[data-test=active-faults]', { hasText: 'Cut network from control plane' }).waitFor({ timeout: STEP_MS });
    expect(cutRules().length).toBeGreaterThan(0);
    // The drawer's health pill follows the Node's Ready condition: Unknown (kubectl's NotReady) once the grace period is over.
    await page.locator('[data-test=node-detail] header .pill', { hasText: 'Unknown' }).waitFor({ timeout: STEP_MS });
    expect(await readyOf()).toBe('Unknown');
    expect(Date.now() - cutAt).toBeGreaterThanOrEqual(3000);
    await shot('02-not-ready');
    await page.locator('[data-test=heal-node]').click();
    await page.locator('[data-test=node-detail] header .pill', { hasText: /^ready$/i }).waitFor({ timeout: 60_000 });
    expect(await readyOf()).toBe('True');
    await page.locator('[data-test=active-faults]').waitFor({ state: 'detached', timeout: STEP_MS });
    expect(cutRules()).toEqual([]);
    await shot('03-healed');
    await page.getByRole('button', { name: 'Close details' }).click();
  }, 150_000);

  it('kill a pod\'s container: it restarts', async () => {
    // Made after the heal: a pod on the node during the cut is evicted after its 5 s toleration.
    await serve.client.create(PODS, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' },
      spec: { containers: [{ name: 'app', image: HELLO, imagePullPolicy: 'IfNotPresent' }], terminationGracePeriodSeconds: 1 },
    }, { namespace: 'default' });
    await until(async () => {
      const p = await serve.client.get<KObject>(PODS, 'web', 'default');
      return (p.status as { containerStatuses?: Array<{ state?: { running?: unknown } }> } | undefined)?.containerStatuses?.[0]?.state?.running;
    }, 'pod web running', 90_000);
    await openPodFromMap(page, 'web', STEP_MS);
    await page.locator('[data-test=kill-container]').click();
    await until(async () => {
      const p = await serve.client.get<KObject>(PODS, 'web', 'default');
      return ((p.status as { containerStatuses?: Array<{ restartCount?: number }> } | undefined)?.containerStatuses?.[0]?.restartCount ?? 0) >= 1;
    }, 'web restarted', 60_000);
    await page.getByRole('tab', { name: 'Status' }).click();
    await shot('04-pod-restarted');
  }, 120_000);

  it('fail a pod\'s readiness probe: NotReady, shown in the drawer; Heal: Ready again; the Architecture view', async () => {
    await serve.client.create(PODS, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probed', namespace: 'default' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'app', image: HELLO, imagePullPolicy: 'IfNotPresent', readinessProbe: { httpGet: { port: 8080, path: '/' }, periodSeconds: 1, failureThreshold: 1 } }],
      },
    }, { namespace: 'default' });
    const ready = async () => ((await serve.client.get<KObject>(PODS, 'probed', 'default')).status as { conditions?: Cond[] } | undefined)?.conditions?.find((c) => c.type === 'Ready')?.status;
    await until(async () => (await ready()) === 'True', 'probed Ready', 90_000);
    await page.getByRole('button', { name: 'Close details' }).click().catch(() => undefined);
    await openPodFromMap(page, 'probed', STEP_MS);
    await page.locator('[data-test=fail-readiness]').click();
    await page.locator('[data-test=pod-active-faults]', { hasText: 'readiness failing: app' }).waitFor({ timeout: STEP_MS });
    await until(async () => (await ready()) === 'False', 'probed NotReady', STEP_MS);
    await page.getByRole('tab', { name: 'Status' }).click();
    await shot('05-readiness-failed');
    await page.locator('[data-test=heal-pod]').click();
    await page.locator('[data-test=pod-active-faults]').waitFor({ state: 'detached', timeout: STEP_MS });
    await until(async () => (await ready()) === 'True', 'probed Ready again', STEP_MS);
    await page.getByRole('button', { name: 'Close details' }).click();
    await page.getByRole('button', { name: 'Architecture', exact: true }).click();
    const store = page.locator('[data-test=architecture]').getByText('last compaction');
    await store.waitFor({ timeout: STEP_MS });
    await shot('06-architecture');
  }, 180_000);
});
