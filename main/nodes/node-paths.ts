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
