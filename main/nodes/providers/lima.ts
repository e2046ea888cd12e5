// The Lima provider: one `limactl` instance per node, LIMA_HOME under the data dir (D/lima) so the
// user's own instances are never touched. Template vm-images/lima/worker.yaml; SSH as root with the
// app's key (authorised by the template's provision script) to 127.0.0.1:sshLocalPort; state from
// `limactl list --json`; the guest's inter-VM address from `ip -4 -j addr show` in the guest.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MachineProvider } from '../../api/types';
import type { Availability, CreateSpec, MachineInfo, ProgressFn, Provider } from '../types';
import { clientKey } from '../keys';
import { CommandError, runCmd, type RunResult } from '../exec';
import { guestIPFromIpJson, parseLimaList, parseSshConfig, type LimaInstance } from './lima-parse';
import { KnownHosts } from './known-hosts';

export interface LimaProviderOptions {
  dataDir: string;
  limactl?: string;
  template?: string;
  /** Boot timeout passed to `limactl start --timeout` (default 10m). */
  timeout?: string;
}

export function defaultLimaTemplate(): string {
  const candidates = [path.resolve(__dirname, '../../../vm-images/lima/worker.yaml'), path.resolve(process.cwd(), 'vm-images/lima/worker.yaml')];
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0];
}

/** The argv of `limactl start` creating instance `name` from the template. */
export function limaStartArgv(limactl: string, template: string, spec: CreateSpec, publicKey: string, timeout: string): string[] {
  return [
    limactl, 'start', `--name=${spec.name}`, '--tty=false', `--timeout=${timeout}`,
    `--cpus=${spec.cpus}`, `--memory=${Math.max(1, Math.round(spec.memoryMiB / 1024))}`, `--disk=${spec.diskGiB}`,
    '--set', `.param.FLOTILLA_PUBKEY = ${JSON.stringify(publicKey)}`,
    template,
  ];
}

