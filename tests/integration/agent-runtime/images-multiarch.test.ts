// The project images for amd64 and arm64: OCI image indexes whose platforms skopeo reads and copies with
// the right digests, whose binaries are of their architecture, and whose arm64 builds run here under
// qemu-user-static (binfmt_misc) and do what the amd64 ones do: pause waits and exits 0 on SIGTERM, the
// demo servers answer HTTP the same. Each image's root filesystem runs under chroot, in a process group
// of its own that the test removes. A clear error when a compiler or busybox is missing.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImages, parseArches, type BuiltImage } from '../../../vm-images/images/build-images';
import { compilePause } from '../../../vm-images/images/pause';
import { ARCHES, elfArch, hostArch, toolchain, type Arch } from '../../../vm-images/images/platforms';
import { freePort } from '../../helpers/free-port';
import { waitFor } from '../../helpers/wait';
import { skipUnlessRoot } from './support';

interface Descriptor { mediaType: string; digest: string; size: number; platform?: { architecture: string; os: string } }
interface Manifest { config: Descriptor; layers: Descriptor[] }

const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const skopeo = (...args: string[]): string => execFileSync('skopeo', args, { encoding: 'utf8' });
/** Syscalls a process blocked in pause() shows in /proc/PID/syscall on this host: pause or ppoll (what qemu waits in). */
const WAITING = process.arch === 'arm64' ? ['73'] : ['34', '271'];

