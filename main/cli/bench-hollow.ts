// The start every hollow-node benchmark shares: a core in a temp dir with every control loop, and N
// hollow nodes registered (timed); `stop` removes both.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startCore, type Core, type CoreOptions } from '../core';
import { startHollowNodes, type HollowNodes } from '../hollow';
import { nowMs, round } from './bench-report';

export interface HollowBench {
  core: Core;
  hollow: HollowNodes;
  /** Time for the nodes to register and become schedulable (their not-ready taint taken off; ms). */
  nodesMs: number;
  /** The first 20 lines the core and the nodes logged (errors, mostly). */
  errors: string[];
  stop(): Promise<void>;
}

export async function startHollowBench(tempPrefix: string, nodes: number, coreOpts: Pick<CoreOptions, 'compactionIntervalMs' | 'eventTTLMs'> = {}): Promise<HollowBench> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), tempPrefix));
  const errors: string[] = [];
  const log = (l: string) => { if (errors.length < 20) errors.push(l); };
  const core = await startCore({ dataDir: dir, apiPort: 0, log, controllers: { log }, ...coreOpts });
  const stop = async (): Promise<void> => {
    await core.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const tNodes = nowMs();
    const hollow = startHollowNodes(core, { count: nodes, cpu: '32', memory: '64Gi', pods: 110, maxInFlight: 256, log });
    await hollow.ready;
    await hollow.schedulable;
    return { core, hollow, nodesMs: nowMs() - tNodes, errors, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Counts every store write from now on, by resource (the key's fourth part): what each pod costs the write path. */
export function countStoreWrites(core: Core): { rows(pods: number): Array<[string, number]>; perPod(pods: number): number; stop(): void } {
  const writes = new Map<string, number>();
  const stop = core.store.watch('/registry/', core.store.revision, (events) => {
    for (const e of events) {
      const resource = e.key.split('/')[3] ?? '';
      writes.set(resource, (writes.get(resource) ?? 0) + 1);
    }
  });
  const share = (n: number, pods: number) => round(n / Math.max(1, pods), 2);
  const perPod = (pods: number) => share([...writes.values()].reduce((a, b) => a + b, 0), pods);
  return {
    perPod,
    stop,
    rows: (pods) => [
      ['writes per pod (all resources)', perPod(pods)],
      ...[...writes].sort((a, b) => b[1] - a[1]).map(([r, n]): [string, number] => [`writes per pod: ${r}`, share(n, pods)]),
    ],
  };
}
