// The sandbox provider: worker nodes as namespaces on this Linux host (this folder).
import * as fs from 'node:fs';
import type { MachineProvider } from '../../../api/types';
import type { Availability, CreateSpec, MachineInfo, ProgressFn, Provider } from '../../types';
import { clientKey, generateKeyPair } from '../../keys';
import { DEFAULT_SANDBOX_CONFIG, loadSandboxConfig, readSandboxConfig, type SandboxConfig } from './config';
import { allocateIP, hostPathFor, hostPathOf, listNodeStates, readNodeState, vethName, writeNodeState, type SandboxNodeState } from './node-state';
import { bootNode, destroyNode, haltNode, nodeRunning } from './node';
import { prepareNodeDisk } from './disk';
import { writeSshdFiles } from './sshd';
import { onPath, runCmd } from '../../exec';

export interface SandboxProviderOptions {
  dataDir: string;
  config?: Partial<SandboxConfig>;
}

export class SandboxProvider implements Provider {
  readonly name: MachineProvider = 'sandbox';
  private readonly dataDir: string;
  private readonly wanted?: Partial<SandboxConfig>;
  private cfg?: SandboxConfig;
  /** Serialises address allocation and host setup within this process. */
  private lock: Promise<unknown> = Promise.resolve();

  constructor(opts: SandboxProviderOptions) {
    this.dataDir = opts.dataDir;
    this.wanted = opts.config;
  }

  /** The data dir's bridge, subnet and prefix (saved on first use; a saved one always wins). */
  get config(): SandboxConfig {
    this.cfg ??= loadSandboxConfig(this.dataDir, this.wanted);
    return this.cfg;
  }

  async available(): Promise<Availability> {
    if (process.platform !== 'linux') return { ok: false, reason: 'sandbox nodes need Linux (they are network namespaces on this machine)' };
    if (process.getuid?.() !== 0) return { ok: false, reason: 'sandbox nodes need root (run Flotilla as root, or pick a VM provider)' };
    const missing = ['containerd', 'runc', 'ctr', 'flock', 'sshd', 'nsenter', 'unshare', 'ip', 'iptables'].filter((c) => !onPath(c));
    if (missing.length) return { ok: false, reason: `missing on this machine: ${missing.join(', ')} (run \`npm run setup\`)` };
    if (!fs.existsSync('/usr/lib/cni/bridge') && !fs.existsSync('/opt/cni/bin/bridge')) return { ok: false, reason: 'the CNI plugins are not installed (containernetworking-plugins; run `npm run setup`)' };
    return { ok: true, reason: 'a lightweight node in a network namespace on this machine' };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.lock.then(fn, fn);
    this.lock = next.catch(() => undefined);
    return next;
  }

  private info(s: SandboxNodeState, up: boolean): MachineInfo {
    // Looking at existing nodes (list, down) never chooses or registers a network: only making and booting nodes does.
    const prefix = (this.cfg ?? readSandboxConfig(this.dataDir) ?? DEFAULT_SANDBOX_CONFIG).prefix;
    return {
      name: s.name, provider: 'sandbox', state: up ? 'Running' : 'Stopped', internalIP: s.ip,
      ssh: { host: s.ip, port: 22, user: 'root', privateKey: clientKey(this.dataDir).privateKey, hostKey: s.hostKey },
      cgroupParent: `/${s.cgroup}`, services: 'supervise', nodeBinary: process.execPath, cniBridge: `${prefix.slice(0, 6)}c${s.ip.split('.')[3]}`.slice(0, 15),
      hostPath: (p) => hostPathOf(this.dataDir, s.name, p),
    };
  }

  /** Host path of a path inside the node (under its bound directories), e.g. the containerd socket. */
  hostPath(name: string, nodePath: string): string {
    const p = hostPathOf(this.dataDir, name, nodePath);
    if (!p) throw new Error(`${nodePath} is not under a per-node directory`);
    return p;
  }

  state(name: string): SandboxNodeState | undefined {
    return readNodeState(this.dataDir, name);
  }

  async create(spec: CreateSpec, progress: ProgressFn): Promise<MachineInfo> {
    const s = await this.serial(async () => {
      const existing = readNodeState(this.dataDir, spec.name);
      if (existing) {
        // A half-made machine: boot it with the size asked for now.
        const sized = { ...existing, cpus: spec.cpus, memoryMiB: spec.memoryMiB };
        writeNodeState(this.dataDir, sized);
        return sized;
      }
      progress(`allocating an address on ${this.config.bridge} (${this.config.subnet})`);
      const host = generateKeyPair(`flotilla-${spec.name}`);
      const fresh: SandboxNodeState = {
        name: spec.name, ip: allocateIP(this.dataDir, this.config), netns: `${this.config.prefix}-${spec.name}`,
        cgroup: `${this.config.prefix}-${spec.name}`, veth: vethName(this.config, spec.name), hostKey: host.publicKey,
        cpus: spec.cpus, memoryMiB: spec.memoryMiB, diskGiB: spec.diskGiB,
      };
      writeNodeState(this.dataDir, fresh);
      progress(`making the node's ${spec.diskGiB} GiB disk (a sparse ext4 image, loop-mounted)`);
      await prepareNodeDisk(this.dataDir, spec.name, spec.diskGiB);
      writeSshdFiles(hostPathFor(this.dataDir, spec.name, '/etc/flotilla'), fresh.ip, host.privateKey, clientKey(this.dataDir).publicKey);
      return fresh;
    });
    progress(`starting sandbox node ${s.name} at ${s.ip} (${spec.cpus} CPU, ${spec.memoryMiB} MiB; namespaces, cgroup, sshd)`);
    await bootNode(this.dataDir, this.config, s);
    return this.info(s, true);
  }

  /**
   * A free address on this data dir's bridge for a node of another provider that joins it (QEMU VMs),
   * allocated under the same lock as sandbox nodes' addresses; `take` must record it before returning.
   */
  reserveAddress<T>(take: (ip: string, config: SandboxConfig) => T): Promise<T> {
    return this.serial(async () => take(allocateIP(this.dataDir, this.config), this.config));
  }

  async start(name: string, progress?: ProgressFn): Promise<MachineInfo> {
    const s = readNodeState(this.dataDir, name);
    if (!s) throw new Error(`sandbox node ${name} does not exist`);
    progress?.(`starting sandbox node ${name} at ${s.ip}`);
    await this.serial(() => bootNode(this.dataDir, this.config, s));
    return this.info(s, true);
  }

  async stop(name: string): Promise<void> {
    const s = readNodeState(this.dataDir, name);
    if (s) await haltNode(this.dataDir, s);
  }

  async delete(name: string): Promise<void> {
    const s = readNodeState(this.dataDir, name);
    if (s) await destroyNode(this.dataDir, s);
  }

  async list(): Promise<MachineInfo[]> {
    const out: MachineInfo[] = [];
    if (!readSandboxConfig(this.dataDir)) return out;
    for (const s of listNodeStates(this.dataDir)) out.push(this.info(s, await nodeRunning(this.dataDir, s)));
    return out;
  }

  /** Whether `ip netns` knows the node (used by `down` and tests). */
  async netnsPresent(name: string): Promise<boolean> {
    const s = readNodeState(this.dataDir, name);
    if (!s) return false;
    return (await runCmd(['ip', 'netns', 'list'])).stdout.split('\n').some((l) => l.split(' ')[0] === s.netns);
  }
}
