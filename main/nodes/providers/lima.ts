// The Lima provider: one `limactl` instance per node, in the data dir's own LIMA_HOME (lima-home.ts)
// so the user's own instances are never touched. Template vm-images/lima/worker.yaml; SSH as root
// with the app's key (authorised by the template's provisioning) to 127.0.0.1:sshLocalPort; state
// from `limactl list --json`; provisioning's outcome, the host key and the inter-VM address from
// the guest itself (lima-guest.ts). `limactl list` says Running as soon as the VM process runs, so a
// machine counts as up only once this boot's provisioning has finished.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { MachineProvider } from '../../api/types';
import type { Availability, CreateSpec, MachineInfo, ProgressFn, Provider } from '../types';
import { clientKey } from '../keys';
import { CommandError, errorMessage, runCmd, type RunResult } from '../exec';
import { PermanentError } from '../provision-errors';
import { PollFailure, pollUntil } from '../../protocol/poll';
import { limaFailure, parseLimaList, parseLimaStderr, parseSshConfig, type LimaInstance } from './lima-parse';
import { decideHostPin, GUEST_STATE_ARGV, parseGuestState, type GuestState } from './lima-guest';
import { chooseLimaHome, ensureLimaUserKey, socketPathProblem } from './lima-home';
import { bootLogExcerpt, formatBootLog } from './lima-boot-log';
import { KnownHosts } from './known-hosts';
import { assetPath } from '../assets';

export interface LimaProviderOptions {
  dataDir: string;
  limactl?: string;
  template?: string;
  /** Boot timeout passed to `limactl start --timeout` (Go duration, default 10m); also bounds waiting for provisioning. */
  timeout?: string;
  /** The host platform (default process.platform): decides UNIX_PATH_MAX and so LIMA_HOME. */
  platform?: NodeJS.Platform;
  /** The user's home directory (default os.homedir()): where a short LIMA_HOME goes. */
  homeDir?: string;
  /** The cluster's pod network: a pod-bridge address in it is never the VM's own (default 10.244.0.0/16). */
  clusterCIDR?: string;
}

export function defaultLimaTemplate(): string {
  return assetPath('lima/worker.yaml');
}

export interface LimaParams { publicKey: string; instanceId: string }

/**
 * The argv of `limactl start` creating instance `name` from the template. Everything the template
 * takes from Flotilla goes in one --set expression (Lima 1.x accepts a single --set): memory in MiB
 * (--memory takes GiB), our public key and the instance's identity as params.
 */
export function limaStartArgv(limactl: string, template: string, spec: CreateSpec, p: LimaParams, timeout: string): string[] {
  const set = [
    `.memory = "${spec.memoryMiB}MiB"`,
    `.param.FLOTILLA_PUBKEY = ${JSON.stringify(p.publicKey)}`,
    `.param.FLOTILLA_INSTANCE_ID = ${JSON.stringify(p.instanceId)}`,
  ].join(' | ');
  return [limactl, 'start', `--name=${spec.name}`, '--tty=false', `--timeout=${timeout}`, `--cpus=${spec.cpus}`, `--disk=${spec.diskGiB}`, '--set', set, template];
}

/** A Go duration as limactl takes it ("10m", "90s", "1m30s") in ms. */
export function goDurationMs(d: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  for (const m of d.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) total += Number(m[1]) * units[m[2]];
  return total || 600_000;
}

function limaState(status: string): MachineInfo['state'] {
  return status === 'Running' ? 'Running' : status === 'Stopped' ? 'Stopped' : status === 'Broken' ? 'Broken' : 'Starting';
}

export class LimaProvider implements Provider {
  readonly name: MachineProvider = 'lima';
  private readonly limactl: string;
  private readonly known: KnownHosts;
  private readonly platform: NodeJS.Platform;

  constructor(private readonly o: LimaProviderOptions) {
    this.limactl = o.limactl ?? process.env.FLOTILLA_LIMACTL ?? 'limactl';
    this.known = new KnownHosts(path.join(o.dataDir, 'lima-known-hosts'));
    this.platform = o.platform ?? process.platform;
  }

  /** This data dir's LIMA_HOME (recorded when the first instance is made). */
  get home(): string {
    return chooseLimaHome(this.o.dataDir, this.platform, this.o.homeDir ?? os.homedir(), false);
  }

  private get timeout(): string {
    return this.o.timeout ?? '10m';
  }

  private run(args: string[], timeoutMs?: number): Promise<RunResult> {
    return runCmd([this.limactl, ...args], { env: { ...process.env, LIMA_HOME: this.home }, timeoutMs });
  }

