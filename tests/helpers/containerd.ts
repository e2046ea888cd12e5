// A private containerd for agent tests: temp dir, unique CNI bridge and subnet, images imported;
// teardown removes every pod, kills containerd and its shims by PID, unmounts, deletes the bridge, cgroups and dir.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildImages, type BuiltImage } from '../../vm-images/images/build-images';
import { CriClient } from '../../vm-images/agent/cri/client';
import { importImage, startContainerd, type RunningContainerd } from '../../vm-images/agent/runtime/containerd';
import { removeCgroup } from '../../vm-images/agent/pods/cgroups';

export interface TestContainerd {
  dir: string;
  socket: string;
  containerd: RunningContainerd;
  cri: CriClient;
  bridge: string;
  subnet: string;
  gateway: string;
  logDir: string;
  /** cgroup parent to give PodManager (unique per instance). */
  cgroupParent: string;
  images: BuiltImage[];
  /** Stops containerd (shims and pods keep running) and starts it again on the same dir; replaces containerd and cri. */
  restartContainerd(): Promise<void>;
  teardown(): Promise<void>;
}

let counter = 0;

function pickSubnet(): string {
  for (let i = 0; i < 50; i++) {
    const third = 1 + Math.floor(Math.random() * 254);
    const subnet = `10.250.${third}.0/24`;
    const routes = execFileSync('ip', ['-4', 'route', 'show'], { encoding: 'utf8' });
    if (!routes.includes(`10.250.${third}.`)) return subnet;
  }
  throw new Error('no free 10.250.x.0/24 subnet');
}

/** Stops and removes every pod sandbox of a test containerd, collecting errors instead of throwing. */
export async function removeAllSandboxes(cri: CriClient, errors: unknown[]): Promise<void> {
  try {
    for (const b of await cri.listPodSandbox()) {
      await cri.stopPodSandbox(b.id).catch((e) => errors.push(e));
      await cri.removePodSandbox(b.id).catch((e) => errors.push(e));
    }
  } catch (e) { errors.push(e); }
}

/** PIDs of the containerd shims serving `socket` (shims of different containerds look alike: match the socket). */
export function shimPids(socket: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmd[0]?.endsWith('containerd-shim-runc-v2') && cmd.includes(socket)) pids.push(Number(entry));
    } catch { /* exited */ }
  }
  return pids;
}

/** Mount points at or below `dir`, deepest first (the order to unmount them in). */
export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

export async function startTestContainerd(opts: { withImages?: boolean } = {}): Promise<TestContainerd> {
  const tag = `t${process.pid}x${counter++}`;
  const dir = mkdtempSync(`/tmp/flt-${tag}-`);
  const bridge = `flt${tag}`.slice(0, 15);
  const subnet = pickSubnet();
  const base = subnet.split('.').slice(0, 3).join('.');
  const gateway = `${base}.1`;
  const cgroupParent = `/flt-${tag}`;
  const logDir = join(dir, 'logs');
  mkdirSync(join(dir, 'cni', 'net.d'), { recursive: true });
  mkdirSync(logDir, { recursive: true });
  writeFileSync(join(dir, 'cni', 'net.d', '10-flotilla.conflist'), JSON.stringify({
    cniVersion: '0.4.0',
    name: `flt-${tag}`,
    plugins: [
      { type: 'bridge', bridge, isGateway: true, ipMasq: false, hairpinMode: true,
        ipam: { type: 'host-local', ranges: [[{ subnet, gateway }]], dataDir: join(dir, 'cni', 'ipam') } },
      { type: 'loopback' },
    ],
  }, null, 2));
  let containerd: RunningContainerd | undefined;
  let cri: CriClient | undefined;
  const teardown = async (): Promise<void> => {
    const errors: unknown[] = [];
    if (cri && containerd) {
      await removeAllSandboxes(cri, errors);
      cri.close();
    }
    if (containerd) await containerd.stop(5000);
    const socket = join(dir, 'containerd.sock');
    for (const pid of shimPids(socket)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    for (const m of mountsUnder(dir)) { try { execFileSync('umount', ['-l', m]); } catch (e) { errors.push(e); } }
    try { execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' }); } catch { /* never created */ }
    removeCgroup(cgroupParent);
    rmSync(dir, { recursive: true, force: true });
    if (existsSync(dir)) errors.push(new Error(`could not remove ${dir}`));
    if (errors.length) console.warn('teardown warnings:', errors.map(String));
  };
  try {
    containerd = await startContainerd({ dir });
    cri = new CriClient(containerd.socket);
    const images = opts.withImages === false ? [] : buildImages(join(dir, 'images'));
    for (const img of images) await importImage(containerd.socket, img.file);
    const handle: TestContainerd = {
      dir, socket: containerd.socket, containerd, cri, bridge, subnet, gateway, logDir, cgroupParent, images, teardown,
      restartContainerd: async () => {
        cri?.close();
        await containerd?.stop(5000);
        containerd = await startContainerd({ dir });
        cri = new CriClient(containerd.socket);
        handle.containerd = containerd;
        handle.cri = cri;
      },
    };
    return handle;
  } catch (err) {
    await teardown();
    throw err;
  }
}
