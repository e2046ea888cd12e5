// Debian's chromium driven by playwright-core: headless, no network beyond loopback, fresh profile.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export interface TestBrowser {
  context: BrowserContext;
  /** What went wrong in its pages so far, oldest first (the last 30): errors thrown, console errors, failed requests, HTTP errors. */
  problems(): string[];
  close(): Promise<void>;
}

const KEPT_PROBLEMS = 30;

export async function launchBrowser(viewport = { width: 1360, height: 860 }, colorScheme: 'light' | 'dark' = 'light'): Promise<TestBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    colorScheme,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const problems: string[] = [];
  const note = (what: string): void => {
    problems.push(`${new Date().toISOString().slice(11, 23)} ${what}`);
    if (problems.length > KEPT_PROBLEMS) problems.shift();
  };
  context.on('weberror', (e) => note(`page error: ${e.error().message}`));
  context.on('console', (m) => { if (m.type() === 'error') note(`console error: ${m.text()}`); });
  context.on('requestfailed', (r) => note(`request failed: ${r.method()} ${r.url()}: ${r.failure()?.errorText ?? ''}`));
  context.on('response', (r) => { if (r.status() >= 400) note(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`); });
  return {
    context,
    problems: () => [...problems],
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** `problems` as the tail of an error message. */
export function problemsText(browser: TestBrowser): string {
  const p = browser.problems();
  return p.length ? `\nwhat went wrong in the page:\n  ${p.join('\n  ')}` : '\nnothing went wrong in the page (no errors, failed requests or HTTP errors)';
}

/** Runs `step`; if it throws, throws again with what went wrong in the page and `context()` (what the page shows). */
export async function explained<T>(browser: TestBrowser, step: () => Promise<T>, context: () => Promise<string> = async () => ''): Promise<T> {
  try {
    return await step();
  } catch (e) {
    const shown = await context().catch((c: unknown) => `(could not read the page: ${String(c)})`);
    const err = e instanceof Error ? e : new Error(String(e));
    err.message = `${err.message}${shown ? `\nthe page shows: ${shown}` : ''}${problemsText(browser)}`;
    throw err;
  }
}

const NAVIGATION_ATTEMPTS = 5;

/**
 * How Chromium says a load was cut short by a network change: the load fails with `net::ERR_NETWORK_CHANGED`, or its
 * error page replaces it first (Playwright: "interrupted by another navigation to chrome-error://chromewebdata/").
 */
const NETWORK_CHANGED = ['net::ERR_NETWORK_CHANGED', 'interrupted by another navigation to "chrome-error://chromewebdata/"'];

/**
 * Loads `url` in the page (or reloads it). Chromium on Linux cancels what is in flight whenever a network interface
 * appears or goes (seen in CI: the sandbox-node lanes add and remove veths and bridges beside this one), so a navigation
 * cancelled that way is tried again, up to five times, a little later each time (the lanes' changes come in bursts); a
 * retry is reported on stderr.
 */
export async function navigate(page: Page, url?: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (url === undefined) await page.reload();
      else await page.goto(url);
      return;
    } catch (e) {
      const text = String(e instanceof Error ? e.message : e);
      if (attempt >= NAVIGATION_ATTEMPTS || !NETWORK_CHANGED.some((m) => text.includes(m))) throw e;
      console.error(`navigate: ${url ?? 'reload'} cancelled by a network change (attempt ${attempt}: ${text.split('\n')[0]}), trying again`);
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
}

/** Opens the UI at `url` (or reloads it) and waits until it says it is connected to the cluster. */
export async function openUi(page: Page, url: string | undefined, timeoutMs: number): Promise<void> {
  await navigate(page, url);
  await page.locator('[data-test=connection]', { hasText: 'Connected' }).waitFor({ timeout: timeoutMs });
}

/**
 * Opens a pod from the cluster map by clicking its chip, as a person would, and waits for the pod's drawer. Clicked
 * again while the drawer does not show the pod: on a loaded machine the map can still move between Playwright's
 * stability check and its click (seen in CI with four test lanes on two cores). A retry is reported on stderr; on
 * failure the error says what the drawer showed instead.
 */
export async function openPodFromMap(page: Page, name: string, timeoutMs: number): Promise<void> {
  const heading = page.locator('[data-test=pod-detail] h1').filter({ hasText: new RegExp(`^\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) });
  const deadline = Date.now() + timeoutMs;
  let clicks = 0;
  while (Date.now() < deadline) {
    clicks++;
    await page.locator(`[data-pod="${name}"]`).first().click({ timeout: Math.max(1000, deadline - Date.now()) }).catch(() => undefined);
    if (await heading.waitFor({ timeout: 3000 }).then(() => true, () => false)) {
      if (clicks > 1) console.error(`openPodFromMap: pod ${name}'s drawer opened after ${clicks} clicks on its chip`);
      return;
    }
  }
  const shown = await page.locator('[role=complementary] h1').allInnerTexts().catch(() => [] as string[]);
  throw new Error(`pod ${name}'s drawer did not open after ${clicks} clicks on its chip in ${timeoutMs} ms; the drawer shows: ${shown.join(', ') || 'nothing'}`);
}
