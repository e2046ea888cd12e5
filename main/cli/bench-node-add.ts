// `flotilla bench node-add [--runs 5] [--provider sandbox]`: a Machine created → its Node Ready,
// timed end to end, on a private control plane in a temporary data dir (own bridge and subnet),
// removed afterwards. Prints a table, then the JSON result as the last line.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchNodeAddOptions } from './commands';
import { startCore } from '../core';
import type { KObject, Machine } from '../api/types';
import { R } from '../client/refs';
import { stopBenchCluster } from './bench-sandbox';
import { imageTarballs } from '../nodes/artifacts';
import { nowMs, percentile, printResult, printTable } from './bench-report';
import { PollFailure, pollUntil } from '../protocol/poll';

/** Poll interval: bounds the measurement error to ~5 ms. */
const POLL_MS = 5;

function ready(n: KObject): boolean {
  const conds = (n.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

export async function benchNodeAdd({ runs, provider }: BenchNodeAddOptions): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-node-'));
  const tag = (process.pid % 200) + 20;
  const core = await startCore({
    dataDir: path.join(dir, 'data'), apiPort: 0, log: () => undefined,
    nodes: { sandbox: { bridge: `fltb${process.pid % 10000}`, subnet: `10.251.${tag}.0/24`, prefix: `fltb${process.pid % 10000}` } },
  });
  const rows: Array<Array<string | number>> = [['run', 'machine', 'machine_up_ms', 'agent_started_ms', 'ready_ms', 'running_ms']];
  const times: number[] = [];
  try {
    await imageTarballs(core.dataDir); // built once per data dir; not part of a node's time
    for (let i = 1; i <= runs; i++) {
      const name = `bench-${i}`;
      const t0 = nowMs();
      await core.client.create<Machine & KObject>(R.machines, { apiVersion: 'flotilla.dev/v1alpha1', kind: 'Machine', metadata: { name }, spec: { provider, running: true } });
      let upMs = NaN;
      let agentMs = NaN;
      await pollUntil(async () => {
        const n = await core.client.get<KObject>(R.nodes, name).catch(() => undefined);
        if (n && ready(n)) return true;
        const m = await core.client.get<Machine & KObject>(R.machines, name);
        if (m.status?.phase === 'Failed') throw new PollFailure(`machine ${name} failed: ${m.status.message ?? ''}`);
        // Step 2 = the machine is up and SSH is next; step 8 = the agent runs, waiting for Ready.
        if (Number.isNaN(upMs) && (m.status?.progress?.step ?? 0) >= 2) upMs = nowMs() - t0;
        if (Number.isNaN(agentMs) && (m.status?.progress?.step ?? 0) >= 8) agentMs = nowMs() - t0;
        return undefined;
      }, 180_000, `node ${name} Ready`, POLL_MS);
      const readyMs = nowMs() - t0;
      await pollUntil(async () => ((await core.client.get<Machine & KObject>(R.machines, name)).status?.phase === 'Running' ? true : undefined), 30_000, `machine ${name} Running`, POLL_MS);
      const runningMs = nowMs() - t0;
      times.push(readyMs);
      rows.push([String(i), name, upMs, agentMs, readyMs, runningMs]);
    }
  } finally {
    await stopBenchCluster(core, dir, POLL_MS);
  }
  printTable(rows);
  printResult({
    bench: 'node-add', provider, runs, p50_ms: Math.round(percentile(times, 50)), max_ms: Math.round(Math.max(...times)),
    min_ms: Math.round(Math.min(...times)), target_p50_ms: 3000,
  });
}
