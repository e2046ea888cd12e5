// `bench ui --profile <dir>`: CPU profiles of the first render and of the updates, of the page (the CDP Profiler, started on a
// same-origin blank page so the navigation keeps its renderer process) and of this process (the control plane
// and the bridge, through node:inspector), and the page's performance trace (style, layout, paint, scripts).
// Written as .cpuprofile and trace .json files that Chromium's DevTools open.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Session } from 'node:inspector/promises';
import type { CDPSession, Page } from 'playwright-core';

export interface BenchProfiler {
  /** Stops the profilers and the trace and writes `page-<label>.cpuprofile`, `core-<label>.cpuprofile`, `page-<label>.trace.json`. */
  stop(): Promise<string[]>;
}

const SAMPLING_US = 250;
/** What DevTools' Performance panel records. */
const TRACE_CATEGORIES = ['devtools.timeline', 'v8.execute', 'blink.user_timing', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame'];

/** Ends the trace and reads it back from its stream. */
async function endTrace(cdp: CDPSession): Promise<string> {
  const complete = new Promise<string | undefined>((resolve) => cdp.once('Tracing.tracingComplete', (e) => resolve(e.stream)));
  await cdp.send('Tracing.end');
  const stream = await complete;
  if (!stream) return '';
  const parts: string[] = [];
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream });
    parts.push(chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString() : chunk.data);
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  return parts.join('');
}

/**
 * Starts the profilers and the trace. `blankUrl` (a page of the UI's origin) is opened first when given: for the
 * first render, call this just before the navigation measured.
 */
export async function startProfile(page: Page, dir: string, label: string, blankUrl?: string): Promise<BenchProfiler> {
  fs.mkdirSync(dir, { recursive: true });
  if (blankUrl) await page.goto(blankUrl);
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_US });
  await cdp.send('Profiler.start');
  await cdp.send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { includedCategories: TRACE_CATEGORIES } });
  const node = new Session();
  node.connect();
  await node.post('Profiler.enable');
  await node.post('Profiler.setSamplingInterval', { interval: SAMPLING_US });
  await node.post('Profiler.start');
  return {
    async stop() {
      const files = ['page-%.cpuprofile', 'core-%.cpuprofile', 'page-%.trace.json'].map((f) => path.join(dir, f.replace('%', label)));
      const pageProfile = await cdp.send('Profiler.stop');
      fs.writeFileSync(files[0], JSON.stringify(pageProfile.profile));
      fs.writeFileSync(files[2], await endTrace(cdp));
      const coreProfile = await node.post('Profiler.stop');
      fs.writeFileSync(files[1], JSON.stringify(coreProfile.profile));
      await cdp.detach().catch(() => undefined);
      node.disconnect();
      return files;
    },
  };
}
