// The QEMU provider's pure parts: the command line, the accelerator choice, the seed the first-boot
// unit reads, the image recipe's hash and the host's Debian sources it is built from.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterSilentKvm, chooseAccel, firstStart, kernelCmdline, KVM_SILENCE_MS, nextStart, nodeMac, qemuArgv, tapName, type QemuRun } from '../../../main/nodes/providers/qemu/command-line';
import { parseSeed, renderSeed, type NodeSeed } from '../../../main/nodes/providers/qemu/seed';
import { debianSources, hostRecipe, mmdebstrapArgv, recipeHash, type ImageRecipe } from '../../../main/nodes/providers/qemu/image-recipe';
import { SEED_FW_CFG_NAME, SEED_SCRIPT_TEXT } from '../../../main/nodes/providers/qemu/guest-files';

const run: QemuRun = {
  binary: 'qemu-system-x86_64', name: 'node-1', accel: 'tcg', cpus: 2, memoryMiB: 1536, kernel: '/c/vmlinuz', initrd: '/c/initrd.img',
  disk: '/d/disk.qcow2', seedFile: '/d/seed', tap: 'fltq1234', mac: '52:54:00:aa:bb:cc', consoleLog: '/d/console.log', pidFile: '/d/qemu.pid', qmpSocket: '/d/qmp.sock',
};

const after = (argv: string[], flag: string): string[] => argv.flatMap((a, i) => (argv[i - 1] === flag ? [a] : []));

describe('qemuArgv', () => {
  it('boots the kernel directly with the Machine\'s size, the overlay, the tap and the seed', () => {
    const argv = qemuArgv(run);
    expect(argv[0]).toBe('qemu-system-x86_64');
    expect(after(argv, '-smp')).toEqual(['2']);
    expect(after(argv, '-m')).toEqual(['1536M']);
    expect(after(argv, '-kernel')).toEqual(['/c/vmlinuz']);
    expect(after(argv, '-initrd')).toEqual(['/c/initrd.img']);
    expect(after(argv, '-append')).toEqual([kernelCmdline()]);
    expect(kernelCmdline()).toMatch(/^root=\/dev\/vda rw console=ttyS0 /);
    expect(after(argv, '-drive')).toEqual(['file=/d/disk.qcow2,format=qcow2,if=virtio,discard=unmap']);
    expect(after(argv, '-netdev')).toEqual(['tap,id=net0,ifname=fltq1234,script=no,downscript=no']);
    expect(after(argv, '-device')).toContain('virtio-net-pci,netdev=net0,mac=52:54:00:aa:bb:cc');
    expect(after(argv, '-fw_cfg')).toEqual([`name=${SEED_FW_CFG_NAME},file=/d/seed`]);
    expect(after(argv, '-serial')).toEqual(['file:/d/console.log']);
    expect(after(argv, '-pidfile')).toEqual(['/d/qemu.pid']);
    expect(argv).toContain('-daemonize');
    expect(argv).toContain('-no-reboot');
  });

  it('uses KVM with the host CPU when it can, TCG with the max CPU model otherwise', () => {
    expect(after(qemuArgv(run), '-machine')).toEqual(['q35,accel=tcg']);
    expect(after(qemuArgv(run), '-cpu')).toEqual(['max']);
    expect(after(qemuArgv({ ...run, accel: 'kvm' }), '-machine')).toEqual(['q35,accel=kvm']);
    expect(after(qemuArgv({ ...run, accel: 'kvm' }), '-cpu')).toEqual(['host']);
  });

  it('appends kernel words a test asks for', () => {
    expect(after(qemuArgv({ ...run, append: 'systemd.unit=rescue.target' }), '-append')[0]).toMatch(/ systemd\.unit=rescue\.target$/);
  });

  it('refuses a size QEMU cannot take', () => {
    expect(() => qemuArgv({ ...run, cpus: 0 })).toThrow('cpus must be a whole number ≥ 1 (got 0)');
    expect(() => qemuArgv({ ...run, memoryMiB: 64 })).toThrow('memory must be at least 128 MiB (got 64)');
  });
});

