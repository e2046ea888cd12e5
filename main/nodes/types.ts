// The contract between the node manager and the machine providers (sandbox, lima, multipass).
// Providers only manage machines; bootstrap (bootstrap.ts) is one code path for all of them.
import type { MachineProvider } from '../api/types';

export interface Availability {
  ok: boolean;
  /** Plain words: why not (not installed, not root, not Linux…), or what it is when ok. */
  reason: string;
}

/** How to reach a machine's sshd, and the host key to pin. */
export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
  /** OpenSSH-format private key. */
  privateKey: string;
  /**
   * The host key in OpenSSH public key format ("ssh-ed25519 AAAA…"); the connection must present exactly this.
   * Empty: learn on first connect (trust on first use, VMs).
   */
  hostKey: string;
}

/** How long-running node services are started: systemd units on VMs, a supervised process on sandbox nodes. */
export type ServiceManager = 'systemd' | 'supervise';

export interface MachineInfo {
  name: string;
  provider: MachineProvider;
  /** Running | Stopped | Missing | Broken | Starting, in provider-neutral words. */
  state: 'Running' | 'Stopped' | 'Starting' | 'Broken' | 'Missing';
  ssh?: SshEndpoint;
  /** The node's address on the inter-node network. */
  internalIP?: string;
  /**
   * VMs: the address the machine reaches the host at (host.flotilla.internal, the built-in registry): Lima's network
   * gateway, which Lima translates to the host's loopback; the host's own address on a Multipass VM's network.
   */
  hostAddress?: string;
  /** Pod cgroup parent (sandbox: the node's own cgroup); empty on VMs. */
  cgroupParent: string;
  services: ServiceManager;
  /** A name unique on this host for the node's CNI bridge. */
  cniBridge: string;
  /** The Node.js binary that runs the agent on the node (sandbox: this process's; VMs: the distro's `node`). */
  nodeBinary: string;
  /**
   * Where a path of the node is on this host, if it is (sandbox: its directories are bound from the data dir):
   * bootstrap then copies files there instead of over SFTP.
   */
  hostPath?: (nodePath: string) => string | undefined;
  message?: string;
}

export interface CreateSpec {
  name: string;
  cpus: number;
  memoryMiB: number;
  diskGiB: number;
}

export type ProgressFn = (message: string) => void;

export interface Provider {
  readonly name: MachineProvider;
  available(): Promise<Availability>;
  /** Creates and boots the machine; idempotent for a half-made machine of the same name. */
  create(spec: CreateSpec, progress: ProgressFn): Promise<MachineInfo>;
  /** Boots an existing machine (no-op when running) and returns its endpoint. */
  start(name: string, progress?: ProgressFn): Promise<MachineInfo>;
  stop(name: string): Promise<void>;
  /** Destroys the machine and everything it made on the host; no error when absent. */
  delete(name: string): Promise<void>;
  list(): Promise<MachineInfo[]>;
  /** VMs: pin the host key learned on the first connection (trust on first use) for later ones. */
  rememberHostKey?(name: string, hostKey: string): void;
}
