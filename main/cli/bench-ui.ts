// `flotilla bench ui [--nodes 50] [--pods 2000] [--rate 100] [--seconds 10]`: a core in a temp dir
// with hollow nodes and every control loop, the web-mode UI, and Debian's chromium. Measures the
// time to the first full render of the cluster map (every node card and pod chip on screen) and
// the frame rate while pod updates stream in at --rate per second (requestAnimationFrame in the page).
// The page opens on a deep link with the namespace filter and a search on (both matching every pod),
// so their cost is in the numbers. `--pods 10000` is the 10,000-pod row.
// The page keeps its strict Content-Security-Policy (no 'unsafe-eval'): what the bench runs in it
// is a function or an init script, never a string for the page to evaluate.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { KObject, Pod } from '../api/types';
import type { BenchUiOptions } from './commands';
import { startCore } from '../core';
import { startHollowNodes } from '../hollow';
import { defaultStaticDir, startUiServer } from '../bridge/web-server';
import { nowMs, percentile, printResult, printTable, round } from './bench-report';
import { pollUntil } from '../protocol/poll';
import { performance as nodePerformance } from 'node:perf_hooks';
import { startProfile } from './bench-ui-profile';

const DEPLOYMENTS = 20;
/** The map with the namespace filter and a search on, as a person would have them: both match every pod. */
const FILTERED = '#/map?ns=default&q=app%3Dbench';
const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const DEPLOYS = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };

/** What the probe keeps in the page, as `globalThis.__bench`. */
interface BenchProbe {
  firstFull?: number;
  frames: number[];
}

/** What a chip of the bench's pods says once the map has grouped it under its Deployment (its accessible label's end). */
export const GROUPED = ', Deployment bench-';

/**
 * Runs in the page before the app (an init script, which the page's CSP does not govern; a string:
 * this file is compiled without the DOM library). Notes when the first frame showing every node card
 * and pod chip runs its callbacks (the map is built, the frame about to paint), then the time of every later frame.
 * With `grouped`, a chip counts only once its label says it (its app resolved through its ReplicaSet, so it has its
 * final colour): chips grouped under their ReplicaSet while the owners are still loading are not the finished map.
 */
export function pageProbe(nodes: number, pods: number, grouped?: string): string {
  const chips = 'article[data-node] [data-pod]';
  const groupedChips = grouped === undefined ? chips : `${chips}[aria-label*=${JSON.stringify(grouped)}]`;
  return `(() => {
    const b = { firstFull: undefined, frames: [] };
    window.__bench = b;
    const tick = (t) => {
      if (b.firstFull === undefined) {
        // performance.now(), not t: t is the frame's start, which a main thread busy building the map makes stale.
        if (document.querySelectorAll('article[data-node]').length >= ${nodes} && document.querySelectorAll(${JSON.stringify(chips)}).length >= ${pods}
          && document.querySelectorAll(${JSON.stringify(groupedChips)}).length >= ${pods}) b.firstFull = performance.now();
      } else b.frames.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })();`;
}

/** The first render's target: 1,500 ms for the 2,000-pod row, 3,000 ms for the 10,000-pod row. */
export function firstRenderTargetMs(pods: number): number {
  return pods >= 10_000 ? 3000 : 1500;
}

/** At rest: this share of the event loop idle over a whole window. */
const SETTLE_IDLE = 0.8;
const SETTLE_WINDOW_MS = 1000;
const SETTLE_MAX_MS = 120_000;

/**
 * Waits until this process's event loop (the control plane's: the core runs in it) was at least `idle` idle over a
 * whole `windowMs`; returns how long that took, or undefined after `maxMs`.
 */
async function settle(idle: number, windowMs: number, maxMs: number): Promise<number | undefined> {
  const t0 = nowMs();
  while (nowMs() - t0 < maxMs) {
    const before = nodePerformance.eventLoopUtilization();
    await new Promise((r) => setTimeout(r, windowMs));
    if (nodePerformance.eventLoopUtilization(before).utilization <= 1 - idle) return nowMs() - t0;
  }
  return undefined;
}

