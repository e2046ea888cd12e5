// `flotilla bench node-add [--runs 5] [--provider sandbox]`: a Machine created → its Node Ready,
// timed end to end, on a private control plane in a temporary data dir (own bridge and subnet),
// removed afterwards. Prints a table, then the JSON result as the last line. With --provider qemu
// the boot is split into the overlay's creation (image copy), kernel boot → SSH, bootstrap and agent
// → Ready, and the accelerator (KVM or TCG) is said; the image is built (or found cached) first.
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
import { QemuProvider } from '../nodes/providers/qemu/provider';

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
    nodes: {
      sandbox: { bridge: `fltb${process.pid % 10000}`, subnet: `10.251.${tag}.0/24`, prefix: `fltb${process.pid % 10000}` },
      // The data dir is temporary: the QEMU image is kept in a cache that outlives it (built once per recipe).
      qemu: { imageCache: process.env.FLOTILLA_QEMU_IMAGE_CACHE ?? '/var/cache/flotilla/qemu-images' },
    },
  });
  const qemu = core.nodes?.providers.get('qemu');
  const vm = provider === 'qemu' && qemu instanceof QemuProvider ? qemu : undefined;
  const rows: Array<Array<string | number>> = [['run', 'machine', 'machine_up_ms', 'agent_started_ms', 'ready_ms', 'running_ms',
    ...(vm ? ['image_copy_ms', 'boot_to_ssh_ms', 'bootstrap_ms', 'agent_ready_ms', 'accel'] : [])]];
  const times: number[] = [];
  const phases: Record<'image_copy_ms' | 'boot_to_ssh_ms' | 'bootstrap_ms' | 'agent_ready_ms', number[]> = { image_copy_ms: [], boot_to_ssh_ms: [], bootstrap_ms: [], agent_ready_ms: [] };
  let accel = '';
  let imageBuildMs = 0;
  try {
    await imageTarballs(core.dataDir); // built once per data dir; not part of a node's time
    if (vm) {
      const img = await vm.image((m) => console.error(m)); // built once per recipe; not part of a node's time
      imageBuildMs = img.buildMs;
      console.error(`accelerator: ${vm.accel().accel.toUpperCase()} (${vm.accel().reason})`);
    }
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
      }, vm ? 1_800_000 : 180_000, `node ${name} Ready`, POLL_MS);
      const readyMs = nowMs() - t0;
      await pollUntil(async () => ((await core.client.get<Machine & KObject>(R.machines, name)).status?.phase === 'Running' ? true : undefined), 30_000, `machine ${name} Running`, POLL_MS);
      const runningMs = nowMs() - t0;
      times.push(readyMs);
      const boot = vm?.lastBoot(name);
      if (vm && boot) {
        accel = boot.accel;
        const split = {
          image_copy_ms: boot.imageCopyMs, boot_to_ssh_ms: boot.bootToSshMs,
          bootstrap_ms: Math.round(agentMs - upMs), agent_ready_ms: Math.round(readyMs - agentMs),
        };
        for (const [k, v] of Object.entries(split)) phases[k as keyof typeof phases].push(v);
        rows.push([String(i), name, upMs, agentMs, readyMs, runningMs, ...Object.values(split), boot.accel]);
      } else {
        rows.push([String(i), name, upMs, agentMs, readyMs, runningMs]);
      }
    }
  } finally {
    await stopBenchCluster(core, dir, POLL_MS);
  }
  printTable(rows);
  printResult({
    bench: 'node-add', provider, runs, p50_ms: Math.round(percentile(times, 50)), max_ms: Math.round(Math.max(...times)),
    min_ms: Math.round(Math.min(...times)), target_p50_ms: vm ? 10_000 : 3000,
    ...(vm ? {
      accel, image_build_ms: imageBuildMs,
      ...Object.fromEntries(Object.entries(phases).map(([k, v]) => [`${k.replace(/_ms$/, '')}_p50_ms`, Math.round(percentile(v, 50))])),
      target_note: 'the 10 s target is for KVM; TCG (software emulation) figures are not comparable',
    } : {}),
  });
}