describe('chooseAccel', () => {
  it('says TCG, and why, when the KVM device does not exist', () => {
    expect(chooseAccel('/nonexistent/kvm')).toEqual({ accel: 'tcg', reason: '/nonexistent/kvm does not exist: software emulation (TCG), much slower than KVM' });
  });

  it('says TCG when the device cannot be opened read-write', () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-')), 'kvm');
    fs.writeFileSync(f, '');
    fs.chmodSync(f, 0o444);
    const choice = chooseAccel(f);
    // Root opens any file read-write; everyone else is refused.
    expect(choice.accel).toBe(process.getuid?.() === 0 ? 'kvm' : 'tcg');
    fs.rmSync(path.dirname(f), { recursive: true });
  });
});

describe('starting again after QEMU exits at once', () => {
  // QEMU 7.2's words on a host with nested KVM that refuses the host CPU's IA32_ARCH_CAPABILITIES MSR (seen here).
  const MSR = "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69\nqemu-system-x86_64: ../../target/i386/kvm/kvm.c:3183: kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs' failed.\n";
  const kvm = firstStart({ accel: 'kvm', reason: '/dev/kvm is usable: hardware virtualisation (KVM)' });

  it('starts KVM with the host CPU and TCG with the max model', () => {
    expect(kvm.cpu).toBe('host');
    expect(firstStart({ accel: 'tcg', reason: 'no kvm' }).cpu).toBe('max');
    expect(after(qemuArgv({ ...run, accel: 'kvm', cpu: 'host,-arch-capabilities' }), '-cpu')).toEqual(['host,-arch-capabilities']);
  });

  it('tries the host CPU without arch-capabilities when KVM refuses that MSR, then TCG, naming what QEMU said', () => {
    const second = nextStart(kvm, MSR);
    expect(second).toMatchObject({ accel: 'kvm', cpu: 'host,-arch-capabilities' });
    expect(second?.reason).toMatch(/KVM refused the CPU's arch-capabilities MSR \(nested virtualisation\)/);
    const third = nextStart(second!, 'qemu-system-x86_64: failed to initialize kvm: Operation not permitted\n');
    expect(third).toEqual({ accel: 'tcg', cpu: 'max', reason: 'KVM would not start the VM (QEMU: qemu-system-x86_64: failed to initialize kvm: Operation not permitted): software emulation (TCG), much slower than KVM' });
  });

  it('takes TCG when KVM started the VM but it stayed silent, saying how long', () => {
    expect(afterSilentKvm(KVM_SILENCE_MS)).toEqual({
      accel: 'tcg', cpu: 'max', reason: 'under KVM the VM wrote nothing to its console in 20 s (KVM runs no guest here): software emulation (TCG), much slower than KVM',
    });
  });

  it('gives up after TCG, and after a failure that is not KVM\'s', () => {
    expect(nextStart(firstStart({ accel: 'tcg', reason: 'x' }), MSR)).toBeUndefined();
    expect(nextStart(kvm, "qemu: could not open kernel file '/nonexistent/vmlinuz': No such file or directory\n")).toBeUndefined();
  });
});

describe('names and addresses', () => {
  it('gives each node a stable MAC in QEMU\'s range and a tap name that fits a Linux interface', () => {
    expect(nodeMac('node-1', '10.251.3.2')).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
    expect(nodeMac('node-1', '10.251.3.2')).toBe(nodeMac('node-1', '10.251.3.2'));
    expect(nodeMac('node-1', '10.251.3.2')).not.toBe(nodeMac('node-2', '10.251.3.3'));
    const tap = tapName('flotilla12', 'a-very-long-machine-name');
    expect(tap.length).toBeLessThanOrEqual(15);
    expect(tap.startsWith('flotilla')).toBe(true);
    expect(tapName('flotilla12', 'node-1')).not.toBe(tapName('flotilla12', 'node-2'));
  });
});

const seed: NodeSeed = {
  hostname: 'node-1', instanceId: 'ab12', mac: '52:54:00:aa:bb:cc', address: '10.251.3.2/24', gateway: '10.251.3.1', dns: ['10.0.0.2'],
  authorizedKey: 'ssh-ed25519 AAAAC3 flotilla', hostKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n', hostKeyPub: 'ssh-ed25519 AAAAhost flotilla-node-1',
};

describe('the seed', () => {
  it('holds every value the first-boot script reads, one base64 line each', () => {
    const text = renderSeed(seed);
    expect(text.trim().split('\n').every((l) => /^[a-z_]+=[A-Za-z0-9+/=]*$/.test(l))).toBe(true);
    expect(parseSeed(text)).toEqual({
      hostname: 'node-1', instance_id: 'ab12', mac: '52:54:00:aa:bb:cc', address: '10.251.3.2/24', gateway: '10.251.3.1', dns: '10.0.0.2',
      authorized_key: 'ssh-ed25519 AAAAC3 flotilla\n', host_key: seed.hostKey, host_key_pub: 'ssh-ed25519 AAAAhost flotilla-node-1\n',
    });
    for (const k of Object.keys(parseSeed(text))) expect(SEED_SCRIPT_TEXT).toContain(`val ${k}`);
  });

  it('refuses values the guest could not use', () => {
    expect(() => renderSeed({ ...seed, hostname: 'Node_1' })).toThrow('"Node_1" is not a valid host name');
    expect(() => renderSeed({ ...seed, mac: '52:54:00:aa:bb' })).toThrow('"52:54:00:aa:bb" is not a MAC address');
    expect(() => renderSeed({ ...seed, address: '10.251.3.2' })).toThrow('"10.251.3.2" is not an IPv4 address with a prefix length');
    expect(() => renderSeed({ ...seed, gateway: 'gw' })).toThrow('"gw" is not an IPv4 address');
    expect(() => renderSeed({ ...seed, authorizedKey: 'a\nb' })).toThrow('public keys must be one line');
  });
});

describe('the image recipe', () => {
  const base = hostRecipe();

  it('is named by a hash that changes with anything that changes the image', () => {
    expect(recipeHash(base)).toMatch(/^[0-9a-f]{16}$/);
    expect(recipeHash(structuredClone(base))).toBe(recipeHash(base));
    const changed: ImageRecipe[] = [
      { ...base, packages: [...base.packages, 'curl'] },
      { ...base, node: { ...base.node, version: 'v99.0.0' } },
      { ...base, files: base.files.map((f, i) => (i === 0 ? { ...f, content: `${f.content}#\n` } : f)) },
      { ...base, suite: 'trixie' },
      { ...base, format: base.format + 1 },
    ];
    for (const r of changed) expect(recipeHash(r)).not.toBe(recipeHash(base));
  });

  it('has the kernel, an init, sshd and the node runtime, and only Debian packages', () => {
    expect(base.packages).toEqual(expect.arrayContaining(['linux-image-amd64', 'systemd-sysv', 'openssh-server', 'containerd', 'runc', 'containernetworking-plugins', 'iptables']));
    const argv = mmdebstrapArgv(base, '/w/root', '/w/setup');
    expect(argv.slice(0, 4)).toEqual(['mmdebstrap', '--variant=minbase', '--mode=root', '--format=directory']);
    expect(argv).toContain(`--include=${base.packages.join(',')}`);
    expect(argv).toContain('--setup-hook=sync-in /w/setup /');
    expect(argv.slice(-base.sources.length - 2, -base.sources.length)).toEqual([base.suite, '/w/root']);
  });

  it('takes the host\'s Debian sources in both formats and leaves third-party ones out', () => {
    const files = [
      { name: '/etc/apt/sources.list', text: '# comment\ndeb http://mirror.example/debian bookworm main contrib\ndeb https://packages.cloud.google.com/apt cloud-sdk-bookworm main\n' },
      { name: '/etc/apt/sources.list.d/debian.sources', text: 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\n\nTypes: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\n\nTypes: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\nComponents: main\n' },
      { name: '/etc/apt/sources.list.d/nodesource.sources', text: 'Types: deb\nURIs: https://deb.nodesource.com/node_20.x\nSuites: nodistro\nComponents: main\n' },
    ];
    expect(debianSources(files, 'bookworm')).toEqual([
      'deb http://mirror.example/debian bookworm main',
      'deb http://deb.debian.org/debian bookworm main',
      'deb http://deb.debian.org/debian bookworm-updates main',
      'deb http://deb.debian.org/debian-security bookworm-security main',
    ]);
    expect(debianSources([], 'bookworm')[0]).toBe('deb http://deb.debian.org/debian bookworm main');
  });
});
