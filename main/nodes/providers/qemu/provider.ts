// The QEMU provider: each node a real VM with Debian's kernel, booted directly from the image this
// project builds (image-build.ts, cached per recipe), its disk a copy-on-write overlay, its NIC a
// tap on the data dir's sandbox bridge, so VM nodes, sandbox nodes and the host share one L2
// network (pods routed host-gw between any of them). Its address comes from the sandbox
// provider's allocation and is set statically by the first-boot unit from the seed (seed.ts),
// which also carries the SSH host key made here, so the key is pinned before the first connection.
// KVM when /dev/kvm is usable, else TCG (and the provider says which); TCG also when KVM fails to start the VM or
// starts it but runs nothing (its console stays silent), as under some nested virtualisation.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { MachineProvider } from '../../../api/types';
import type { Availability, CreateSpec, MachineInfo, ProgressFn, Provider } from '../../types';
import { clientKey, generateKeyPair } from '../../keys';
import { onPath, runCmd, mustRun } from '../../exec';
import { PermanentError, ReasonedError, TransientError } from '../../provision-errors';
import { PollFailure, pollUntil } from '../../../protocol/poll';
import type { SandboxProvider } from '../sandbox/provider';
import { ensureSandboxHost } from '../sandbox/host';
import { afterSilentKvm, chooseAccel, firstStart, KVM_SILENCE_MS, nextStart, nodeMac, qemuArgv, tapName, type AccelChoice, type StartChoice } from './command-line';
import { ensureNodeImage, type NodeImage } from './image-build';
import { hostRecipe } from './image-recipe';
import { renderSeed } from './seed';
import { GUEST_NODE_BINARY } from './guest-files';
import { consoleTail, listVmStates, qemuDir, readVmState, vmDirs, writeVmState, type VmBoot, type VmState } from './vm-state';
import { deleteTap, ensureTap, sshBanner, stopVm, vmPid } from './vm-process';

export interface QemuProviderOptions {
  dataDir: string;
  /** The data dir's sandbox provider: its bridge, subnet and address allocation are the VMs' too. */
  sandbox: SandboxProvider;
  /** Where built images are kept (default $FLOTILLA_QEMU_IMAGE_CACHE, else D/qemu/images). */
  imageCache?: string;
  /** The qemu-system binary (default $FLOTILLA_QEMU, else qemu-system-x86_64). */
  qemu?: string;
  /** A kernel to boot instead of the image's (tests: one that does not exist). */
  kernel?: string;
  /** Extra kernel command line words (tests). */
  append?: string;
  /** How long the guest's sshd may take to answer after QEMU starts (default 10 min under TCG, 2 min with KVM). */
  bootTimeoutMs?: number;
  kvmDevice?: string;
}

const TOOLS = ['qemu-img', 'mmdebstrap', 'mkfs.ext4', 'ip'];

/** The host's DNS servers a VM can use (not the host's loopback resolvers). */
function hostNameservers(): string[] {
  try {
    return [...fs.readFileSync('/etc/resolv.conf', 'utf8').matchAll(/^nameserver\s+(\d+\.\d+\.\d+\.\d+)\s*$/gm)].map((m) => m[1]).filter((ip) => !ip.startsWith('127.'));
  } catch {
    return [];
  }
}

export class QemuProvider implements Provider {
  readonly name: MachineProvider = 'qemu';
  private readonly qemu: string;
  private lock: Promise<unknown> = Promise.resolve();

  /** Set when KVM failed a VM of this provider: how the next VMs start. */
  private withoutKvm?: StartChoice;

  constructor(private readonly o: QemuProviderOptions) {
    this.qemu = o.qemu ?? process.env.FLOTILLA_QEMU ?? 'qemu-system-x86_64';
  }

  get imageCache(): string {
    return this.o.imageCache ?? process.env.FLOTILLA_QEMU_IMAGE_CACHE ?? path.join(qemuDir(this.o.dataDir), 'images');
  }

  accel(): AccelChoice {
    return chooseAccel(this.o.kvmDevice);
  }

  async available(): Promise<Availability> {
    if (process.platform !== 'linux') return { ok: false, reason: 'QEMU nodes are made on Linux here (on macOS use Lima, which runs QEMU itself)' };
    if (process.arch !== 'x64') return { ok: false, reason: `QEMU nodes need an x86-64 host (this one is ${process.arch})` };
    if (process.getuid?.() !== 0) return { ok: false, reason: 'QEMU nodes need root (their taps join the cluster bridge; run Flotilla as root)' };
    const missing = [this.qemu, ...TOOLS].filter((c) => (c.startsWith('/') ? !fs.existsSync(c) : !onPath(c)));
    if (missing.length) {
      return { ok: false, reason: `QEMU is not installed: missing ${missing.join(', ')} (apt-get install qemu-system-x86 qemu-utils mmdebstrap e2fsprogs, or \`npm run setup\`)` };
    }
    if (!fs.existsSync('/dev/net/tun')) return { ok: false, reason: '/dev/net/tun is missing (the tun module): QEMU nodes need a tap device' };
    const a = this.accel();
    return { ok: true, reason: `a QEMU virtual machine with its own kernel (${a.reason})` };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.lock.then(fn, fn);
    this.lock = next.catch(() => undefined);
    return next;
  }