  private async must(args: string[], timeoutMs?: number): Promise<string> {
    const r = await this.run(args, timeoutMs);
    if (r.code !== 0) throw this.commandError(args, r);
    return r.stdout;
  }

  private commandError(args: string[], r: RunResult): CommandError {
    return new CommandError([this.limactl, ...args], { ...r, stderr: limaFailure(r.stderr) || r.stderr });
  }

  async available(): Promise<Availability> {
    const r = await this.run(['--version']);
    if (r.code === 127) return { ok: false, reason: 'limactl is not installed (Lima: https://lima-vm.io; on macOS `brew install lima`)' };
    if (r.code !== 0) return { ok: false, reason: `limactl does not work here: ${(r.stderr || r.stdout).trim().split('\n').pop() ?? ''}` };
    return { ok: true, reason: `a Lima virtual machine (${r.stdout.trim()})` };
  }

  /**
   * Every instance in LIMA_HOME. Lima before 2.2 stops `limactl list` at the first instance
   * directory it cannot load (one being created or deleted has no lima.yaml) and prints nothing
   * (exit 1); then each instance directory is asked about by itself, and the one that fails is Broken.
   */
  async instances(): Promise<LimaInstance[]> {
    const r = await this.run(['list', '--json']);
    if (r.code === 0) return withWarnings(parseLimaList(r.stdout), r.stderr);
    const dirs = instanceDirs(this.home);
    if (r.code === 127 || !dirs.length) throw this.commandError(['list', '--json'], r);
    const out: LimaInstance[] = [];
    for (const name of dirs) {
      const one = await this.run(['list', '--json', name]);
      const found = one.code === 0 ? withWarnings(parseLimaList(one.stdout), one.stderr) : [];
      out.push(...(found.length ? found : [brokenInstance(name, path.join(this.home, name), limaFailure(one.stderr) || `\`limactl list ${name}\` failed (exit ${one.code})`)]));
    }
    return out;
  }

  private async instance(name: string): Promise<LimaInstance | undefined> {
    return (await this.instances()).find((i) => i.name === name);
  }

  /** Asks the guest (through `limactl shell`, as the Lima user) for its boot, provisioning, host key and address. */
  private async guest(name: string): Promise<GuestState> {
    return parseGuestState(await this.must(['shell', '--workdir=/', name, ...GUEST_STATE_ARGV], 30_000), this.o.clusterCIDR);
  }

  private base(inst: LimaInstance, state: MachineInfo['state'], message?: string): MachineInfo {
    return { name: inst.name, provider: 'lima', state, cgroupParent: '', services: 'systemd', cniBridge: 'cni0', nodeBinary: 'node', message: message || undefined };
  }

  private async info(inst: LimaInstance, known?: GuestState): Promise<MachineInfo> {
    if (inst.status !== 'Running') return this.base(inst, limaState(inst.status), inst.errors.join('; ') || inst.message);
    const g = known ?? await this.guest(inst.name).catch((e: unknown) => new Error(errorMessage(e)));
    if (g instanceof Error) return this.base(inst, 'Starting', `the guest does not answer through limactl shell yet: ${g.message}`);
    if (g.provision === 'failed') return this.base(inst, 'Broken', provisionFailure(g));
    if (g.provision !== 'done') return this.base(inst, 'Starting', 'the node\'s packages are being installed');
    if (!g.ip) throw new Error(`could not find the inter-VM address of Lima instance ${inst.name} (the user-v2 network's interface has no IPv4 address)`);
    const pin = decideHostPin(this.known.get(inst.name), g);
    if (!pin.ok) throw new Error(`Lima instance ${inst.name}: ${pin.reason}`);
    if (pin.changed) this.known.set(inst.name, pin.pin);
    const cfgFile = inst.sshConfigFile || path.join(inst.dir, 'ssh.config');
    const cfg = fs.existsSync(cfgFile) ? parseSshConfig(fs.readFileSync(cfgFile, 'utf8')) : { identityFiles: [] };
    const port = inst.sshLocalPort || cfg.port || 0;
    if (!port) throw new Error(`Lima instance ${inst.name} has no SSH port (limactl list shows sshLocalPort 0)`);
    return {
      ...this.base(inst, 'Running', pin.repinned ? 'its SSH host key changed with a reboot and was pinned again' : undefined), internalIP: g.ip,
      ...(g.gateway ? { hostAddress: g.gateway } : {}),
      ssh: { host: inst.sshAddress || cfg.hostName || '127.0.0.1', port, user: 'root', privateKey: clientKey(this.o.dataDir).privateKey, hostKey: pin.pin.hostKey },
    };
  }

