// Where things live on every node (VM or sandbox): one layout, so bootstrap is one code path.
import type { ContainerdPaths } from '../protocol/containerd-config';

export const NODE = {
  libDir: '/var/lib/flotilla',
  binDir: '/var/lib/flotilla/bin',
  runDir: '/var/lib/flotilla/run',
  imagesDir: '/var/lib/flotilla/images',
  agentBundle: '/var/lib/flotilla/agent.js',
  agentStateDir: '/var/lib/flotilla/agent',
  supervise: '/var/lib/flotilla/bin/supervise',
  etcDir: '/etc/flotilla',
  agentConfig: '/etc/flotilla/agent.json',
  containerdConfig: '/etc/flotilla/containerd.toml',
  logDir: '/var/log/flotilla',
  podLogDir: '/var/log/pods',
  cniConfDir: '/etc/cni/net.d',
  cniBinDir: '/usr/lib/cni',
  cniDataDir: '/var/lib/cni/networks',
  containerdSocket: '/run/containerd/containerd.sock',
  apiPort: 6443,
  agentPort: 10250,
  path: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
} as const;

/**
 * Node's flags for the agent. --jitless: V8 interprets and never compiles machine code. The agent's work is waiting on
 * containerd, the API and the kernel, and without the compilers an idle agent is ≈ 8 MB smaller (their code in the
 * node binary is never paged in, no compiled code or its metadata on the heap); no dependency of the agent uses
 * WebAssembly, which --jitless turns off. --max-semi-space-size=1 keeps V8's young generation at 1 MB per semi-space
 * (it grows to 16 under the allocation of 50 pods' status work) and --optimize-for-size has V8 grow the old generation
 * less eagerly: with 50 pods the agent is ≈ 66 MB instead of ≈ 86 MB (semi-space alone ≈ 74), for ≈ 0.2–0.3 % of a
 * core more. --no-node-snapshot: node's own start-up JavaScript is compiled instead of read from the snapshot in the
 * binary, whose pages then stay out of memory (≈ 2.5 MB less, ≈ 60 ms more to start). --v8-pool-size=1: one V8 worker
 * thread (for the collector; no compiler runs without the JIT) instead of four. Every one of these is known to node 18
 * and later; the agent sets its newer V8 tuning itself (vm-images/agent/v8-tuning.ts). `bench footprint` measures both
 * sides (README).
 */
export const AGENT_NODE_FLAGS: readonly string[] = [
  '--jitless', '--max-semi-space-size=1', '--optimize-for-size', '--no-node-snapshot', '--v8-pool-size=1',
];

/**
 * The agent's environment. glibc raises its threshold for serving an allocation with its own mapping each time such a
 * mapping is freed, so that after start-up (bundle and images read once) later allocations of up to megabytes come from
 * the heap and keep it large: fixed at 128 KiB, the idle agent's malloc heap is ≈ 5 MB instead of 5.7–8.6. One arena
 * for every thread (MALLOC_ARENA_MAX=1) instead of one per thread that ever allocated: the agent's threads are its
 * main thread, one V8 worker and libuv's pool, which seldom allocate at once.
 */
export const AGENT_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_ARENA_MAX: '1' };

export const NODE_CONTAINERD: ContainerdPaths = {
  dir: '/run/containerd',
  root: '/var/lib/containerd',
  state: '/run/containerd',
  socket: NODE.containerdSocket,
  runcRoot: '/run/containerd/runc',
  cniConfDir: NODE.cniConfDir,
  config: NODE.containerdConfig,
  log: `${NODE.logDir}/containerd.log`,
  certsDir: '/etc/flotilla/certs.d',
};

export const SERVICE_CIDR = '10.96.0.0/16';