  /** The cached node image, built first if need be (minutes, once per recipe). */
  image(progress: ProgressFn = () => undefined): Promise<NodeImage> {
    return this.serial(() => ensureNodeImage(this.imageCache, hostRecipe(), progress));
  }

  private info(s: VmState, up: boolean, message?: string): MachineInfo {
    return {
      name: s.name, provider: 'qemu', state: up ? 'Running' : 'Stopped', internalIP: s.ip, hostAddress: s.gateway,
      ssh: { host: s.ip, port: 22, user: 'root', privateKey: clientKey(this.o.dataDir).privateKey, hostKey: s.hostKey },
      cgroupParent: '', services: 'systemd', cniBridge: 'cni0', nodeBinary: GUEST_NODE_BINARY,
      ...(message ? { message } : {}),
    };
  }

  /** The last boot's figures (accelerator, overlay, kernel → sshd), for the benchmark. */
  lastBoot(name: string): VmBoot | undefined {
    return readVmState(this.o.dataDir, name)?.lastBoot;
  }

  async create(spec: CreateSpec, progress: ProgressFn): Promise<MachineInfo> {
    const existing = readVmState(this.o.dataDir, spec.name);
    if (existing) return this.start(spec.name, progress);
    const img = await this.image(progress);
    const rootGiB = Math.ceil(hostRecipe().rootMiB / 1024);
    if (spec.diskGiB < rootGiB) throw new PermanentError(`a QEMU node's disk must be at least ${rootGiB} GiB (its root file system is), not ${spec.diskGiB} GiB`);
    const d = vmDirs(this.o.dataDir, spec.name);
    const hostKey = generateKeyPair(`flotilla-${spec.name}`);
    const s = await this.o.sandbox.reserveAddress((ip, cfg) => {
      const st: VmState = {
        name: spec.name, ip, mac: nodeMac(spec.name, ip), tap: tapName(cfg.prefix, spec.name), bridge: cfg.bridge,
        gateway: `${cfg.subnet.split('.').slice(0, 3).join('.')}.1`, hostKey: hostKey.publicKey, instanceId: randomBytes(16).toString('hex'),
        cpus: spec.cpus, memoryMiB: spec.memoryMiB, diskGiB: spec.diskGiB,
        image: { hash: img.hash, base: img.base, kernel: img.kernel, initrd: img.initrd },
      };
      writeVmState(this.o.dataDir, st);
      return st;
    });
    fs.writeFileSync(d.seed, renderSeed({
      hostname: s.name, instanceId: s.instanceId, mac: s.mac, address: `${s.ip}/24`, gateway: s.gateway, dns: hostNameservers(),
      authorizedKey: clientKey(this.o.dataDir).publicKey, hostKey: hostKey.privateKey, hostKeyPub: hostKey.publicKey,
    }), { mode: 0o600 });
    progress(`making the disk of ${s.name}: a ${s.diskGiB} GiB copy-on-write overlay on image ${img.hash}`);
    const t0 = Date.now();
    fs.rmSync(d.disk, { force: true });
    await mustRun(['qemu-img', 'create', '-q', '-f', 'qcow2', '-b', img.base, '-F', 'qcow2', d.disk, `${s.diskGiB}G`]);
    return this.boot(s, progress, { imageCopyMs: Date.now() - t0, imageBuildMs: img.buildMs });
  }

