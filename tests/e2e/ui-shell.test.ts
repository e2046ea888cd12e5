// Shells and notifications in the real UI: `flotilla serve --nodes 1` (a real sandbox node), Debian's chromium at
// 1024×700. A pod's Shell tab runs `hostname` in its container and shows the pod's name; exit, then Reconnect; a
// container with no shell says so; a node's Shell shows the node's hostname; a crash-looping pod raises a notice (and
// a system notification) whose link opens it. Screenshots under test-results/ui/shell-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
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
const PAUSE = 'docker.io/flotilla/pause:1';
const STEP_MS = 30_000;
const isRoot = process.getuid?.() === 0;

let serve: ServeProcess;
let browser: TestBrowser;
let page: Page;
let node = '';

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `shell-${name}.png`) });
}

function until<T>(fn: () => Promise<T>, what: string, timeoutMs = STEP_MS): Promise<NonNullable<T>> {
  return waitFor(fn, what, timeoutMs, 100);
}

function podManifest(name: string, image: string, extra: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image, imagePullPolicy: 'IfNotPresent', ...extra }], terminationGracePeriodSeconds: 1 },
  };
}

async function running(name: string): Promise<void> {
  await until(async () => {
    const p = await serve.client.get<KObject>(PODS, name, 'default');
    return (p.status as { containerStatuses?: Array<{ state?: { running?: unknown } }> } | undefined)?.containerStatuses?.[0]?.state?.running;
  }, `pod ${name} running`, 90_000);
}

/** The terminal's visible text (xterm's DOM rows). */
async function screenText(): Promise<string> {
  return page.locator('[data-test=terminal-screen] .xterm-rows').innerText();
}

