// A real QEMU VM node beside a sandbox node (TCG on a machine without /dev/kvm): `flotilla node add
// --provider qemu` boots Debian's kernel from the image this project builds, the node bootstraps over
// SSH like any other and becomes Ready with the Machine's CPUs, memory and disk as its capacity; a pod
// on the VM answers a pod on the sandbox node by pod IP and by ClusterIP (one L2 bridge, host-gw
// routes); logs and exec go through SSH; removing the Machine drains the node and deletes the VM,
// leaving no process, tap or disk. A VM that cannot boot fails with QEMU's words and leaves nothing.
// The image is built once into QEMU_TEST_IMAGE_CACHE and kept there on purpose (across test files
// and runs; a new recipe hash builds anew and the older images are pruned by qemu-image.test.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { parseQuantity } from '../../../main/api/quantity';
import { startTestCluster, waitFor, waitForReadyNode, type TestCluster } from '../../helpers/cluster';
import { skipWithoutAgent, stopClusterWithNodes, uniqueSandbox } from './support';
import { QEMU_TEST_IMAGE_CACHE, qemuLeftovers } from './qemu-support';
import { QemuProvider } from '../../../main/nodes/providers/qemu/provider';
import { SandboxProvider } from '../../../main/nodes/providers/sandbox/provider';
import { runFlotilla } from '../../helpers/flotilla-cli';

const HELLO = 'docker.io/flotilla/hello:1';
const VM = 'vm-1';

const flotilla = runFlotilla;

const pod = (name: string, node: string): string => `
apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: default, labels: { app: ${name} } }
spec:
  nodeName: ${node}
  terminationGracePeriodSeconds: 1
  containers: [{ name: app, image: ${HELLO}, ports: [{ name: http, containerPort: 8080 }] }]
`;

