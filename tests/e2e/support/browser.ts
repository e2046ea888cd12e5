// Debian's chromium driven by playwright-core: headless, no network beyond loopback, fresh profile.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(viewport = { width: 1360, height: 860 }, colorScheme: 'light' | 'dark' = 'light'): Promise<TestBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    colorScheme,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the UI at `url` (or reloads it) and waits until it says it is connected to the cluster. */
export async function openUi(page: Page, url: string | undefined, timeoutMs: number): Promise<void> {
  if (url === undefined) await page.reload();
  else await page.goto(url);
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
