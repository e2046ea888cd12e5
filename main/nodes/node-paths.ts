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
 * core more. `bench footprint` measures both sides (README).
 */
export const AGENT_NODE_FLAGS: readonly string[] = ['--jitless', '--max-semi-space-size=1', '--optimize-for-size'];

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
