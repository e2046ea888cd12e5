// The Multipass provider: `multipass launch --cloud-init` with the app's public key injected
// (vm-images/multipass/cloud-init.yaml), state and IPv4 from `multipass info --format json`, SSH as
// root to the first IPv4 address on port 22. Multipass instances are global to the host, so the
// provider only ever touches the instances it launched (recorded in D/multipass/instances/).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MachineProvider } from '../../api/types';
import type { Availability, CreateSpec, MachineInfo, ProgressFn, Provider } from '../types';
import { clientKey } from '../keys';
import { CommandError, runCmd, type RunResult } from '../exec';
import { parseMultipassInfo, type MultipassInstance } from './multipass-parse';
import { KnownHosts } from './known-hosts';

export interface MultipassProviderOptions {
  dataDir: string;
  multipass?: string;
  cloudInitTemplate?: string;
  image?: string;
  /** `multipass launch --timeout` in seconds (default 600: cloud-init installs packages). */
  timeoutSeconds?: number;
}

export function defaultCloudInit(): string {
  const c = [path.resolve(__dirname, '../../../vm-images/multipass/cloud-init.yaml'), path.resolve(process.cwd(), 'vm-images/multipass/cloud-init.yaml')];
  return c.find((f) => fs.existsSync(f)) ?? c[0];
}

/** The cloud-init with our public key in place of __FLOTILLA_PUBKEY__. */
export function renderCloudInit(template: string, publicKey: string): string {
  if (/[\n"]/.test(publicKey)) throw new Error('public key must be one line');
  return template.split('__FLOTILLA_PUBKEY__').join(publicKey);
}

export function multipassLaunchArgv(bin: string, image: string, spec: CreateSpec, cloudInitFile: string, timeoutSeconds: number): string[] {
  return [bin, 'launch', image, '--name', spec.name, '--cpus', String(spec.cpus), '--memory', `${spec.memoryMiB}M`, '--disk', `${spec.diskGiB}G`,
    '--cloud-init', cloudInitFile, '--timeout', String(timeoutSeconds)];
}

export class MultipassProvider implements Provider {
  readonly name: MachineProvider = 'multipass';
  private readonly bin: string;
  private readonly dir: string;
  private readonly known: KnownHosts;

  constructor(private readonly o: MultipassProviderOptions) {
    this.bin = o.multipass ?? process.env.FLOTILLA_MULTIPASS ?? 'multipass';
    this.dir = path.join(o.dataDir, 'multipass');
    this.known = new KnownHosts(path.join(this.dir, 'known-hosts'));
  }

  private run(args: string[]): Promise<RunResult> {
    return runCmd([this.bin, ...args]);
  }

  private async must(args: string[]): Promise<string> {
    const r = await this.run(args);
    if (r.code !== 0) throw new CommandError([this.bin, ...args], r);
    return r.stdout;
  }

  private ours(): string[] {
    try { return fs.readdirSync(path.join(this.dir, 'instances')); } catch { return []; }
  }

  private mark(name: string, on: boolean): void {
    const f = path.join(this.dir, 'instances', name);
    if (on) { fs.mkdirSync(path.dirname(f), { recursive: true, mode: 0o700 }); fs.writeFileSync(f, ''); } else fs.rmSync(f, { force: true });
  }

  async available(): Promise<Availability> {
    const r = await runCmd([this.bin, 'version']);
    if (r.code === 127) return { ok: false, reason: 'multipass is not installed (https://multipass.run; on Linux `snap install multipass`)' };
    if (r.code !== 0) return { ok: false, reason: `multipass does not work here: ${(r.stderr || r.stdout).trim().split('\n').pop() ?? ''}` };
    return { ok: true, reason: `a Multipass virtual machine (${r.stdout.trim().split('\n')[0]})` };
  }

  private async instance(name: string): Promise<MultipassInstance | undefined> {
    const r = await this.run(['info', name, '--format', 'json']);
    if (r.code !== 0) {
      if (/does not exist|not found/i.test(r.stderr)) return undefined;
      throw new CommandError([this.bin, 'info', name, '--format', 'json'], r);
    }
    return parseMultipassInfo(r.stdout).instances.find((i) => i.name === name);
  }

  private info(i: MultipassInstance): MachineInfo {
    const ip = i.ipv4[0];
    const running = i.state === 'Running';
    return {
      name: i.name, provider: 'multipass', state: running ? 'Running' : i.state === 'Stopped' || i.state === 'Suspended' ? 'Stopped' : i.state === 'Deleted' ? 'Missing' : 'Starting',
      internalIP: ip, cgroupParent: '', services: 'systemd', cniBridge: 'cni0', nodeBinary: 'node',
      ssh: running && ip ? { host: ip, port: 22, user: 'root', privateKey: clientKey(this.o.dataDir).privateKey, hostKey: this.known.get(i.name) } : undefined,
    };
  }

  private async running(name: string): Promise<MachineInfo> {
    const i = await this.instance(name);
    if (!i) throw new Error(`Multipass instance ${name} does not exist`);
    if (i.state !== 'Running' || !i.ipv4[0]) throw new Error(`Multipass instance ${name} is ${i.state}${i.ipv4[0] ? '' : ' and has no IPv4 address'}`);
    return this.info(i);
  }

  async create(spec: CreateSpec, progress: ProgressFn): Promise<MachineInfo> {
    const existing = await this.instance(spec.name);
    if (existing && existing.state === 'Running') return this.info(existing);
    if (existing) return this.start(spec.name, progress);
    const file = path.join(this.dir, 'cloud-init', `${spec.name}.yaml`);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, renderCloudInit(fs.readFileSync(this.o.cloudInitTemplate ?? defaultCloudInit(), 'utf8'), clientKey(this.o.dataDir).publicKey), { mode: 0o600 });
    this.mark(spec.name, true);
    progress(`launching Multipass instance ${spec.name} (cloud-init installs the node's packages)`);
    const argv = multipassLaunchArgv(this.bin, this.o.image ?? '24.04', spec, file, this.o.timeoutSeconds ?? 600);
    await this.must(argv.slice(1));
    return this.running(spec.name);
  }

  async start(name: string, progress?: ProgressFn): Promise<MachineInfo> {
    const i = await this.instance(name);
    if (!i) throw new Error(`Multipass instance ${name} does not exist`);
    if (i.state !== 'Running') {
      progress?.(`starting Multipass instance ${name}`);
      await this.must(['start', name]);
    }
    return this.running(name);
  }

  async stop(name: string): Promise<void> {
    const i = await this.instance(name);
    if (i && i.state === 'Running') await this.must(['stop', name]);
  }

  async delete(name: string): Promise<void> {
    if (await this.instance(name)) await this.must(['delete', '--purge', name]);
    this.mark(name, false);
    this.known.forget(name);
    fs.rmSync(path.join(this.dir, 'cloud-init', `${name}.yaml`), { force: true });
  }

  async list(): Promise<MachineInfo[]> {
    const out: MachineInfo[] = [];
    for (const name of this.ours()) {
      const i = await this.instance(name);
      out.push(i ? this.info(i) : { name, provider: 'multipass', state: 'Missing', cgroupParent: '', services: 'systemd', cniBridge: 'cni0', nodeBinary: 'node' });
    }
    return out;
  }

  rememberHostKey(name: string, hostKey: string): void {
    this.known.set(name, hostKey);
  }
}
