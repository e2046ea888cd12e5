// The Multipass provider: `multipass launch --cloud-init -` with the app's public key injected
// (vm-images/multipass/cloud-init.yaml) on stdin — the Linux snap cannot read a file in a hidden
// directory (snap `home` interface), and both default data dirs are hidden or under one — state and
// addresses from `multipass info`/`list --format json`, SSH as root to the management address on
// port 22; the host's own address on the VM's network (host-side.ts) is where the node reaches the host.
// Multipass instances are global to the host, so the provider only ever touches the
// instances it launched (multipass-records.ts: prefixed names plus a record per instance).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MachineProvider } from '../../api/types';
import type { Availability, CreateSpec, MachineInfo, ProgressFn, Provider } from '../types';
import { clientKey } from '../keys';
import { CommandError, runCmd, type RunResult } from '../exec';
import { PermanentError } from '../provision-errors';
import { managementIPv4, parseMultipassInfo, parseMultipassList, type MultipassInstance } from './multipass-parse';
import { MAX_INSTANCE_NAME, MultipassRecords, type MultipassRecord } from './multipass-records';
import { KnownHosts } from './known-hosts';
import { hostAddressOn, type HostInterfaces } from './host-side';
import { assetPath } from '../assets';

export interface MultipassProviderOptions {
  dataDir: string;
  multipass?: string;
  cloudInitTemplate?: string;
  image?: string;
  /** `multipass launch --timeout` in seconds (default 600: cloud-init installs packages). */
  timeoutSeconds?: number;
  /** The host's network interfaces (default: os.networkInterfaces()), where the host's address on a VM's network is found. */
  hostInterfaces?: () => HostInterfaces;
  /** The cluster's pod network: a pod-bridge address in it is never the VM's own (default 10.244.0.0/16). */
  clusterCIDR?: string;
}

export function defaultCloudInit(): string {
  return assetPath('multipass/cloud-init.yaml');
}

