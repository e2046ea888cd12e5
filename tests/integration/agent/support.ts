// A test node for agent tests: its own network namespace (with a dummy eth0 holding the node IP),
// a private containerd running inside that namespace (so CNI bridges, pod veths, iptables and
// routes all land there), the built image tarballs, and an AgentConfig pointing at a test cluster.
// Teardown removes every pod, kills containerd and its shims by PID, unmounts, deletes cgroups,
// the namespace and the directory.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node, Pod } from '../../../main/api/types';
import type { ApiClient } from '../../../main/client/types';
import { R } from '../../../main/client/refs';
import type { AgentConfig } from '../../../main/protocol/agent-config';
import { pollUntil } from '../../../main/protocol/poll';
import { CriClient } from '../../../vm-images/agent/cri/client';
import { removeCgroup } from '../../../vm-images/agent/pods/cgroups';
import { netnsExec, run, type Exec } from '../../../vm-images/agent/proxy/exec';
import { startContainerd, type RunningContainerd } from '../../../vm-images/agent/runtime/containerd';
import { buildImages, type BuiltImage } from '../../../vm-images/images/build-images';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';
import { Agent, type AgentOptions } from '../../../vm-images/agent/agent';
import { createNetns, deleteNetns, ip } from '../../helpers/netns';
import { mountsUnder, removeAllSandboxes, shimPids } from '../../helpers/containerd';

export const HELLO = 'docker.io/flotilla/hello:1';
export const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
export const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };

export interface TestNode {
  name: string;
  ns: string;
  nodeIP: string;
  podCIDR: string;
  dir: string;
  containerd: RunningContainerd;
  cri: CriClient;
  exec: Exec;
  config: AgentConfig;
  images: BuiltImage[];
  teardown(): Promise<void>;
}

let counter = 0;

export async function startTestNode(cluster: TestCluster, overrides: Partial<AgentConfig> = {}): Promise<TestNode> {
  const tag = `${process.pid}x${counter++}`;
  const name = `node-${tag}`;
  const dir = mkdtempSync(`/tmp/flt-agent-${tag}-`);
  const nodeIP = '10.251.0.2';
  const podCIDR = `10.244.${1 + (counter % 200)}.0/24`;
  const cgroupParent = `/flt-agent-${tag}`;
  let ns = '';
  let containerd: RunningContainerd | undefined;
  let cri: CriClient | undefined;
  const teardown = async (): Promise<void> => {
    const errors: unknown[] = [];
    if (cri && containerd) await removeAllSandboxes(cri, errors);
    cri?.close();
    if (containerd) await containerd.stop(5000);
    const socket = join(dir, 'containerd', 'containerd.sock');
    for (const pid of shimPids(socket)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    for (const m of mountsUnder(dir)) { try { execFileSync('umount', ['-l', m]); } catch (e) { errors.push(e); } }
    removeCgroup(cgroupParent);
    if (ns) await deleteNetns(ns).catch((e: unknown) => errors.push(e));
    rmSync(dir, { recursive: true, force: true });
    if (existsSync(dir)) errors.push(new Error(`could not remove ${dir}`));
    if (errors.length) console.warn('teardown warnings:', errors.map(String));
  };
  try {
    ns = await createNetns('a');
    // No dummy module here: a veth pair with both ends inside the namespace gives the node its eth0.
    await ip('-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth1');
    await ip('-n', ns, 'addr', 'add', `${nodeIP}/24`, 'dev', 'eth0');
    await ip('-n', ns, 'link', 'set', 'eth0', 'up');
    await ip('-n', ns, 'link', 'set', 'eth1', 'up');
    await ip('-n', ns, 'route', 'add', 'default', 'via', '10.251.0.1', 'dev', 'eth0'); // as a real node has (ClusterIPs need a route)
    // containerd joins the node's network namespace only (nsenter --net keeps /sys and its cgroup mounts).
    const wrapper = join(dir, 'containerd-in-node.sh');
    writeFileSync(wrapper, `#!/bin/sh\nexec nsenter --net=/run/netns/${ns} containerd "$@"\n`);
    chmodSync(wrapper, 0o755);
    containerd = await startContainerd({ dir: join(dir, 'containerd'), containerdBin: wrapper });
    cri = new CriClient(containerd.socket);
    const images = buildImages(join(dir, 'images'));
    mkdirSync(join(dir, 'state'), { recursive: true });
    const config: AgentConfig = {
      nodeName: name,
      apiServer: cluster.core.api.url,
      token: cluster.core.auth.nodeToken(name),
      caCertPem: cluster.core.caCertPem,
      nodeIP,
      listenAddress: '127.0.0.1:0', // in-process agents share the host's loopback: any free port
      serverToken: `agent-server-${tag}`,
      containerdSocket: containerd.socket,
      stateDir: join(dir, 'state'),
      logDir: join(dir, 'logs'),
      cniConfDir: containerd.paths.cniConfDir,
      cniBinDir: '/usr/lib/cni',
      cniDataDir: join(dir, 'cni-ipam'),
      bridgeName: 'fltbr0',
      clusterCIDR: '10.244.0.0/16',
      serviceCIDR: '10.96.0.0/16',
      cgroupParent,
      imageTarballs: images.map((i) => i.file),
      leaseRenewSeconds: 1,
      statusReportSeconds: 1,
      backoffBaseSeconds: 1,
      backoffMaxSeconds: 4,
      nodeLabels: { 'flotilla.dev/provider': 'test' },
      ...overrides,
    };
    return { name, ns, nodeIP, podCIDR, dir, containerd, cri, exec: netnsExec(ns), config, images, teardown };
  } catch (err) {
    await teardown();
    throw err;
  }
}

/** Plays the node IPAM controller: sets spec.podCIDR once the Node exists (unless someone already did). */
export async function assignPodCIDR(client: ApiClient, node: string, cidr: string, timeoutMs = 20_000): Promise<string> {
  return pollUntil(async () => {
    const n = await client.get<Node>(NODES, node);
    if (n.spec?.podCIDR) return n.spec.podCIDR;
    await client.patch(NODES, node, { spec: { podCIDR: cidr, podCIDRs: [cidr] } }, 'merge');
    return cidr;
  }, timeoutMs, `node ${node} registered and given a pod CIDR`, 50);
}

/** GET http://host:port/ from inside the node's namespace; the body or an error text. */
export async function httpFromNode(node: TestNode, host: string, port: number): Promise<string> {
  const script = `require('http').get({host:${JSON.stringify(host)},port:${port},path:'/',timeout:2000},(r)=>{let b='';r.on('data',(c)=>b+=c);r.on('end',()=>process.stdout.write(b));}).on('error',(e)=>{process.stdout.write('ERR '+e.code);}).on('timeout',function(){this.destroy(new Error('timeout'));});`;
  return run(node.exec, [process.execPath, '-e', script]);
}

export function podSpecOf(name: string, nodeName: string, spec: Partial<NonNullable<Pod['spec']>>): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: { nodeName, terminationGracePeriodSeconds: 3, containers: [], ...spec },
  };
}

