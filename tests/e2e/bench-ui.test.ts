// `flotilla bench ui` keeps running on a fresh clone: a tiny run of the real harness (core, hollow
// nodes, the web UI under its strict CSP, Debian's chromium) ends with its JSON result line; and
// its wait for the first full render works under that CSP also when it has to poll (a string
// predicate passes only when the map is complete at the first look).
import { afterAll, describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { GROUPED, pageProbe, waitForFullRender } from '../../main/cli/bench-ui';
import { ensureRendererBuilt, ROOT, startServe } from './support/serve-process';
import type { ServeProcess } from './support/serve-process';
import { launchBrowser, navigate } from './support/browser';
import type { TestBrowser } from './support/browser';

const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };

function benchUi(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main/cli.ts'), 'bench', 'ui', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.once('error', reject);
    c.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

let serve: ServeProcess | undefined;
let browser: TestBrowser | undefined;
afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('bench ui', () => {
  it('waits for the first full render under the UI\'s strict CSP, polling until it comes', async () => {
    ensureRendererBuilt();
    serve = await startServe(['--nodes', '0']);
    browser = await launchBrowser();
    const page = await browser.context.newPage();
    await page.addInitScript({ content: pageProbe(2, 0) });
    await navigate(page, serve.uiUrl);
    expect((await page.request.head(serve.uiUrl)).headers()['content-security-policy']).not.toContain('unsafe-eval');
    await page.locator('[data-test=connection]', { hasText: 'Connected' }).waitFor({ timeout: 30_000 });
    // The map is not complete yet: the wait must poll until the two nodes are on it.
    const rendered = waitForFullRender(page, 30_000);
    for (const name of ['bench-a', 'bench-b']) await serve.client.create(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name } });
    expect(await rendered).toBeGreaterThan(0);
    expect(await page.locator('article[data-node]').count()).toBe(2);
  }, 120_000);

  it('counts a chip only once it is grouped under its Deployment', async () => {
    browser ??= await launchBrowser();
    const page = await browser.context.newPage();
    // A stand-in map of one node and two chips, still grouped under their ReplicaSet (the owners not loaded yet).
    const chip = (n: number) => `<button data-pod="bench-0-abc-${n}" aria-label="Pod bench-0-abc-${n} — Running, ReplicaSet bench-0-abc"></button>`;
    await page.route('http://probe.test/', (r) => r.fulfill({ contentType: 'text/html', body: `<article data-node="n1">${chip(1)}${chip(2)}</article>` }));
    await page.addInitScript({ content: pageProbe(1, 2, GROUPED) });
    await page.goto('http://probe.test/');
    const rendered = waitForFullRender(page, 30_000);
    // Every card and chip is on the page, yet the wait goes on: the chips are not grouped as the map finally shows them.
    // Strings (this file has no DOM types; the stand-in page has no CSP): two frames pass, then the chips are regrouped.
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    expect(await page.evaluate(() => (globalThis as unknown as { __bench: { firstFull?: number } }).__bench.firstFull)).toBeUndefined();
    await page.evaluate('for (const b of document.querySelectorAll("[data-pod]")) b.setAttribute("aria-label", "Pod " + b.dataset.pod + " — Running, Deployment bench-0")');
    expect(await rendered).toBeGreaterThan(0);
    await page.close();
  }, 60_000);

  it('runs at a tiny size and ends with its JSON result', async () => {
    ensureRendererBuilt();
    const r = await benchUi(['--nodes', '2', '--pods', '20', '--rate', '20', '--seconds', '2']);
    expect(r.stderr).not.toMatch(/Content Security Policy|EvalError/);
    expect(r.code, r.stderr).toBe(0);
    const last = r.stdout.trim().split('\n').at(-1) ?? '';
    const result = JSON.parse(last) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual(['bench', 'nodes', 'pods', 'first_render_ms', 'min_fps', 'avg_fps', 'p99_frame_ms', 'updates_per_s', 'update_failures', 'settled', 'settle_ms', 'target_met']);
    expect(result).toMatchObject({ bench: 'ui', nodes: 2, pods: 20, update_failures: 0 });
    expect(result.first_render_ms).toBeGreaterThan(0);
    expect(result.avg_fps).toBeGreaterThan(0);
    expect(r.stdout).toContain('pods (Running, on the map)');
    expect(r.stdout).toMatch(/20 \(20\)/);
    // The page opened once the control plane was at rest (a tiny cluster gets there within the bench's bound).
    expect(result.settled).toBe(true);
    expect(r.stdout).toMatch(/control plane at rest after\s+\d+(\.\d)? s more/);
  }, 180_000);
});