  private async boot(s: VmState, progress: ProgressFn, figures: { imageCopyMs: number; imageBuildMs: number }): Promise<MachineInfo> {
    const d = vmDirs(this.o.dataDir, s.name);
    await ensureSandboxHost(this.o.sandbox.config);
    await ensureTap(s.tap, s.bridge);
    // Once KVM has failed a VM here, the next ones start with TCG at once.
    let a: StartChoice = this.withoutKvm ?? firstStart(this.accel());
    const t0 = Date.now();
    for (;;) {
      progress(`booting QEMU VM ${s.name} at ${s.ip} with ${a.accel.toUpperCase()} (${a.reason}); ${s.cpus} CPU, ${s.memoryMiB} MiB, ${s.diskGiB} GiB`);
      for (const f of [d.pid, d.qmp, d.console]) fs.rmSync(f, { force: true });
      const argv = qemuArgv({
        binary: this.qemu, name: s.name, accel: a.accel, cpu: a.cpu, cpus: s.cpus, memoryMiB: s.memoryMiB, kernel: this.o.kernel ?? s.image.kernel,
        initrd: s.image.initrd, disk: d.disk, seedFile: d.seed, tap: s.tap, mac: s.mac, consoleLog: d.console, pidFile: d.pid, qmpSocket: d.qmp,
        append: this.o.append,
      });
      const r = await runCmd(argv, { timeoutMs: 120_000 });
      if (r.code === 0) {
        if (a.accel !== 'kvm' || await this.spoke(d.console, d.pid, KVM_SILENCE_MS)) break;
        await stopVm(d.pid, d.qmp, false).catch(() => undefined);
        a = this.withoutKvm = afterSilentKvm(KVM_SILENCE_MS);
        continue;
      }
      const next = nextStart(a, r.stderr || r.stdout);
      if (next) {
        a = next;
        if (a.accel === 'tcg') this.withoutKvm = a;
        continue;
      }
      await deleteTap(s.tap).catch(() => undefined);
      throw new ReasonedError('VMBootFailed', `QEMU did not start (exit ${r.code}): ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}${this.consoleSays(s.name)}`);
    }
    const timeout = this.o.bootTimeoutMs ?? (a.accel === 'kvm' ? 120_000 : 600_000);
    try {
      await pollUntil(async () => {
        if (!vmPid(d.pid)) throw new PollFailure('QEMU exited while the VM was booting');
        return (await sshBanner(s.ip, 22)) || undefined;
      }, timeout, `the sshd of VM ${s.name} at ${s.ip}:22`, 500);
    } catch (e) {
      const exited = e instanceof PollFailure;
      const msg = `${exited ? e.message : `the VM's sshd did not answer within ${Math.round(timeout / 1000)} s (${a.accel.toUpperCase()})`}${this.consoleSays(s.name)}`;
      await stopVm(d.pid, d.qmp, false).catch(() => undefined);
      await deleteTap(s.tap).catch(() => undefined);
      throw exited ? new ReasonedError('VMBootFailed', msg) : new TransientError(`timed out: ${msg}`);
    }
    const lastBoot: VmBoot = { accel: a.accel, imageCopyMs: figures.imageCopyMs, imageBuildMs: figures.imageBuildMs, bootToSshMs: Date.now() - t0 };
    writeVmState(this.o.dataDir, { ...s, lastBoot });
    progress(`VM ${s.name} booted to SSH in ${(lastBoot.bootToSshMs / 1000).toFixed(1)} s (${a.accel.toUpperCase()})`);
    return this.info(s, true, `QEMU ${a.accel.toUpperCase()}: ${a.reason}`);
  }

  /** Whether the VM wrote to its console within `ms` (or its QEMU ended: the boot wait reports that). */
  private async spoke(consoleLog: string, pidFile: string, ms: number): Promise<boolean> {
    const said = (): boolean => { try { return fs.statSync(consoleLog).size > 0; } catch { return false; } };
    return pollUntil(() => said() || !vmPid(pidFile), ms, 'console output', 250).then(() => true, () => false);
  }

  private consoleSays(name: string): string {
    const tail = consoleTail(this.o.dataDir, name);
    return tail ? `\nthe VM's console ends with:\n${tail}` : '\n(the VM wrote nothing to its console)';
  }

  async start(name: string, progress?: ProgressFn): Promise<MachineInfo> {
    const s = readVmState(this.o.dataDir, name);
    if (!s) throw new Error(`QEMU VM ${name} does not exist`);
    const d = vmDirs(this.o.dataDir, name);
    if (!fs.existsSync(d.disk) || !fs.existsSync(d.seed)) throw new PermanentError(`QEMU VM ${name} is half-made (no disk or seed); delete the machine and add it again`);
    if (vmPid(d.pid)) {
      await pollUntil(async () => (await sshBanner(s.ip, 22)) || undefined, this.o.bootTimeoutMs ?? 600_000, `the sshd of VM ${name}`, 500);
      return this.info(s, true);
    }
    return this.boot(s, progress ?? (() => undefined), { imageCopyMs: 0, imageBuildMs: 0 });
  }

  async stop(name: string): Promise<void> {
    const s = readVmState(this.o.dataDir, name);
    if (!s) return;
    const d = vmDirs(this.o.dataDir, name);
    await stopVm(d.pid, d.qmp, true);
    await deleteTap(s.tap);
  }

  async delete(name: string): Promise<void> {
    const s = readVmState(this.o.dataDir, name);
    const d = vmDirs(this.o.dataDir, name);
    await stopVm(d.pid, d.qmp, false);
    if (s) await deleteTap(s.tap);
    fs.rmSync(d.dir, { recursive: true, force: true });
  }

  async list(): Promise<MachineInfo[]> {
    return listVmStates(this.o.dataDir).map((s) => this.info(s, vmPid(vmDirs(this.o.dataDir, s.name).pid) !== undefined));
  }

  /** Whether a VM of this data dir holds the address (the host routes pods' networks only through its own nodes). */
  owns(name: string, ip: string): boolean {
    return readVmState(this.o.dataDir, name)?.ip === ip;
  }
}