  private async bootFailure(name: string, e: unknown): Promise<Error> {
    const g = await this.guest(name).catch(() => undefined);
    const provisioning = g?.provision === 'failed' ? `\n${provisionFailure(g)}` : '';
    return new Error(`${errorMessage(e)}${provisioning}${formatBootLog(bootLogExcerpt(path.join(this.home, name)))}`);
  }

  /** Waits until this boot's provisioning has finished (a start may have been interrupted) and returns the machine. */
  private async ready(name: string, progress?: ProgressFn): Promise<MachineInfo> {
    let said = false;
    try {
      return await pollUntil(async () => {
        const inst = await this.instance(name);
        if (!inst || inst.status !== 'Running') throw new PollFailure(`Lima instance ${name} is ${inst?.status ?? 'missing'}${inst?.errors.length ? `: ${inst.errors.join('; ')}` : ''}`);
        const g = await this.guest(name); // fails while the guest's sshd is not up yet: try again
        if (g.provision === 'failed') throw new PollFailure(provisionFailure(g));
        if (g.provision !== 'done') {
          if (!said) progress?.(`waiting for Lima instance ${name} to finish installing the node's packages`);
          said = true;
          return undefined;
        }
        try { return await this.info(inst, g); } catch (e) { throw new PollFailure(errorMessage(e)); }
      }, goDurationMs(this.timeout), `Lima instance ${name} to finish provisioning`, 2000);
    } catch (e) {
      throw await this.bootFailure(name, e);
    }
  }

  async create(spec: CreateSpec, progress: ProgressFn): Promise<MachineInfo> {
    const existing = await this.instance(spec.name);
    if (existing?.status === 'Running') return this.ready(spec.name, progress);
    if (existing) return this.start(spec.name, progress);
    const home = chooseLimaHome(this.o.dataDir, this.platform, this.o.homeDir ?? os.homedir(), true);
    const tooLong = socketPathProblem(home, spec.name, this.platform);
    if (tooLong) throw new PermanentError(tooLong);
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    ensureLimaUserKey(home);
    const instanceId = randomBytes(16).toString('hex');
    this.known.set(spec.name, { hostKey: '', instanceId });
    progress(`creating Lima instance ${spec.name} (first boot can take minutes while the image downloads)`);
    const params = { publicKey: clientKey(this.o.dataDir).publicKey, instanceId };
    const argv = limaStartArgv(this.limactl, this.o.template ?? defaultLimaTemplate(), spec, params, this.timeout);
    const r = await this.run(argv.slice(1));
    if (r.code !== 0) throw await this.bootFailure(spec.name, this.commandError(argv.slice(1), r));
    return this.ready(spec.name, progress);
  }

  async start(name: string, progress?: ProgressFn): Promise<MachineInfo> {
    const inst = await this.instance(name);
    if (!inst) throw new Error(`Lima instance ${name} does not exist`);
    if (inst.status !== 'Running') {
      progress?.(`starting Lima instance ${name}`);
      const args = ['start', '--tty=false', `--timeout=${this.timeout}`, name];
      const r = await this.run(args);
      if (r.code !== 0) throw await this.bootFailure(name, this.commandError(args, r));
    }
    return this.ready(name, progress);
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
      try { out.push(await this.info(i)); } catch (e) { out.push(this.base(i, 'Broken', errorMessage(e))); }
    }
    return out;
  }

  /** Trust on first use, for a guest that reported no ed25519 host key: keeps the pin's other fields. */
  rememberHostKey(name: string, hostKey: string): void {
    this.known.set(name, { ...this.known.get(name), hostKey });
  }
}

function provisionFailure(g: GuestState): string {
  return `provisioning the node failed: ${g.provisionError || 'see /var/log/flotilla/provision.log in the guest'}`;
}

/** Directories Lima counts as instances (store.Instances: not starting with _ or .). */
function instanceDirs(home: string): string[] {
  try {
    return fs.readdirSync(home, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('_') && !d.name.startsWith('.')).map((d) => d.name).sort();
  } catch {
    return [];
  }
}

function brokenInstance(name: string, dir: string, why: string): LimaInstance {
  return { name, status: 'Broken', dir, sshLocalPort: 0, sshConfigFile: '', sshAddress: '127.0.0.1', message: '', errors: [why], identityFile: '' };
}

/** Fills in errors the JSON carries without words from limactl's warnings. */
function withWarnings(list: LimaInstance[], stderr: string): LimaInstance[] {
  const said = parseLimaStderr(stderr);
  return list.map((i) => (i.errors.length || !said.has(i.name) ? i : { ...i, errors: [said.get(i.name) ?? ''] }));
}