async function typeInTerminal(text: string): Promise<void> {
  await page.locator('[data-test=terminal-screen]').click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

const openPod = (name: string): Promise<void> => openPodFromMap(page, name, STEP_MS);

beforeAll(async () => {
  if (!isRoot) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  ensureRendererBuilt();
  serve = await startServe(['--nodes', '1']);
  node = await until(async () => {
    const nodes = (await serve.client.list<KObject>(NODES)).items;
    const ready = nodes.find((n) => ((n.status as { conditions?: Array<{ type: string; status: string }> }).conditions ?? [])
      .some((c) => c.type === 'Ready' && c.status === 'True'));
    return ready?.metadata?.name;
  }, 'a Ready sandbox node', 180_000);
  await serve.client.create(PODS, podManifest('web', HELLO), { namespace: 'default' });
  await serve.client.create(PODS, podManifest('bare', PAUSE, { imagePullPolicy: 'Never' }), { namespace: 'default' });
  await running('web');
  await running('bare');
  browser = await launchBrowser({ width: 1024, height: 700 });
  await browser.context.grantPermissions(['notifications', 'clipboard-read', 'clipboard-write']);
  // Records the system notifications the page shows (the browser's own Notification still runs).
  await browser.context.addInitScript(`(() => {
    const Real = window.Notification;
    window.__notes = [];
    class Recorded extends Real { constructor(title, opts) { super(title, opts); window.__notes.push(title + ' | ' + (opts && opts.body)); } }
    window.Notification = Recorded;
  })()`);
  page = await browser.context.newPage();
  await openUi(page, serve.uiUrl, STEP_MS);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
}, 180_000);

// Sandbox nodes need root; under CI the suite runs as root and never skips.
describe.skipIf(!isRoot && process.env.CI !== 'true')('shells and notifications in the UI', () => {
  it('a pod\'s Shell tab runs hostname in the container and shows the pod\'s name', async () => {
    await openPod('web');
    await page.getByRole('tab', { name: 'Shell' }).click();
    await page.locator('[data-test=terminal-status]', { hasText: 'Connected · /bin/sh' }).waitFor({ timeout: STEP_MS });
    await typeInTerminal('hostname');
    await until(async () => (/^web$/m.test(await screenText()) ? true : undefined), 'the pod\'s name in the terminal');
    await shot('01-pod');
  });

  it('pastes with Ctrl+Shift+V and copies the selection with Ctrl+Shift+C', async () => {
    await page.evaluate('navigator.clipboard.writeText("echo pasted-$((2*3))")');
    await page.locator('[data-test=terminal-screen]').click();
    await page.keyboard.press('Control+Shift+V');
    // The paste reads the clipboard asynchronously: Enter only once the text is on the command line.
    await until(async () => ((await screenText()).includes('echo pasted-$((2*3))') ? true : undefined), 'the pasted text on the command line');
    await page.keyboard.press('Enter');
    await until(async () => (/^pasted-6$/m.test(await screenText()) ? true : undefined), 'the pasted command\'s output')
      .catch(async (e: unknown) => { await shot('01b-paste-failed'); throw e; });
    expect((await screenText()).match(/pasted-6/g)).toHaveLength(1);
    const line = page.locator('[data-test=terminal-screen] .xterm-rows > div', { hasText: /^\s*pasted-6\s*$/ });
    // A double click selects the word; the copy puts it on the clipboard.
    await line.dblclick({ position: { x: 4, y: 4 }, force: true });
    await page.keyboard.press('Control+Shift+C');
    await until(async () => ((await page.evaluate<string>('navigator.clipboard.readText()')) === 'pasted-6' ? true : undefined), 'the selection on the clipboard');
  });

  it('after the shell exits, Reconnect starts a new one', async () => {
    await typeInTerminal('exit 3');
    await page.locator('[data-test=terminal-message]', { hasText: 'The shell exited with code 3.' }).waitFor({ timeout: STEP_MS });
    await shot('02-exited');
    await page.locator('[data-test=terminal-reconnect]').click();
    await page.locator('[data-test=terminal-status]', { hasText: 'Connected · /bin/sh' }).waitFor({ timeout: STEP_MS });
    await typeInTerminal('echo again-$((40+2))');
    await until(async () => (/^again-42$/m.test(await screenText()) ? true : undefined), 'output of the new shell');
    expect(await page.locator('[data-test=terminal-message]').count()).toBe(0);
  });

  it('a container without a shell says so', async () => {
    await page.getByRole('button', { name: 'Close details' }).click();
    await openPod('bare');
    await page.getByRole('tab', { name: 'Shell' }).click();
    await page.locator('[data-test=terminal-message]', { hasText: 'This container has no shell (tried /bin/bash, /bin/sh)' }).waitFor({ timeout: STEP_MS });
    expect(await page.locator('[data-test=terminal-reconnect]').isVisible()).toBe(true);
    await shot('03-no-shell');
  });

  it('a node\'s Shell is a shell on that node', async () => {
    await page.getByRole('button', { name: 'Close details' }).click();
    await page.locator(`article[data-node="${node}"] button.name`).click();
    await page.locator('[data-test=node-detail] h1', { hasText: node }).waitFor({ timeout: STEP_MS });
    await page.locator('[data-test=node-shell]').click();
    await page.locator('[data-test=terminal-status]', { hasText: 'Connected · ssh' }).waitFor({ timeout: STEP_MS });
    await typeInTerminal('hostname');
    await until(async () => (new RegExp(`^${node}$`, 'm').test(await screenText()) ? true : undefined), 'the node\'s hostname in the terminal');
    await shot('04-node');
    await page.getByRole('button', { name: 'Close details' }).click();
  });

  it('a crash-looping pod raises a notice and a system notification; the notice opens the pod', async () => {
    await serve.client.create(PODS, podManifest('crash', HELLO, { command: ['sh', '-c', 'echo bye; exit 1'] }), { namespace: 'default' });
    const notice = page.locator('[data-test=notice]', { hasText: 'Pod crash is crash-looping' });
    await notice.waitFor({ timeout: 90_000 });
    await notice.hover();
    expect(await notice.innerText()).toContain('Container app keeps exiting (last exit code 1, Error)');
    await shot('05-notice');
    const notes = await page.evaluate<string[]>('window.__notes');
    expect(notes.filter((n) => n.startsWith('Pod crash is crash-looping | Container app keeps exiting'))).toHaveLength(1);
    await notice.locator('[data-test=notice-action]', { hasText: 'Open pod' }).click();
    await page.locator('[data-test=pod-detail] h1', { hasText: 'crash' }).waitFor({ timeout: STEP_MS });
    await page.locator('[data-test=pod-status]', { hasText: 'CrashLoopBackOff' }).waitFor({ timeout: STEP_MS });
    await shot('06-opened');
    // Further restarts are the same episode: no second notice.
    const restarts = page.locator('[data-test=pod-detail] .facts div', { hasText: 'Restarts' }).locator('dd');
    await until(async () => (Number(await restarts.innerText()) >= 2 ? true : undefined), 'another restart shown in the UI', 90_000);
    expect((await page.evaluate<string[]>('window.__notes')).filter((n) => n.startsWith('Pod crash is crash-looping'))).toHaveLength(1);
  }, 240_000);
});