describe.skipIf(skipUnlessRoot)('images for amd64 and arm64', () => {
  let dir: string;
  let images: BuiltImage[];
  const groups: ChildProcess[] = [];
  const byRef = (name: string): BuiltImage => images.find((i) => i.ref === `docker.io/flotilla/${name}:1`)!;

  /** skopeo copy of one platform to a dir: transport; the manifest's bytes and the root filesystem unpacked. */
  const platform = (img: BuiltImage, arch: Arch): { manifest: Buffer; config: { architecture: string; os: string }; rootfs: string } => {
    const out = join(dir, `${img.ref.split('/').pop()?.replace(':', '-')}-${arch}`);
    if (!existsSync(out)) {
      skopeo('copy', '-q', '--override-arch', arch, '--override-os', 'linux', `oci-archive:${img.file}`, `dir:${out}`);
      const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
      mkdirSync(join(out, 'rootfs'));
      execFileSync('tar', ['-xf', join(out, m.layers[0]?.digest.replace('sha256:', '') ?? ''), '-C', join(out, 'rootfs')]);
    }
    const manifest = readFileSync(join(out, 'manifest.json'));
    const configDigest = (JSON.parse(manifest.toString()) as Manifest).config.digest.replace('sha256:', '');
    return { manifest, config: JSON.parse(readFileSync(join(out, configDigest), 'utf8')) as { architecture: string; os: string }, rootfs: join(out, 'rootfs') };
  };

  /** Runs argv chrooted into rootfs, in a process group of its own (removed in afterAll). */
  const chrooted = (rootfs: string, argv: string[], env: NodeJS.ProcessEnv = {}): ChildProcess => {
    const child = spawn('/usr/sbin/chroot', [rootfs, ...argv], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: '/bin', ...env } });
    groups.push(child);
    return child;
  };
  /**
   * Runs argv as PID 1 of a new PID namespace chrooted into rootfs with its own /proc (as in a container:
   * the demo apps log to /proc/1/fd/1) and a /dev/null; resolves with the unshare process and PID 1's host PID.
   */
  const contained = async (rootfs: string, argv: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; pid1: number; output: () => string }> => {
    mkdirSync(join(rootfs, 'proc'), { recursive: true });
    mkdirSync(join(rootfs, 'dev'), { recursive: true });
    if (!existsSync(join(rootfs, 'dev/null'))) execFileSync('mknod', ['-m', '666', join(rootfs, 'dev/null'), 'c', '1', '3']);
    // Output into a FIFO, as containerd gives a container: a socket (node's 'pipe') cannot be opened through
    // /proc/1/fd/1, and a file would be truncated by each `> /proc/1/fd/1`. Opened read-write, it never blocks.
    const fifo = join(rootfs, '..', `output-${groups.length}`);
    execFileSync('mkfifo', [fifo]);
    const fd = openSync(fifo, 'r+');
    let out = '';
    createReadStream(fifo).on('data', (b) => { out += b.toString(); });
    const child = spawn('/usr/bin/unshare', ['--pid', '--fork', '--mount', `--mount-proc=${join(rootfs, 'proc')}`, '/usr/sbin/chroot', rootfs, ...argv],
      { detached: true, stdio: ['ignore', fd, fd], env: { PATH: '/bin', ...env } });
    closeSync(fd);
    groups.push(child);
    const pid1 = await waitFor(() => Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ')[0]), `PID 1 of ${argv.join(' ')}`);
    return { child, pid1, output: () => out };
  };
  const exited = (child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  beforeAll(() => {
    const qemu = hostArch() === 'amd64' ? 'qemu-aarch64' : 'qemu-x86_64';
    if (!existsSync(`/proc/sys/fs/binfmt_misc/${qemu}`)) throw new Error(`${qemu} is not registered with binfmt_misc: run scripts/setup-host.sh (qemu-user-static)`);
    dir = mkdtempSync(`/tmp/flt-t${process.pid}-multiarch-`);
    images = buildImages(join(dir, 'out'), { arches: ARCHES });
  });

  afterAll(async () => {
    for (const child of groups) {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) continue;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      await exited(child);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes each image as an OCI image index listing linux/amd64 and linux/arm64 with the digests of their manifests', () => {
    expect(images.map((i) => [i.ref, i.arches])).toEqual(['pause', 'hello', 'counter'].map((n) => [`docker.io/flotilla/${n}:1`, ['amd64', 'arm64']]));
    for (const img of images) {
      const index = JSON.parse(skopeo('inspect', '--raw', `oci-archive:${img.file}`)) as { mediaType: string; manifests: Descriptor[] };
      expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
      expect(index.manifests.map((m) => m.platform)).toEqual([{ architecture: 'amd64', os: 'linux' }, { architecture: 'arm64', os: 'linux' }]);
      for (const arch of ARCHES) {
        const p = platform(img, arch);
        const listed = index.manifests.find((m) => m.platform?.architecture === arch);
        expect(listed).toMatchObject({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(p.manifest), size: p.manifest.length });
        expect(p.config).toMatchObject({ architecture: arch, os: 'linux' });
      }
      expect(index.manifests[0]?.digest).not.toBe(index.manifests[1]?.digest);
    }
  });

  it('holds binaries of each platform\'s architecture', () => {
    for (const arch of ARCHES) {
      expect(elfArch(readFileSync(join(platform(byRef('pause'), arch).rootfs, 'pause')))).toBe(arch);
      for (const name of ['hello', 'counter']) expect(elfArch(readFileSync(join(platform(byRef(name), arch).rootfs, 'bin/busybox')))).toBe(arch);
    }
  });

  it.each(ARCHES)('runs the %s pause: it waits, and exits 0 on SIGTERM', async (arch) => {
    const child = chrooted(platform(byRef('pause'), arch).rootfs, ['/pause']);
    const done = exited(child);
    await waitFor(() => {
      const syscall = readFileSync(`/proc/${child.pid}/syscall`, 'utf8').split(' ')[0] ?? '';
      return WAITING.includes(syscall);
    }, `the ${arch} pause blocked in pause()`, 20_000);
    process.kill(child.pid!, 'SIGTERM');
    expect(await done).toEqual({ code: 0, signal: null });
  });

  it('serves the demo apps from the arm64 builds as from the amd64 ones', async () => {
    const answers: Record<string, string[]> = {};
    const logs: Record<string, string[]> = {};
    for (const arch of ARCHES) {
      for (const name of ['hello', 'counter']) {
        const port = await freePort();
        const { child, pid1, output } = await contained(platform(byRef(name), arch).rootfs, ['/bin/sh', '/serve.sh'], { PORT: String(port) });
        const done = exited(child);
        const get = async (): Promise<string> => (await fetch(`http://127.0.0.1:${port}/x`)).text();
        const first = await waitFor(() => get().catch(() => undefined), `the ${arch} ${name} server on :${port}`, 30_000);
        answers[name] = [...(answers[name] ?? []), first, await get()];
        const out: string = await waitFor(() => (output().split('\n').length > 3 ? output() : undefined), `the ${arch} ${name} server's request log`);
        logs[`${name} ${arch}`] = out.trim().split('\n').map((l) => l.replace(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ /, 'TIME '));
        process.kill(pid1, 'SIGTERM');
        expect(await done).toEqual({ code: 0, signal: null });
      }
    }
    const host = execFileSync('hostname', { encoding: 'utf8' }).trim();
    for (const arch of ARCHES) {
      expect(logs[`hello ${arch}`]).toEqual([`hello: ${host} listening on :${logs[`hello ${arch}`]?.[0]?.split(':').pop() ?? ''}`, 'TIME GET /x 200', 'TIME GET /x 200']);
      expect(logs[`counter ${arch}`]?.slice(1)).toEqual(['TIME GET /x count=1', 'TIME GET /x count=2']);
    }
    expect(answers.counter).toEqual([`count 1 from ${host}\n`, `count 2 from ${host}\n`, `count 1 from ${host}\n`, `count 2 from ${host}\n`]);
    expect(answers.hello?.[0]).toMatch(new RegExp(`^Hello from ${host} \\(\\d+\\.\\d+\\.\\d+\\.\\d+\\)\\n$`));
    expect(new Set(answers.hello)).toEqual(new Set([answers.hello?.[0]]));
  });

  it('says what is missing when a compiler or a busybox is not there', () => {
    const arm = toolchain('arm64');
    expect(() => compilePause({ ...arm, cc: 'no-such-gcc' })).toThrow(/^compiling the linux\/arm64 pause binary \(no-such-gcc -static .*pause.c\) failed: no-such-gcc is not installed \(apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross\)$/);
    expect(() => compilePause(arm, join(dir, 'missing.c'))).toThrow(/^compiling the linux\/arm64 pause binary .* failed with exit code 1: .*missing.c: No such file or directory/);
    const env = process.env.FLOTILLA_BUSYBOX_ARM64;
    try {
      process.env.FLOTILLA_BUSYBOX_ARM64 = join(dir, 'nope');
      expect(() => buildImages(join(dir, 'no'), { arches: ['arm64'] })).toThrow(`building the linux/arm64 images needs a static busybox (Debian's busybox-static:arm64) at ${join(dir, 'nope')}, which is missing`);
      process.env.FLOTILLA_BUSYBOX_ARM64 = '/bin/true';
      expect(() => buildImages(join(dir, 'no'), { arches: ['arm64'] })).toThrow(/needs a static busybox \(Debian's busybox-static:arm64\) for arm64, but \/bin\/true is for amd64/);
    } finally {
      if (env === undefined) delete process.env.FLOTILLA_BUSYBOX_ARM64; else process.env.FLOTILLA_BUSYBOX_ARM64 = env;
    }
    expect(() => parseArches('amd64,riscv64')).toThrow('image architectures "amd64,riscv64": each must be one of amd64, arm64');
    expect(parseArches(' arm64 ')).toEqual(['arm64']);
  });
});