describe.skipIf(skipWithoutAgent)('a QEMU VM node beside a sandbox node', () => {
  const cfg = uniqueSandbox(23);
  const logs: string[] = [];
  let c: TestCluster;
  let sandboxNode = '';

  beforeAll(async () => {
    process.env.FLOTILLA_QEMU_IMAGE_CACHE = QEMU_TEST_IMAGE_CACHE;
    c = await startTestCluster({ nodes: { sandbox: cfg, nodes: 1, provider: 'sandbox', readyTimeoutMs: 600_000, log: (l) => logs.push(l) } });
    await waitForReadyNode(c, 180_000);
    const nodes = await c.client.list<Node & KObject>(R.nodes);
    sandboxNode = nodes.items[0]?.metadata?.name ?? '';
  }, 300_000);

  afterAll(async () => {
    if (!c) return;
    const dataDir = c.core.dataDir;
    await stopClusterWithNodes(c, cfg, logs);
    expect(qemuLeftovers(dataDir, cfg.prefix)).toEqual([]);
  }, 180_000);

  it('flotilla node add --provider qemu boots a VM that becomes a Ready node sized as the Machine', async () => {
    const env = { ...process.env, FLOTILLA_SANDBOX_BRIDGE: cfg.bridge, FLOTILLA_SANDBOX_SUBNET: cfg.subnet, FLOTILLA_SANDBOX_PREFIX: cfg.prefix };
    const r = await flotilla(['node', 'add', '--provider', 'qemu', '--name', VM, '--cpus', '2', '--memory', '1G', '--disk', '5', '--timeout', '1500', '--data-dir', c.core.dataDir], env, 1_600_000);
    if (r.code !== 0) console.error(r.stdout, r.stderr, logs.join('\n'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/machine vm-1 \(qemu\) created/);
    expect(r.stdout).toMatch(/booting QEMU VM vm-1 at 10\.251\.\d+\.\d+ with (TCG|KVM)/);
    expect(r.stdout).toMatch(/node vm-1 is Ready\n$/);
    const n = await c.client.get<Node & KObject>(R.nodes, VM);
    expect(n.metadata?.labels?.['flotilla.dev/provider']).toBe('qemu');
    expect(n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address).toMatch(new RegExp(`^${cfg.subnet.replace('.0/24', '').replace(/\./g, '\\.')}\\.\\d+$`));
    const cap = n.status?.capacity ?? {};
    expect(cap.cpu).toBe('2');
    // The guest's MemTotal: -m 1024M less what the firmware and kernel keep.
    expect(parseQuantity(cap.memory ?? '0')).toBeGreaterThan(800 * 2 ** 20);
    expect(parseQuantity(cap.memory ?? '0')).toBeLessThanOrEqual(1024 * 2 ** 20);
    // The root file system grown to the 5 GiB disk at first boot (ext4 keeps some for itself).
    expect(parseQuantity(cap['ephemeral-storage'] ?? '0')).toBeGreaterThan(4.5 * 2 ** 30);
    const m = await c.client.get<KObject>(R.machines, VM);
    expect(JSON.stringify(m.status)).toMatch(/qemu machine is up \(QEMU (TCG|KVM): /);
    // The kernel is the guest's own (Debian's), not the host's.
    expect(n.status?.nodeInfo?.kernelVersion).toMatch(/-amd64$/);
  }, 1_700_000);

  it('a pod on the VM answers a pod on the sandbox node by pod IP and ClusterIP; logs and exec go through SSH', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: pod('on-vm', VM) + '---\n' + pod('on-sandbox', sandboxNode), timeoutMs: 60_000 });
    await c.kubectlOk(['expose', 'pod', 'on-vm', '--port', '80', '--target-port', '8080'], { timeoutMs: 30_000 });
    await c.kubectlOk(['wait', '--for=condition=Ready', 'pod/on-vm', 'pod/on-sandbox', '--timeout=600s'], { timeoutMs: 620_000 });
    const vmPod = await c.client.get<Pod & KObject>(R.pods, 'on-vm', 'default');
    const svc = await c.client.get<KObject & { spec?: { clusterIP?: string } }>(R.services, 'on-vm', 'default');
    const from = (url: string): Promise<string> => c.kubectl(['exec', 'on-sandbox', '--', 'busybox', 'timeout', '5', 'wget', '-q', '-O', '-', url], { timeoutMs: 30_000 }).then((x) => x.stdout);
    await waitFor(async () => (await from(`http://${vmPod.status?.podIP}:8080/`)).includes('Hello from on-vm'), 'the VM pod by pod IP', 60_000);
    await waitFor(async () => (await from(`http://${svc.spec?.clusterIP}/`)).includes('Hello from on-vm'), 'the VM pod by ClusterIP', 60_000);
    const exec = await c.kubectlOk(['exec', 'on-vm', '--', 'cat', '/proc/sys/kernel/hostname'], { timeoutMs: 60_000 });
    expect(exec.trim()).toBe('on-vm');
    await waitFor(async () => (await c.kubectl(['logs', 'on-vm'], { timeoutMs: 30_000 })).stdout.length > 0, 'the VM pod\'s logs', 60_000);
    // cAdvisor's page of a VM node (no node cgroup: the machine's root is id "/", containers are containerd's /k8s.io/<id>).
    const cadvisor = await c.kubectlOk(['get', '--raw', `/api/v1/nodes/${VM}/proxy/metrics/cadvisor`], { timeoutMs: 60_000 });
    expect(cadvisor).toMatch(/^container_cpu_usage_seconds_total\{container="",cpu="total",id="\/",image="",name="",namespace="",pod=""\} [\d.e+]+ \d{13}$/m);
    expect(cadvisor).toMatch(/^container_memory_working_set_bytes\{container="app",id="\/k8s\.io\/[0-9a-f]{64}",image="docker\.io\/flotilla\/hello:1",name="[0-9a-f]{64}",namespace="default",pod="on-vm"\} [\d.e+]+ \d{13}$/m);
    expect(cadvisor).toMatch(/^container_network_receive_bytes_total\{container="",id="\/k8s\.io\/[0-9a-f]{64}",image="[^"]+",interface="eth0",name="[0-9a-f]{64}",namespace="default",pod="on-vm"\} \d+ \d{13}$/m);
  }, 900_000);

  it('removing the Machine drains the node and deletes the VM: no process, tap or disk is left', async () => {
    const dataDir = c.core.dataDir;
    const state = JSON.parse(fs.readFileSync(path.join(dataDir, 'qemu', 'nodes', VM, 'vm.json'), 'utf8')) as { tap: string };
    await c.kubectlOk(['delete', 'machine', VM, '--wait=false'], { timeoutMs: 30_000 });
    await waitFor(async () => (await c.client.get<Pod & KObject>(R.pods, 'on-vm', 'default').then(() => false, () => true)), 'the VM pod evicted', 300_000);
    await waitFor(async () => (await c.client.get(R.machines, VM).then(() => false, () => true)), 'the Machine gone', 300_000);
    await expect(c.client.get(R.nodes, VM)).rejects.toThrow();
    expect(qemuLeftovers(dataDir, cfg.prefix)).toEqual([]);
    expect(execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })).not.toContain(`${state.tap}:`);
  }, 600_000);

  it('a VM that cannot boot fails with QEMU\'s words and leaves nothing behind', async () => {
    const dataDir = c.core.dataDir;
    const sandbox = new SandboxProvider({ dataDir, config: cfg });
    const p = new QemuProvider({ dataDir, sandbox, imageCache: QEMU_TEST_IMAGE_CACHE, kernel: '/nonexistent/vmlinuz' });
    const err = await p.create({ name: 'vm-broken', cpus: 1, memoryMiB: 512, diskGiB: 5 }, () => undefined).then(() => undefined, (e: unknown) => e as Error);
    expect(err?.message).toMatch(/QEMU did not start \(exit 1\): .*\/nonexistent\/vmlinuz/s);
    expect((err as { reason?: string }).reason).toBe('VMBootFailed');
    await p.delete('vm-broken');
    expect(qemuLeftovers(dataDir, cfg.prefix)).toEqual([]);
  }, 120_000);
});
