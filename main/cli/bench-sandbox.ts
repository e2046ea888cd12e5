// What the benches that start a private control plane with sandbox nodes share: a subnet no host route uses, and
// the teardown (machines deleted, the core stopped, anything left brought down, the temp dir removed).
import * as fs from 'node:fs';
import type { Core } from '../core';
import type { KObject } from '../api/types';
import { R } from '../client/refs';
import { downMachines } from '../nodes/down';
import { mustRun } from '../nodes/exec';
import { pollUntil } from '../protocol/poll';

/** A /24 of 10.251.0.0/16 in 20–99 (tests use 100–249, the default cluster 0) that no host route uses. */
export async function freeSubnet(): Promise<string> {
  const routes = await mustRun(['ip', '-4', 'route', 'show']);
  for (let k = 0; k < 80; k++) {
    const third = 20 + ((process.pid + k) % 80);
    if (!routes.includes(`10.251.${third}.`)) return `10.251.${third}.0/24`;
  }
  throw new Error('no free 10.251.x.0/24 subnet for the bench node');
}

/** Deletes every Machine and waits for them to go, stops the core, brings down what is left, removes `dir`. */
export async function stopBenchCluster(core: Core, dir: string, pollMs = 50): Promise<void> {
  const machines = await core.client.list(R.machines).catch(() => ({ items: [] as KObject[] }));
  for (const m of machines.items) await core.client.delete(R.machines, m.metadata?.name ?? '').catch(() => undefined);
  await pollUntil(async () => ((await core.client.list(R.machines)).items.length === 0 ? true : undefined), 120_000, 'machines deleted', pollMs)
    .catch(() => undefined);
  await core.stop();
  const report = await downMachines(core.dataDir);
  for (const e of report.errors) console.error(`cleanup: ${e}`);
  fs.rmSync(dir, { recursive: true, force: true });
}
