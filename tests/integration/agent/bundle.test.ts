// The bundled agent (out of scripts/build-agent.mjs) as its own process inside the node's network
// namespace, reaching the API server on the node's 127.0.0.1 as it would through the SSH reverse
// tunnel (here: a forwarder in the namespace → a unix socket → the API server on the host's loopback).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachPodStreams } from '../../../main/apiserver/streams';
import type { Lease, Node, Pod } from '../../../main/api/types';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { skipUnlessRoot } from '../../helpers/netns';
import { AGENT_ENV, AGENT_NODE_FLAGS } from '../../../main/nodes/node-paths';
import { HELLO, httpFromNode, NODES, PODS, podSpecOf, startTestNode, type TestNode } from './support';

const LEASES = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true };

// The other direction, for the control plane reaching the agent's server: a unix socket → 127.0.0.1:port in the namespace.
const AGENT_DIALER = `
const net = require('net');
const [sock, port] = process.argv.slice(1);
net.createServer((c) => { const u = net.connect(Number(port), '127.0.0.1'); c.on('error', () => u.destroy()); u.on('error', () => c.destroy()); c.pipe(u).pipe(c); })
  .listen(sock, () => console.log('ready'));
`;

const FORWARDER = `
const net = require('net');
const [port, sock] = process.argv.slice(1);
net.createServer((c) => { const u = net.connect(sock); c.on('error', () => u.destroy()); u.on('error', () => c.destroy()); c.pipe(u).pipe(c); })
  .listen(Number(port), '127.0.0.1', () => console.log('ready'));
`;

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code)));
}

async function kill(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  await exited(child);
}