function tail(file: string, lines: number): string {
  try { return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n'); } catch { return ''; }
}

export class LimaProvider implements Provider {
  readonly name: MachineProvider = 'lima';
  readonly home: string;
  private readonly limactl: string;
  private readonly known: KnownHosts;

  constructor(private readonly o: LimaProviderOptions) {
    this.home = path.join(o.dataDir, 'lima');
    this.limactl = o.limactl ?? process.env.FLOTILLA_LIMACTL ?? 'limactl';
    this.known = new KnownHosts(path.join(o.dataDir, 'lima-known-hosts'));
  }

  private run(args: string[], timeoutMs?: number): Promise<RunResult> {
    fs.mkdirSync(this.home, { recursive: true, mode: 0o700 });
    return runCmd([this.limactl, ...args], { env: { ...process.env, LIMA_HOME: this.home }, timeoutMs });
  }

  private async must(args: string[], timeoutMs?: number): Promise<string> {
    const r = await this.run(args, timeoutMs);
    if (r.code !== 0) throw new CommandError([this.limactl, ...args], r);
    return r.stdout;
  }

  async available(): Promise<Availability> {
    const r = await this.run(['--version']);
    if (r.code === 127) return { ok: false, reason: 'limactl is not installed (Lima: https://lima-vm.io; on macOS `brew install lima`)' };
    if (r.code !== 0) return { ok: false, reason: `limactl does not work here: ${(r.stderr || r.stdout).trim().split('\n').pop() ?? ''}` };
    return { ok: true, reason: `a Lima virtual machine (${r.stdout.trim()})` };
  }

  async instances(): Promise<LimaInstance[]> {
    return parseLimaList(await this.must(['list', '--json']));
  }

  private async instance(name: string): Promise<LimaInstance | undefined> {
    return (await this.instances()).find((i) => i.name === name);
  }

  private async info(inst: LimaInstance): Promise<MachineInfo> {
    const base: MachineInfo = {
      name: inst.name, provider: 'lima', state: inst.status === 'Running' ? 'Running' : inst.status === 'Stopped' ? 'Stopped' : inst.status === 'Broken' ? 'Broken' : 'Starting',
      cgroupParent: '', services: 'systemd', cniBridge: 'cni0', nodeBinary: 'node', message: inst.message || undefined,
    };
    if (inst.status !== 'Running') return base;
    const cfgFile = inst.sshConfigFile || path.join(inst.dir, 'ssh.config');
    const cfg = fs.existsSync(cfgFile) ? parseSshConfig(fs.readFileSync(cfgFile, 'utf8')) : { identityFiles: [] };
    const port = inst.sshLocalPort || cfg.port || 0;
    if (!port) throw new Error(`Lima instance ${inst.name} has no SSH port (limactl list shows sshLocalPort 0)`);
    const ipOut = await this.must(['shell', '--workdir=/', inst.name, 'ip', '-4', '-j', 'addr', 'show']);
    const ip = guestIPFromIpJson(ipOut);
    if (!ip) throw new Error(`could not find the inter-VM address of Lima instance ${inst.name} (user-v2 network) in: ${ipOut.trim().slice(0, 200)}`);
    return {
      ...base, internalIP: ip,
      ssh: { host: inst.sshAddress || cfg.hostName || '127.0.0.1', port, user: 'root', privateKey: clientKey(this.o.dataDir).privateKey, hostKey: this.known.get(inst.name) },
    };
  }

  private bootFailure(name: string, e: unknown): Error {
    const dir = path.join(this.home, name);
    const serial = ['serial.log', 'serialv.log', 'serialp.log'].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    const log = serial ? tail(serial, 10) : '';
    const base = e instanceof Error ? e.message : String(e);
    return new Error(`${base}${log ? `\nlast lines of ${path.basename(serial ?? '')}:\n${log}` : ''}`);
  }

  async create(spec: CreateSpec, progress: ProgressFn): Promise<MachineInfo> {
    const existing = await this.instance(spec.name);
    if (existing?.status === 'Running') return this.info(existing);
    if (existing) return this.start(spec.name, progress);
    progress(`creating Lima instance ${spec.name} (first boot can take minutes while the image downloads)`);
    const argv = limaStartArgv(this.limactl, this.o.template ?? defaultLimaTemplate(), spec, clientKey(this.o.dataDir).publicKey, this.o.timeout ?? '10m');
    const r = await this.run(argv.slice(1));
    if (r.code !== 0) throw this.bootFailure(spec.name, new CommandError(argv, r));
    const inst = await this.instance(spec.name);
    if (!inst || inst.status !== 'Running') throw this.bootFailure(spec.name, new Error(`Lima instance ${spec.name} is ${inst?.status ?? 'missing'} after start${inst?.errors.length ? `: ${inst.errors.join('; ')}` : ''}`));
    return this.info(inst);
  }

  async start(name: string, progress?: ProgressFn): Promise<MachineInfo> {
    const inst = await this.instance(name);
    if (!inst) throw new Error(`Lima instance ${name} does not exist`);
    if (inst.status !== 'Running') {
      progress?.(`starting Lima instance ${name}`);
      const args = ['start', '--tty=false', `--timeout=${this.o.timeout ?? '10m'}`, name];
      const r = await this.run(args);
      if (r.code !== 0) throw this.bootFailure(name, new CommandError([this.limactl, ...args], r));
    }
    const again = await this.instance(name);
    if (!again || again.status !== 'Running') throw this.bootFailure(name, new Error(`Lima instance ${name} is ${again?.status ?? 'missing'} after start`));
    return this.info(again);
  }

  async stop(name: string): Promise<void> {
    const inst = await this.instance(name);
    if (!inst || inst.status !== 'Running') return;
    const r = await this.run(['stop', name]);
    if (r.code !== 0) await this.must(['stop', '-f', name]);
  }

  async delete(name: string): Promise<void> {
    if (await this.instance(name)) await this.must(['delete', '-f', name]);
    this.known.forget(name);
  }

  async list(): Promise<MachineInfo[]> {
    if (!fs.existsSync(this.home)) return [];
    const out: MachineInfo[] = [];
    for (const i of await this.instances()) {
      try { out.push(await this.info(i)); } catch (e) {
        out.push({ name: i.name, provider: 'lima', state: 'Broken', cgroupParent: '', services: 'systemd', cniBridge: 'cni0', nodeBinary: 'node', message: e instanceof Error ? e.message : String(e) });
      }
    }
    return out;
  }

  rememberHostKey(name: string, hostKey: string): void {
    this.known.set(name, hostKey);
  }
}