/** The cloud-init with our public key in place of __FLOTILLA_PUBKEY__ and the instance's identity in place of __FLOTILLA_INSTANCE_ID__. */
export function renderCloudInit(template: string, publicKey: string, instanceId: string): string {
  if (/[\n"]/.test(publicKey)) throw new Error('public key must be one line');
  if (!/^[0-9a-f]+$/.test(instanceId)) throw new Error('instance id must be hex');
  return template.split('__FLOTILLA_PUBKEY__').join(publicKey).split('__FLOTILLA_INSTANCE_ID__').join(instanceId);
}

/** The argv of `multipass launch`; the cloud-init goes on stdin. */
export function multipassLaunchArgv(bin: string, image: string, instance: string, spec: CreateSpec, timeoutSeconds: number): string[] {
  return [bin, 'launch', image, '--name', instance, '--cpus', String(spec.cpus), '--memory', `${spec.memoryMiB}M`, '--disk', `${spec.diskGiB}G`,
    '--cloud-init', '-', '--timeout', String(timeoutSeconds)];
}

/** Multipass's instance name rule (utils::valid_hostname) plus the hostname length limit. */
function nameProblem(instance: string): string | undefined {
  if (instance.length > MAX_INSTANCE_NAME) return `the Multipass instance name ${instance} is longer than ${MAX_INSTANCE_NAME} characters; choose a shorter machine name`;
  if (!/^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(instance)) return `${instance} is not a valid Multipass instance name (letters, digits and hyphens)`;
  return undefined;
}

export class MultipassProvider implements Provider {
  readonly name: MachineProvider = 'multipass';
  private readonly bin: string;
  private readonly known: KnownHosts;
  private readonly records: MultipassRecords;

  constructor(private readonly o: MultipassProviderOptions) {
    this.bin = o.multipass ?? process.env.FLOTILLA_MULTIPASS ?? 'multipass';
    this.known = new KnownHosts(path.join(o.dataDir, 'multipass', 'known-hosts'));
    this.records = new MultipassRecords(o.dataDir);
  }

  private run(args: string[], input?: string): Promise<RunResult> {
    return runCmd([this.bin, ...args], { input });
  }

  private async must(args: string[], input?: string): Promise<string> {
    const r = await this.run(args, input);
    if (r.code !== 0) throw new CommandError([this.bin, ...args], r);
    return r.stdout;
  }

  async available(): Promise<Availability> {
    const r = await this.run(['version']);
    if (r.code === 127) return { ok: false, reason: 'multipass is not installed (https://multipass.run; on Linux `snap install multipass`)' };
    if (r.code !== 0) return { ok: false, reason: `multipass does not work here: ${(r.stderr || r.stdout).trim().split('\n').pop() ?? ''}` };
    return { ok: true, reason: `a Multipass virtual machine (${r.stdout.trim().split('\n')[0]})` };
  }

  /** `multipass info` of one instance (Deleted ones included); undefined when it does not exist. */
  private async lookup(instance: string): Promise<MultipassInstance | undefined> {
    const args = ['info', instance, '--format', 'json'];
    const r = await this.run(args);
    if (r.code !== 0) {
      if (/does not exist/i.test(r.stderr)) return undefined;
      throw new CommandError([this.bin, ...args], r);
    }
    return parseMultipassInfo(r.stdout).instances.find((i) => i.name === instance);
  }

  private info(machine: string, i: MultipassInstance): MachineInfo {
    const ip = managementIPv4(i.ipv4, this.o.clusterCIDR);
    const running = i.state === 'Running';
    const hostAddress = running ? hostAddressOn(ip, this.o.hostInterfaces?.()) : undefined;
    return {
      name: machine, provider: 'multipass',
      state: running ? 'Running' : i.state === 'Stopped' || i.state === 'Suspended' ? 'Stopped' : i.state === 'Deleted' ? 'Missing' : 'Starting',
      internalIP: ip, ...(hostAddress ? { hostAddress } : {}), cgroupParent: '', services: 'systemd', cniBridge: 'cni0', nodeBinary: 'node',
      ssh: running && ip ? { host: ip, port: 22, user: 'root', privateKey: clientKey(this.o.dataDir).privateKey, hostKey: this.known.get(machine).hostKey } : undefined,
    };
  }

  private async running(rec: MultipassRecord): Promise<MachineInfo> {
    const i = await this.lookup(rec.instance);
    if (!i) throw new Error(`Multipass instance ${rec.instance} does not exist`);
    const ip = managementIPv4(i.ipv4, this.o.clusterCIDR);
    if (i.state !== 'Running' || !ip) throw new Error(`Multipass instance ${rec.instance} is ${i.state}${ip ? '' : ` and has no IPv4 address of its own (multipass lists ${i.ipv4.join(', ') || 'none'})`}`);
    return this.info(rec.machine, i);
  }

  async create(spec: CreateSpec, progress: ProgressFn): Promise<MachineInfo> {
    const rec = this.records.get(spec.name);
    const instance = rec?.instance ?? this.records.instanceName(spec.name);
    const bad = nameProblem(instance);
    if (bad) throw new PermanentError(bad);
    const existing = await this.lookup(instance);
    if (existing && !rec) {
      throw new PermanentError(`a Multipass instance named ${instance} already exists and was not made by this data dir; Flotilla leaves it alone`);
    }
    if (existing && existing.state !== 'Deleted') return existing.state === 'Running' ? this.running(rec!) : this.start(spec.name, progress);
    if (existing) await this.must(['delete', '--purge', instance]); // ours, deleted but not purged: make it anew
    const fresh = this.records.add(spec.name);
    progress(`launching Multipass instance ${instance} (cloud-init installs the node's packages)`);
    const cloudInit = renderCloudInit(fs.readFileSync(this.o.cloudInitTemplate ?? defaultCloudInit(), 'utf8'), clientKey(this.o.dataDir).publicKey, fresh.id);
    const argv = multipassLaunchArgv(this.bin, this.o.image ?? '24.04', instance, spec, this.o.timeoutSeconds ?? 600);
    await this.must(argv.slice(1), cloudInit);
    return this.running(fresh);
  }

  async start(name: string, progress?: ProgressFn): Promise<MachineInfo> {
    const rec = this.records.get(name);
    if (!rec) throw new Error(`machine ${name} has no Multipass instance made by this data dir`);
    const i = await this.lookup(rec.instance);
    if (!i) throw new Error(`Multipass instance ${rec.instance} does not exist`);
    if (i.state === 'Deleted') await this.must(['recover', rec.instance]);
    if (i.state !== 'Running') {
      progress?.(`starting Multipass instance ${rec.instance}`);
      await this.must(['start', rec.instance]);
    }
    return this.running(rec);
  }

  async stop(name: string): Promise<void> {
    const rec = this.records.get(name);
    const i = rec && await this.lookup(rec.instance);
    if (rec && i?.state === 'Running') await this.must(['stop', rec.instance]);
  }

  async delete(name: string): Promise<void> {
    const rec = this.records.get(name);
    if (rec && await this.lookup(rec.instance)) await this.must(['delete', '--purge', rec.instance]);
    this.records.remove(name);
    this.known.forget(name);
  }

  /** This data dir's machines, from one `multipass list` (so one instance multipass cannot inspect does not hide the rest). */
  async list(): Promise<MachineInfo[]> {
    const recs = this.records.all();
    if (!recs.length) return [];
    const all = new Map(parseMultipassList(await this.must(['list', '--format', 'json'])).map((i) => [i.name, i]));
    return recs.map((rec) => {
      const i = all.get(rec.instance);
      return i ? this.info(rec.machine, i) : { name: rec.machine, provider: 'multipass', state: 'Missing', cgroupParent: '', services: 'systemd', cniBridge: 'cni0', nodeBinary: 'node' };
    });
  }

  rememberHostKey(name: string, hostKey: string): void {
    this.known.set(name, { hostKey });
  }
}