describe.skipIf(skipUnlessRoot)('bundled agent.js as a process in the node namespace', () => {
  let cluster: TestCluster;
  let node: TestNode;
  let bridge: net.Server | undefined;
  let forwarder: ChildProcess | undefined;
  let dialer: ChildProcess | undefined;
  let agentSock = '';
  let agent: ChildProcess | undefined;
  let agentLog = '';
  let bundleText = '';
  let startForwarder: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    cluster = await startTestCluster();
    node = await startTestNode(cluster);
    const bundleDir = join(node.dir, 'bundle');
    execFileSync(process.execPath, [join(__dirname, '..', '..', '..', 'scripts', 'build-agent.mjs'), bundleDir], { stdio: 'pipe' });
    bundleText = readFileSync(join(bundleDir, 'agent.js'), 'latin1');
    const api = new URL(cluster.core.api.url);
    const sock = join(node.dir, 'api.sock');
    bridge = net.createServer((c) => {
      const u = net.connect(Number(api.port), '127.0.0.1');
      c.on('error', () => u.destroy());
      u.on('error', () => c.destroy());
      c.pipe(u).pipe(c);
    });
    await new Promise<void>((r) => bridge!.listen(sock, r));
    startForwarder = async (): Promise<void> => {
      const fwd = spawn('nsenter', [`--net=/run/netns/${node.ns}`, process.execPath, '-e', FORWARDER, api.port, sock], { stdio: ['ignore', 'pipe', 'inherit'] });
      forwarder = fwd;
      await new Promise<void>((resolve, reject) => {
        fwd.stdout.on('data', (b: Buffer) => { if (b.toString().includes('ready')) resolve(); });
        fwd.once('exit', (code) => reject(new Error(`forwarder exited ${code}`)));
      });
    };
    await startForwarder();
    const configFile = join(node.dir, 'agent.json');
    writeFileSync(configFile, JSON.stringify({ ...node.config, apiServer: `https://127.0.0.1:${api.port}`, listenAddress: '127.0.0.1:10250' }, null, 2));
    agentSock = join(node.dir, 'agent-server.sock');
    const d = spawn('nsenter', [`--net=/run/netns/${node.ns}`, process.execPath, '-e', AGENT_DIALER, agentSock, '10250'], { stdio: ['ignore', 'pipe', 'inherit'] });
    dialer = d;
    await new Promise<void>((resolve, reject) => {
      d.stdout.on('data', (b: Buffer) => { if (b.toString().includes('ready')) resolve(); });
      d.once('exit', (code) => reject(new Error(`dialer exited ${code}`)));
    });
    agentLog = join(node.dir, 'agent.log');
    const fd = openSync(agentLog, 'a');
    agent = spawn('nsenter', [`--net=/run/netns/${node.ns}`, process.execPath, ...AGENT_NODE_FLAGS, join(bundleDir, 'agent.js'), '--config', configFile], { stdio: ['ignore', fd, fd], env: { ...process.env, ...AGENT_ENV } });
    closeSync(fd);
  });

  afterAll(async () => {
    await kill(agent);
    await kill(forwarder);
    await kill(dialer);
    await new Promise<void>((r) => (bridge ? bridge.close(() => r()) : r()));
    await node?.teardown();
    await cluster?.stop();
  });

  it('is ASCII text (a one-byte string on the agent\'s heap, not twice its size)', () => {
    expect(bundleText.length).toBeGreaterThan(100_000);
    expect(bundleText.match(/[^\x00-\x7f]/)).toBeNull();
  });

  it('registers, turns Ready once IPAM gives it a podCIDR, and runs a pod that answers HTTP', async () => {
    const n = await waitFor(async () => {
      const got = await cluster.client.get<Node>(NODES, node.name);
      return got.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? got : undefined;
    }, 'node Ready', 30_000).catch((err: unknown) => { console.log(readFileSync(agentLog, 'utf8')); throw err; });
    expect(n.spec?.podCIDR).toMatch(/^10\.244\.\d+\.0\/24$/);
    await cluster.client.create<Pod>(PODS, podSpecOf('bundled', node.name, { containers: [{ name: 'web', image: HELLO }] }));
    const p = await waitFor(async () => {
      const got = await cluster.client.get<Pod>(PODS, 'bundled', 'default');
      return got.status?.phase === 'Running' && got.status.podIP ? got : undefined;
    }, 'pod Running', 30_000);
    const body = await waitFor(async () => { const b = await httpFromNode(node, p.status!.podIP!, 8080); return b.startsWith('Hello') ? b : undefined; }, 'HTTP', 10_000);
    expect(body).toContain(p.status!.podIP!);
  });

  it('serves kubectl exec and logs through its server on listenAddress', async () => {
    const detach = attachPodStreams(cluster.core, { dial: async () => net.connect(agentSock), serverToken: () => node.config.serverToken });
    try {
      const exec = await cluster.kubectl(['exec', 'bundled', '--', 'sh', '-c', 'echo "in $(hostname)"']);
      expect({ code: exec.code, stderr: exec.stderr, out: exec.stdout.trim() }).toEqual({ code: 0, stderr: '', out: 'in bundled' });
      const logs = await cluster.kubectl(['logs', 'bundled']);
      expect(logs.stdout).toContain('listening on :8080');
    } finally {
      detach();
    }
  });

  it('keeps working across a tunnel drop: a pod created meanwhile runs once the tunnel is back', async () => {
    const logLength = readFileSync(agentLog, 'utf8').length;
    await kill(forwarder);
    await cluster.client.create<Pod>(PODS, podSpecOf('during-drop', node.name, { containers: [{ name: 'web', image: HELLO }] }));
    await waitFor(() => /pods watch: /.test(readFileSync(agentLog, 'utf8').slice(logLength)), 'the agent notices the drop', 10_000);
    await startForwarder();
    await waitFor(async () => (await cluster.client.get<Pod>(PODS, 'during-drop', 'default')).status?.phase === 'Running', 'pod Running after reconnect', 30_000);
    const renewTime = async (): Promise<string | undefined> => (await cluster.client.get<Lease>(LEASES, node.name, 'kube-node-lease')).spec?.renewTime;
    const first = await renewTime();
    await waitFor(async () => (await renewTime()) !== first, 'lease renewed again', 10_000);
  });

  it('stops on SIGTERM with exit code 0 and leaves the pod running', async () => {
    const before = await cluster.client.get<Pod>(PODS, 'bundled', 'default');
    agent!.kill('SIGTERM');
    expect(await exited(agent!)).toBe(0);
    expect(readFileSync(agentLog, 'utf8')).toContain('SIGTERM: stopping (pods keep running)');
    const running = await node.cri.listContainers({ state: { state: 'CONTAINER_RUNNING' }, label_selector: { 'io.kubernetes.pod.uid': before.metadata!.uid! } });
    expect(running.map((c) => `containerd://${c.id}`)).toContain(before.status?.containerStatuses?.[0]?.containerID);
  });
});
