// The QEMU command line of a node, and which accelerator this host offers: KVM when /dev/kvm can
// be opened read-write, else TCG (software emulation: slow, but a real VM with its own kernel).
import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import { ROOT_DEVICE, SEED_FW_CFG_NAME } from './guest-files';

export type Accel = 'kvm' | 'tcg';

export interface AccelChoice { accel: Accel; reason: string }

/** KVM when /dev/kvm opens read-write (as QEMU needs it), else TCG with the reason. */
export function chooseAccel(kvmDevice = '/dev/kvm'): AccelChoice {
  try {
    fs.closeSync(fs.openSync(kvmDevice, 'r+'));
    return { accel: 'kvm', reason: `${kvmDevice} is usable: hardware virtualisation (KVM)` };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `${kvmDevice} does not exist` : code === 'EACCES' || code === 'EPERM' ? `${kvmDevice} cannot be opened (permission denied)` : `${kvmDevice} cannot be opened (${code ?? 'error'})`;
    return { accel: 'tcg', reason: `${why}: software emulation (TCG), much slower than KVM` };
  }
}

/** How a VM is started: the accelerator, QEMU's CPU model, and why (for the progress line and the Machine). */
export interface StartChoice extends AccelChoice { cpu: string }

/** QEMU's CPU model to try first: the host's own under KVM, the emulator's fullest under TCG. */
const defaultCpu = (accel: Accel): string => (accel === 'kvm' ? 'host' : 'max');

export function firstStart(a: AccelChoice): StartChoice {
  return { ...a, cpu: defaultCpu(a.accel) };
}

/**
 * What to try after QEMU exited at once with `stderr`: under nested virtualisation KVM may refuse the host CPU's
 * IA32_ARCH_CAPABILITIES MSR (0x10a; QEMU asserts in kvm_buf_set_msrs), so the host model without that feature next;
 * after any other failure that names KVM, software emulation. Nothing after TCG, nor after a failure that is not KVM's
 * (a missing kernel fails the same way under TCG): that failure is the answer.
 */
export function nextStart(tried: StartChoice, stderr: string): StartChoice | undefined {
  if (tried.accel !== 'kvm' || !/kvm/i.test(stderr)) return undefined;
  const said = stderr.trim().split('\n')[0] ?? '';
  if (tried.cpu === 'host' && /failed to set MSR 0x10a/.test(stderr)) {
    return { accel: 'kvm', cpu: 'host,-arch-capabilities', reason: `${tried.reason}; KVM refused the CPU's arch-capabilities MSR (nested virtualisation), so the host CPU without it` };
  }
  return { accel: 'tcg', cpu: 'max', reason: `KVM would not start the VM (QEMU: ${said}): software emulation (TCG), much slower than KVM` };
}

/**
 * How long a VM under KVM may stay silent on its console before KVM is taken as not running guests (a host whose
 * /dev/kvm opens and QEMU starts, but no vCPU ever runs, as under some nested virtualisation): the kernel writes its
 * banner to the serial console within a second or two under KVM.
 */
export const KVM_SILENCE_MS = 20_000;

/** The choice after a VM under KVM stayed silent for KVM_SILENCE_MS: software emulation, saying why. */
export function afterSilentKvm(silentMs: number): StartChoice {
  return { accel: 'tcg', cpu: 'max', reason: `under KVM the VM wrote nothing to its console in ${Math.round(silentMs / 1000)} s (KVM runs no guest here): software emulation (TCG), much slower than KVM` };
}

export interface QemuRun {
  /** The qemu-system binary. */
  binary: string;
  name: string;
  accel: Accel;
  /** QEMU's CPU model (default: host under KVM, max under TCG). */
  cpu?: string;
  cpus: number;
  memoryMiB: number;
  kernel: string;
  initrd: string;
  disk: string;
  seedFile: string;
  tap: string;
  mac: string;
  consoleLog: string;
  pidFile: string;
  qmpSocket: string;
  /** Extra kernel command line words (tests). */
  append?: string;
}

/** The kernel's command line: root on the virtio disk, the console on the first serial port (the console log). */
export function kernelCmdline(append?: string): string {
  return [`root=${ROOT_DEVICE}`, 'rw', 'console=ttyS0', 'panic=-1', 'net.ifnames=0', ...(append ? [append] : [])].join(' ');
}

/**
 * The argv of a node's QEMU: the Debian kernel booted directly (no firmware boot loader), the
 * overlay disk, a virtio NIC on the node's tap (on the cluster's bridge), the seed as fw_cfg, the
 * serial console to a file, QMP for a clean power-off; daemonized with a pid file, so a restarted
 * control plane finds the VM again. A kernel panic ends QEMU (panic=-1 with -no-reboot).
 */
export function qemuArgv(r: QemuRun): string[] {
  if (!Number.isInteger(r.cpus) || r.cpus < 1) throw new Error(`cpus must be a whole number ≥ 1 (got ${r.cpus})`);
  if (!Number.isInteger(r.memoryMiB) || r.memoryMiB < 128) throw new Error(`memory must be at least 128 MiB (got ${r.memoryMiB})`);
  return [
    r.binary,
    '-name', `flotilla-${r.name},process=flotilla-${r.name}`,
    '-machine', r.accel === 'kvm' ? 'q35,accel=kvm' : 'q35,accel=tcg',
    '-cpu', r.cpu ?? defaultCpu(r.accel),
    '-smp', String(r.cpus),
    '-m', `${r.memoryMiB}M`,
    '-kernel', r.kernel,
    '-initrd', r.initrd,
    '-append', kernelCmdline(r.append),
    '-drive', `file=${r.disk},format=qcow2,if=virtio,discard=unmap`,
    '-netdev', `tap,id=net0,ifname=${r.tap},script=no,downscript=no`,
    '-device', `virtio-net-pci,netdev=net0,mac=${r.mac}`,
    '-fw_cfg', `name=${SEED_FW_CFG_NAME},file=${r.seedFile}`,
    '-device', 'virtio-rng-pci',
    '-display', 'none', '-vga', 'none', '-nodefaults', '-no-user-config',
    '-serial', `file:${r.consoleLog}`,
    '-qmp', `unix:${r.qmpSocket},server=on,wait=off`,
    '-no-reboot',
    '-pidfile', r.pidFile,
    '-daemonize',
  ];
}

/** A MAC in QEMU's locally administered range 52:54:00, fixed by the node's name and address. */
export function nodeMac(name: string, ip: string): string {
  const h = createHash('sha256').update(`${name}/${ip}`).digest();
  return ['52', '54', '00', ...[0, 1, 2].map((i) => h[i].toString(16).padStart(2, '0'))].join(':');
}

/** The node's tap device: the sandbox network's prefix, "q" and a hash of the name (≤ 15 characters). */
export function tapName(prefix: string, name: string): string {
  const h = createHash('sha1').update(`${prefix}/${name}`).digest('hex');
  return `${prefix.slice(0, 8)}q${h}`.slice(0, 15);
}
