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
