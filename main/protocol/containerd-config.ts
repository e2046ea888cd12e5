// containerd 1.6 config.toml for one private instance rooted at a directory (facts: DESIGN.md "Facts established").
import { join } from 'node:path';

export interface ContainerdPaths {
  dir: string;
  root: string;
  state: string;
  socket: string;
  runcRoot: string;
  cniConfDir: string;
  config: string;
  log: string;
  /** containerd's registry hosts directory (\`config_path\`): <host[:port]>/hosts.toml, read afresh on every pull. */
  certsDir: string;
}

/** The pod sandbox (pause) image every node's containerd uses; the agent never removes it (containerd 1.6 reports no CRI pinned flag). */
export const SANDBOX_IMAGE = 'docker.io/flotilla/pause:1';

export function containerdPaths(dir: string): ContainerdPaths {
  return {
    dir,
    root: join(dir, 'root'),
    state: join(dir, 'state'),
    socket: join(dir, 'containerd.sock'),
    runcRoot: join(dir, 'runc'),
    cniConfDir: join(dir, 'cni', 'net.d'),
    config: join(dir, 'config.toml'),
    log: join(dir, 'containerd.log'),
    certsDir: join(dir, 'certs.d'),
  };
}

export interface ContainerdConfigOptions {
  sandboxImage?: string;
  cniBinDir?: string;
  /** Extra CRI settings that differ per node, e.g. a registry mirror. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

const q = (s: string): string => JSON.stringify(s);

export function containerdConfig(paths: ContainerdPaths, opts: ContainerdConfigOptions = {}): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `version = 2
root = ${q(paths.root)}
state = ${q(paths.state)}
# restart: the monitor of \`ctr run --restart\` containers, which lists containers every 10 s; CRI does not use it.
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs", "io.containerd.tracing.processor.v1.otlp",
  "io.containerd.internal.v1.restart"]

[grpc]
  address = ${q(paths.socket)}

[ttrpc]
  address = ${q(`${paths.socket}.ttrpc`)}

[debug]
  level = ${q(opts.logLevel ?? 'info')}

# The GC scheduler's idle period: with the default pause_threshold (0.02) it is the last collection's time × 49, about
# 100 ms for a small node's database, so an idle containerd woke ten times a second; 0 keeps it at 1 s (collections
# after a deletion still come within a second; CRI image removal collects synchronously).
[plugins."io.containerd.gc.v1.scheduler"]
  pause_threshold = 0.0

[plugins."io.containerd.internal.v1.opt"]
  path = ${q(join(paths.root, 'opt'))}

[${cri}]
  sandbox_image = ${q(opts.sandboxImage ?? SANDBOX_IMAGE)}
  restrict_oom_score_adj = true
  disable_apparmor = true
  tolerate_missing_hugetlb_controller = true
  netns_mounts_under_state_dir = true
  enable_selinux = false
  max_container_log_line_size = 16384
  # Snapshot (writable layer) disk usage: every 30 s instead of 10 s, an idle node's containerd wakes up less.
  stats_collect_period = 30

[${cri}.containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"

[${cri}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

[${cri}.containerd.runtimes.runc.options]
  SystemdCgroup = false
  Root = ${q(paths.runcRoot)}

[${cri}.cni]
  bin_dir = ${q(opts.cniBinDir ?? '/usr/lib/cni')}
  conf_dir = ${q(paths.cniConfDir)}
  max_conf_num = 1

[${cri}.registry]
  config_path = ${q(paths.certsDir)}
`;
}
