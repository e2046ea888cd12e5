// A test cluster: our control plane started in-process (temp data dir, API port 0) with the
// control loops and hollow nodes, and real kubectl pointed at it with a private HOME.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Core } from '../../../main/core';
import { startCore } from '../../../main/core';
import type { ControlLoopOptions } from '../../../main/controllers';
import type { HollowNodes, HollowOptions } from '../../../main/hollow';
import { startHollowNodes } from '../../../main/hollow';

export interface TestCluster {
  core: Core;
  hollow: HollowNodes;
  dir: string;
  kubectl(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }>;
  stop(): Promise<void>;
}

export async function startTestCluster(opts: { nodes?: number; hollow?: Partial<HollowOptions>; controllers?: ControlLoopOptions } = {}): Promise<TestCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-ctl-'));
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  const logs: string[] = [];
  const core = await startCore({ dataDir: path.join(dir, 'data'), apiPort: 0, log: (l) => logs.push(l), controllers: { log: (l) => logs.push(l), ...(opts.controllers ?? {}) } });
  const hollow = startHollowNodes(core, { count: opts.nodes ?? 3, ...(opts.hollow ?? {}) });
  await hollow.ready;
  const env = { ...process.env, KUBECONFIG: core.kubeconfigPath, HOME: home, KUBECACHEDIR: path.join(home, 'cache') };
  return {
    core, hollow, dir,
    kubectl: (...args) => new Promise((resolve) => {
      execFile('kubectl', args, { env, timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ stdout, stderr, code });
      });
    }),
    async stop() {
      await hollow.stop();
      await core.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `fn` until it returns a truthy value; throws with the last value after the deadline. */
export async function eventually<T>(fn: () => T | Promise<T>, timeoutMs = 20_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await fn();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function deploymentManifest(name: string, replicas: number, image = 'nginx:1.27', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image, ports: [{ name: 'http', containerPort: 80 }] }] } },
      ...extra,
    },
  };
}