/** An agent for the test node, quick to sync and to reconnect, logging into `logs`. */
export function newTestAgent(node: TestNode, logs: string[], opts: AgentOptions = {}): Agent {
  return new Agent(node.config, {
    exec: node.exec, log: (l) => logs.push(l), podSyncIntervalMs: 200, proxyMinSyncIntervalMs: 100, reconnectBackoffMs: 100, ...opts,
  });
}

/** Starts an agent for the test node, gives the node its pod CIDR, and resolves once the agent is up. */
export async function startTestAgent(cluster: TestCluster, node: TestNode, logs: string[], opts: AgentOptions = {}): Promise<Agent> {
  const agent = newTestAgent(node, logs, opts);
  const started = agent.start();
  node.podCIDR = await assignPodCIDR(cluster.client, node.name, node.podCIDR);
  await started;
  return agent;
}

/** Waits for the namespace's default ServiceAccount (its controller makes it; pods are refused without it). */
export async function waitForDefaultServiceAccount(cluster: TestCluster, namespace = 'default'): Promise<void> {
  await pollUntil(() => cluster.client.get(R.serviceaccounts, 'default', namespace).then(() => true, () => false), 20_000, `the default ServiceAccount of ${namespace}`);
}

/** Stops what a suite started (each part only if it got that far), then prints the agent's last log lines. */
export async function stopTestStack(parts: { agent?: Agent; node?: TestNode; cluster?: TestCluster }, logs: string[]): Promise<void> {
  await parts.agent?.stop();
  await parts.node?.teardown();
  await parts.cluster?.stop();
  if (logs.length) console.log(logs.slice(-30).join('\n'));
}

/**
 * A control plane, a test node and its agent, up once the default ServiceAccount exists (so pods are
 * admitted); what got started is stopped again when a later step fails.
 */
export async function startAgentStack(logs: string[], opts: AgentOptions = {}): Promise<{ cluster: TestCluster; node: TestNode; agent: Agent }> {
  const cluster = await startTestCluster();
  let node: TestNode | undefined;
  let agent: Agent | undefined;
  try {
    node = await startTestNode(cluster);
    agent = await startTestAgent(cluster, node, logs, opts);
    await waitForDefaultServiceAccount(cluster);
    return { cluster, node, agent };
  } catch (e) {
    await stopTestStack({ agent, node, cluster }, logs);
    throw e;
  }
}
