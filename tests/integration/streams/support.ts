// Streams test rig: a private containerd + PodManager, the agent server on a TCP port, a real API server
// whose ctx.pods is our backend (dialling that port), pods created through the API and run by PodManager
// with their status written back, and kubectl as a long-running child process when needed.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { connect } from 'node:net';
import * as path from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1';
import { attachPodStreams } from '../../../main/apiserver/streams';
import { PodManager } from '../../../vm-images/agent/pods/manager';
import { startAgentServer, type AgentServer } from '../../../vm-images/agent/server';
import { CadvisorSource } from '../../../vm-images/agent/stats/cadvisor-source';
import { kubeletConfigz } from '../../../vm-images/agent/server/configz';
import { StatsCollector } from '../../../vm-images/agent/stats/collector';
import { KUBECTL, startTestCluster, type TestCluster } from '../../helpers/cluster';
import { startTestContainerd, type TestContainerd } from '../../helpers/containerd';

export const HELLO = 'docker.io/flotilla/hello:1';
export const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
export const NODE = 'node-streams';
export const TOKEN = 'test-agent-token-0123456789';

export interface StreamsRig {
  t: TestContainerd;
  pm: PodManager;
  agent: AgentServer;
  cluster: TestCluster;
  /** Creates the pod in the API (bound to NODE) and runs it with PodManager. */
  run(pod: Pod): Promise<Pod>;
  /** kubectl as a child process (for -f and port-forward). */
  spawnKubectl(args: string[]): ChildProcessWithoutNullStreams;
  teardown(): Promise<void>;
}

export async function startStreamsRig(): Promise<StreamsRig> {
  const t = await startTestContainerd();
  const pm = new PodManager(t.cri, { logDir: t.logDir, cgroupParent: t.cgroupParent, syncIntervalMs: 200, backoffBaseMs: 300, backoffMaxMs: 1000 });
  const stats = new StatsCollector(t.cri, { nodeName: NODE, cgroupParent: t.cgroupParent, fsPath: t.dir });
  const cadvisor = new CadvisorSource({ cri: t.cri, cgroupParent: t.cgroupParent, fsPath: t.dir, sinceMs: Date.now() });
  let port = 0;
  const agent = await startAgentServer({
    listen: '127.0.0.1:0', token: TOKEN, cri: t.cri, pods: pm, logDir: t.logDir, stats: () => stats.summary(),
    configz: () => kubeletConfigz({ config: { containerdSocket: t.socket, logDir: t.logDir, cgroupParent: t.cgroupParent }, port }),
    cadvisor: () => cadvisor.scrape(),
  });
  port = agent.port;
  const cluster = await startTestCluster({ controllers: false });
  const detach = attachPodStreams(cluster.core, {
    dial: () => new Promise((resolve, reject) => {
      const s = connect(agent.port, '127.0.0.1', () => { s.off('error', reject); resolve(s); });
      s.once('error', reject);
    }),
    serverToken: () => TOKEN,
  });
  // Status flows back to the API as the agent's sync loop would write it.
  let writes: Promise<unknown> = Promise.resolve();
  const off = pm.on('status', (_uid, status, pod) => {
    writes = writes.then(() => cluster.core.client.patch(PODS, pod.metadata?.name ?? '', { status }, 'merge', { namespace: pod.metadata?.namespace, subresource: 'status' })).catch(() => undefined);
  });
  const spawned = new Set<ChildProcessWithoutNullStreams>();
  const runUids: string[] = [];
  return {
    t, pm, agent, cluster,
    async run(pod) {
      const created = await cluster.core.client.create(PODS, { ...pod, spec: { ...pod.spec, nodeName: NODE } } as Pod & { metadata: NonNullable<Pod['metadata']> }, { namespace: 'default' });
      const p = created as unknown as Pod;
      runUids.push(p.metadata?.uid ?? '');
      await pm.sync(p);
      return p;
    },
    spawnKubectl(args) {
      const child = spawn(KUBECTL, args, {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', KUBECONFIG: cluster.core.kubeconfigPath, HOME: path.join(cluster.dir, 'home') },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      spawned.add(child);
      collected(child);
      child.on('close', () => spawned.delete(child));
      return child;
    },
    async teardown() {
      for (const c of spawned) c.kill('SIGKILL');
      off();
      detach();
      await writes;
      for (const uid of runUids) await pm.remove(uid).catch(() => undefined);
      await pm.close();
      await agent.close();
      await cluster.stop();
      await t.teardown();
    },
  };
}

const outputs = new WeakMap<ChildProcessWithoutNullStreams, { out: string; err: string }>();

/** Everything the child wrote since it was spawned (collected from the start, so nothing is missed between waits). */
function collected(child: ChildProcessWithoutNullStreams): { out: string; err: string } {
  let o = outputs.get(child);
  if (!o) {
    const acc = { out: '', err: '' };
    child.stdout.on('data', (d: Buffer) => { acc.out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { acc.err += d.toString(); });
    outputs.set(child, acc);
    o = acc;
  }
  return o;
}

/** Resolves with all of the child's stdout so far once it matches `re` (rejects if the child exits first). */
export function waitForOutput(child: ChildProcessWithoutNullStreams, re: RegExp, timeoutMs = 20_000): Promise<string> {
  const acc = collected(child);
  return new Promise((resolve, reject) => {
    const check = (): boolean => { if (!re.test(acc.out)) return false; cleanup(); resolve(acc.out); return true; };
    const timer = setTimeout(() => { cleanup(); reject(new Error(`timed out waiting for ${re} in ${JSON.stringify(acc.out)} (stderr ${JSON.stringify(acc.err)})`)); }, timeoutMs);
    const onOut = (): void => { check(); };
    const onClose = (code: number | null): void => { if (!check()) { cleanup(); reject(new Error(`kubectl exited (${code}) before ${re}: ${JSON.stringify(acc.out)} stderr ${JSON.stringify(acc.err)}`)); } };
    const cleanup = (): void => { clearTimeout(timer); child.stdout.off('data', onOut); child.off('close', onClose); };
    child.stdout.on('data', onOut);
    child.on('close', onClose);
    check();
  });
}

/** The child's stderr so far. */
export function stderrOf(child: ChildProcessWithoutNullStreams): string {
  return collected(child).err;
}

export function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('close', (code) => resolve(code)));
}
