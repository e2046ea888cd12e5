// A QEMU node's host-side state: D/qemu/nodes/<name>/ with vm.json (its address, MAC, tap, size,
// image and last boot's figures), disk.qcow2 (the overlay on the cached base image), seed, the
// serial console's log, QEMU's pid file and QMP socket.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Accel } from './command-line';

export interface VmBoot {
  accel: Accel;
  /** Creating the node's disk (the copy-on-write overlay) in ms; 0 on a restart. */
  imageCopyMs: number;
  /** QEMU started → the guest's sshd answers, ms. */
  bootToSshMs: number;
  /** The image had to be built for this node (ms), 0 when cached. */
  imageBuildMs: number;
}

export interface VmState {
  name: string;
  ip: string;
  mac: string;
  tap: string;
  bridge: string;
  gateway: string;
  /** The node's SSH host key, public half (OpenSSH line); the private half is in the seed only. */
  hostKey: string;
  instanceId: string;
  cpus: number;
  memoryMiB: number;
  diskGiB: number;
  /** The cached image (image-build.ts) the overlay is backed by. */
  image: { hash: string; base: string; kernel: string; initrd: string };
  lastBoot?: VmBoot;
}

export interface VmDirs { dir: string; state: string; disk: string; seed: string; console: string; pid: string; qmp: string }

export function qemuDir(dataDir: string): string {
  return path.join(dataDir, 'qemu');
}

export function vmDirs(dataDir: string, name: string): VmDirs {
  const dir = path.join(qemuDir(dataDir), 'nodes', name);
  return {
    dir, state: path.join(dir, 'vm.json'), disk: path.join(dir, 'disk.qcow2'), seed: path.join(dir, 'seed'),
    console: path.join(dir, 'console.log'), pid: path.join(dir, 'qemu.pid'), qmp: path.join(dir, 'qmp.sock'),
  };
}

export function readVmState(dataDir: string, name: string): VmState | undefined {
  try {
    return JSON.parse(fs.readFileSync(vmDirs(dataDir, name).state, 'utf8')) as VmState;
  } catch {
    return undefined;
  }
}

export function listVmStates(dataDir: string): VmState[] {
  let names: string[];
  try { names = fs.readdirSync(path.join(qemuDir(dataDir), 'nodes')); } catch { return []; }
  return names.map((n) => readVmState(dataDir, n)).filter((s): s is VmState => s !== undefined);
}

export function writeVmState(dataDir: string, s: VmState): void {
  const d = vmDirs(dataDir, s.name);
  fs.mkdirSync(d.dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(`${d.state}.part`, JSON.stringify(s, null, 2));
  fs.renameSync(`${d.state}.part`, d.state);
}

/** The last lines of the VM's serial console, for failure messages. */
export function consoleTail(dataDir: string, name: string, lines = 15): string {
  try {
    const text = fs.readFileSync(vmDirs(dataDir, name).console, 'utf8').replace(/\r/g, '').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    return text.split('\n').filter((l) => l.trim()).slice(-lines).join('\n');
  } catch {
    return '';
  }
}