/**
 * Waits for the probe's first full frame and returns its time (ms since navigation). A function,
 * not a string: Playwright evaluates a string predicate again on every poll inside the page, which
 * the page's CSP (no 'unsafe-eval') refuses; a function is evaluated once, by the debugger protocol.
 */
export async function waitForFullRender(page: Page, timeoutMs: number): Promise<number> {
  const rendered = () => (globalThis as unknown as { __bench?: BenchProbe }).__bench?.firstFull !== undefined;
  await page.waitForFunction(rendered, undefined, { timeout: timeoutMs, polling: 100 });
  return Number(await page.evaluate(() => (globalThis as unknown as { __bench: BenchProbe }).__bench.firstFull));
}

export async function benchUi({ nodes, pods, rate, seconds, chromium: chromiumPath, profile: profileDir }: BenchUiOptions): Promise<void> {
  const staticDir = defaultStaticDir();
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) throw new Error(`the UI is not built (${staticDir}): run \`npm run build\` first`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-ui-'));
  const errors: string[] = [];
  const log = (l: string) => {
    if (errors.length < 20) errors.push(l);
  };
  const core = await startCore({ dataDir: path.join(dir, 'data'), apiPort: 0, log, controllers: { log } });
  const profile = path.join(dir, 'chromium');
  const { chromium } = await import('playwright-core');
  let closeBrowser: (() => Promise<void>) | undefined;
  try {
    // Room for every pod: 110 a node (the kubelet's default) unless more are asked for.
    const perNode = Math.max(110, Math.ceil((pods * 1.2) / nodes));
    const hollow = startHollowNodes(core, { count: nodes, cpu: '16', memory: '32Gi', pods: perNode, log });
    await hollow.ready;

    // The pods: DEPLOYMENTS deployments of the demo app, all placed by the scheduler and Running.
    const per = Math.floor(pods / DEPLOYMENTS);
    for (let i = 0; i < DEPLOYMENTS; i++) {
      const replicas = per + (i < pods - per * DEPLOYMENTS ? 1 : 0);
      const labels = { app: `bench-${i}` };
      await core.client.create(DEPLOYS, {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `bench-${i}`, namespace: 'default' },
        spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'docker.io/flotilla/hello:1' }] } } },
      }, { namespace: 'default' });
    }
    const tPods = nowMs();
    let podList: Array<Pod & KObject> = [];
    await pollUntil(async () => {
      podList = (await core.client.list<Pod & KObject>(PODS, { namespace: 'default' })).items;
      return podList.filter((p) => p.status?.phase === 'Running').length >= pods;
    }, Math.max(300_000, pods * 60), `${pods} running pods`, 250);
    const podsMs = nowMs() - tPods;
    // The control plane at rest before the page opens, as on a cluster a person opens the UI on: right after the last
    // pod turns Running, the controllers still write statuses, endpoints and events for seconds, and a first render
    // then measures that catch-up more than the UI (the lists wait behind it).
    const settleMs = await settle(SETTLE_IDLE, SETTLE_WINDOW_MS, SETTLE_MAX_MS);

    const ui = await startUiServer(core, { port: 0, staticDir });
    core.own({ name: 'ui-server', stop: () => ui.stop() });
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1600, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    closeBrowser = () => context.close();
    const page = await context.newPage();
    await page.addInitScript({ content: pageProbe(nodes, pods, GROUPED) });

    // First full render: from navigation start to the first frame with every card and chip.
    const profiler = profileDir ? await startProfile(page, profileDir, 'first-render', new URL('/healthz', ui.url).href) : undefined;
    await page.goto(`${ui.url}${FILTERED}`);
    const firstRenderMs = await waitForFullRender(page, 120_000);
    if (profiler) console.log(`profiles of the first render: ${(await profiler.stop()).join(', ')}`);
    // Where the time went: the app's own marks (script start, each informer's first list).
    const marks = await page.evaluate(() => performance.getEntriesByType('mark').filter((m) => m.name.startsWith('flotilla:')).map((m): [string, number] => [m.name.slice(9), Math.round(m.startTime)]));

    // Frames while pod updates stream in at `rate` per second (Ready toggled, so chips change colour).
    await page.evaluate(() => {
      (globalThis as unknown as { __bench: BenchProbe }).__bench.frames = [];
    });
    const updatesProfiler = profileDir ? await startProfile(page, profileDir, 'updates') : undefined;
    const names = podList.map((p) => p.metadata?.name ?? '');
    const tStart = nowMs();
    let sent = 0;
    let failed = 0;
    const inflight = new Set<Promise<void>>();
    while (nowMs() - tStart < seconds * 1000) {
      const due = Math.floor(((nowMs() - tStart) / 1000) * rate);
      while (sent < due) {
        const name = names[sent % names.length];
        const ready = Math.floor(sent / names.length) % 2 === 1;
        const p = hollow.setPodReady('default', name, ready).catch(() => {
          failed++;
        });
        inflight.add(p);
        void p.finally(() => inflight.delete(p));
        sent++;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(inflight);
    const frames = await page.evaluate(() => (globalThis as unknown as { __bench: BenchProbe }).__bench.frames);
    if (updatesProfiler) console.log(`profiles of the updates: ${(await updatesProfiler.stop()).join(', ')}`);

    // Frames per whole second of the run, and the frame times.
    const perSecond: number[] = [];
    if (frames.length > 1) {
      const t0 = frames[0];
      const whole = Math.floor((frames[frames.length - 1] - t0) / 1000);
      for (let s = 0; s < whole; s++) perSecond.push(frames.filter((t) => t >= t0 + s * 1000 && t < t0 + (s + 1) * 1000).length);
    }
    const deltas = frames.slice(1).map((t, i) => t - frames[i]);
    const minFps = perSecond.length ? Math.min(...perSecond) : 0;
    const avgFps = frames.length > 1 ? ((frames.length - 1) * 1000) / (frames[frames.length - 1] - frames[0]) : 0;
    const domPods = await page.locator('article[data-node] [data-pod]').count();
    await page.screenshot({ path: path.join(process.cwd(), 'test-results', 'bench-ui.png') }).catch(() => undefined);

    printTable([
      ['measure', 'value'],
      ['nodes', nodes],
      ['filters on', `namespace default, search "app=bench" (${FILTERED})`],
      ['pods (Running, on the map)', `${pods} (${domPods})`],
      ['pods Running after', `${round(podsMs / 1000, 1)} s`],
      ['control plane at rest after', `${settleMs === undefined ? `not within ${SETTLE_MAX_MS / 1000} s` : `${round(settleMs / 1000, 1)} s more`} (event loop ≥ ${SETTLE_IDLE * 100} % idle for ${SETTLE_WINDOW_MS} ms)`],
      ['first full render', `${round(firstRenderMs, 0)} ms`],
      ['updates sent / failed', `${sent} / ${failed} in ${seconds} s`],
      ['fps min / avg (per second)', `${minFps} / ${round(avgFps, 1)}`],
      ['frame time p50 / p99 / max', `${round(percentile(deltas, 50), 1)} / ${round(percentile(deltas, 99), 1)} / ${round(Math.max(0, ...deltas), 1)} ms`],
    ]);
    console.log(`first render, ms since navigation: ${marks.map(([n, t]) => `${n} ${t}`).join(', ')}, all on screen ${round(firstRenderMs, 0)}`);
    if (errors.length) console.log(`errors (first ${errors.length}):\n  ${errors.join('\n  ')}`);
    printResult({
      bench: 'ui', nodes, pods, first_render_ms: round(firstRenderMs, 0), min_fps: minFps, avg_fps: round(avgFps, 1),
      p99_frame_ms: round(percentile(deltas, 99), 1), updates_per_s: round(sent / seconds, 1), update_failures: failed,
      settled: settleMs !== undefined, settle_ms: round(settleMs ?? SETTLE_MAX_MS, 0),
      target_met: firstRenderMs <= firstRenderTargetMs(pods) && minFps >= 30,
    });
  } finally {
    await closeBrowser?.().catch(() => undefined);
    await core.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
