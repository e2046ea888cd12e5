// How Lima and Multipass nodes reach the host (the built-in registry as `localhost:<port>`, host.flotilla.internal),
// from the tools' recorded outputs (tests/fixtures/providers): Lima's gateway from the guest's own route, Multipass's
// host address on the VM's network from the host's interfaces; the hosts.toml, agent config and /etc/hosts line a
// VM gets for it. The /etc/hosts edit runs in a real shell on a copy of a Lima guest's file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { NetworkInterfaceInfo } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { parseGuestState } from '../../../main/nodes/providers/lima-guest';
import { managementIPv4, parseMultipassInfo } from '../../../main/nodes/providers/multipass-parse';
import { hostAddressOn, type HostInterfaces } from '../../../main/nodes/providers/host-side';
import { nodeRegistryFiles } from '../../../main/nodes/registry/host-mapping';
import { RegistrySettings } from '../../../main/nodes/registry/registry-settings';
import { agentConfigFor } from '../../../main/nodes/bootstrap';
import { etcHostsCmd } from '../../../main/nodes/etc-hosts';
import type { MachineInfo } from '../../../main/nodes/types';

const FX = path.join(__dirname, '../../fixtures/providers');
const fx = (f: string): string => fs.readFileSync(path.join(FX, f), 'utf8');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-vmhost-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** os.networkInterfaces()' entry for an address on a host interface. */
const v4 = (address: string, prefix: number, internal = false): NetworkInterfaceInfo => {
  const mask = (0xffffffff << (32 - prefix)) >>> 0;
  const netmask = [24, 16, 8, 0].map((s) => (mask >>> s) & 255).join('.');
  return { address, netmask, family: 'IPv4', mac: '52:54:00:12:34:56', internal, cidr: `${address}/${prefix}` };
};
/** A Linux host with the Multipass snap (bridge mpqemubr0), a LAN and docker0; a macOS host with vmnet's bridge100. */
const LINUX: HostInterfaces = { lo: [v4('127.0.0.1', 8, true)], eth0: [v4('192.168.1.20', 24)], docker0: [v4('172.17.0.1', 16)], mpqemubr0: [v4('10.74.70.1', 24)] };
const MACOS: HostInterfaces = { lo0: [v4('127.0.0.1', 8, true)], en0: [v4('192.168.1.33', 24)], bridge100: [v4('192.168.64.1', 24)] };
const DEV_LINUX: HostInterfaces = { lo: [v4('127.0.0.1', 8, true)], mpqemubr0: [v4('10.97.0.1', 16)] };

const multipassIP = (file: string): string | undefined => managementIPv4(parseMultipassInfo(fx(file)).instances[0].ipv4);
const vm = (provider: 'lima' | 'multipass', hostAddress: string | undefined, internalIP: string): MachineInfo => ({
  name: 'node-1', provider, state: 'Running', internalIP, cgroupParent: '', services: 'systemd', cniBridge: 'cni0', nodeBinary: 'node',
  ...(hostAddress ? { hostAddress } : {}),
});

describe('the host address a VM node reaches the host at', () => {
  it('Lima: the gateway of the guest\'s default route (user-v2: 192.168.104.2, which Lima translates to the host\'s loopback)', () => {
    expect(parseGuestState(fx('lima-guest-state-node.txt')).gateway).toBe('192.168.104.2');
    expect(parseGuestState(fx('lima-guest-state-ready.txt')).gateway).toBe('192.168.104.2');
    expect(parseGuestState('@@route\n[{"dst":"default","dev":"eth0"}]\n').gateway).toBeUndefined();
    expect(parseGuestState('@@route\nnot json\n').gateway).toBeUndefined();
  });

  it.each([
    ['multipass-1.16-info-linux.json', LINUX, '10.74.70.1'],
    ['multipass-1.16-info-bridge-listed.json', LINUX, '10.74.70.1'],
    ['multipass-1.16-info-macos.json', MACOS, '192.168.64.1'],
    ['multipass-dev-info-linux.json', DEV_LINUX, '10.97.0.1'],
  ])('Multipass: the host\'s own address on the VM\'s network (%s)', (file, ifaces, host) => {
    expect(hostAddressOn(multipassIP(file), ifaces)).toBe(host);
  });

  it('Multipass: none when no host interface is on the VM\'s network, or the VM has no address', () => {
    expect(hostAddressOn(multipassIP('multipass-1.16-info-macos.json'), LINUX)).toBeUndefined();
    expect(hostAddressOn(multipassIP('multipass-1.16-info-no-management-ip.json'), LINUX)).toBeUndefined();
    expect(hostAddressOn('N/A', LINUX)).toBeUndefined();
  });
});

describe('what a VM node gets for the built-in registry on port 5000', () => {
  const settings = new RegistrySettings({ dataDir: dir, builtinPort: 5000 });
  const exposed: string[] = [];
  const logs: string[] = [];
  const files = nodeRegistryFiles(new Map(), { settings, builtin: { port: 5000, exposeOn: async (a) => { exposed.push(a); } } }, (l) => logs.push(l));
  const hostsToml = async (m: MachineInfo): Promise<string | undefined> => (await files(m)).find((f) => f.remote === '/etc/flotilla/certs.d/localhost:5000/hosts.toml')?.content;

  it('Lima: localhost:5000 is the registry at the gateway, with no listener of its own (the host\'s loopback answers)', async () => {
    const g = parseGuestState(fx('lima-guest-state-node.txt'));
    expect(await hostsToml(vm('lima', g.gateway, g.ip ?? ''))).toBe([
      '# Written by Flotilla from registries.yaml; rewritten when they change.',
      'server = "http://192.168.104.2:5000"',
      '',
      '[host."http://192.168.104.2:5000"]',
      '  capabilities = ["pull", "resolve", "push"]',
      '',
    ].join('\n'));
    expect(exposed).toEqual([]);
  });

  it('Multipass: localhost:5000 is the registry at the host\'s bridge address, where it gets a listener', async () => {
    const ip = multipassIP('multipass-1.16-info-linux.json') ?? '';
    expect(await hostsToml(vm('multipass', hostAddressOn(ip, LINUX), ip))).toContain('server = "http://10.74.70.1:5000"');
    expect(exposed).toEqual(['10.74.70.1']);
  });

  it('a VM whose host address is not known gets no mapping, and the log says so', async () => {
    expect(await hostsToml(vm('multipass', undefined, '10.74.70.141'))).toBeUndefined();
    expect(logs).toEqual(['node node-1: multipass nodes get no localhost:5000 registry mapping (the host\'s address is not known)']);
  });

  it('the agent answers host.flotilla.internal with the same address', () => {
    const input = { agentBundle: 'a.js', imageTarballs: [], token: 't', caCertPem: 'CA', serverToken: 's', progress: () => undefined };
    expect(agentConfigFor({ ...input, machine: vm('lima', '192.168.104.2', '192.168.104.5') }).hostAddress).toBe('192.168.104.2');
    expect(agentConfigFor({ ...input, machine: vm('multipass', undefined, '10.74.70.141') }).hostAddress).toBeUndefined();
  });
});

describe('a VM\'s /etc/hosts', () => {
  const hosts = path.join(dir, 'hosts');
  const run = (address: string): void => { execFileSync('/bin/sh', ['-c', etcHostsCmd(address, hosts)]); };
  const original = fx('lima-etc-hosts.txt');

  it('gets host.flotilla.internal once, beside Lima\'s own line, and a second run changes nothing', () => {
    fs.writeFileSync(hosts, original);
    run('192.168.104.2');
    const once = fs.readFileSync(hosts, 'utf8');
    expect(once).toBe(`${original}192.168.104.2\thost.flotilla.internal\n`);
    const before = fs.statSync(hosts).mtimeMs;
    run('192.168.104.2');
    expect(fs.readFileSync(hosts, 'utf8')).toBe(once);
    expect(fs.statSync(hosts).mtimeMs).toBe(before);
  });

  it('replaces the line when the address changed, and leaves other names alone', () => {
    fs.writeFileSync(hosts, `${original}10.0.0.9 host.flotilla.internal.example\n192.168.104.2\thost.flotilla.internal\n`);
    run('10.74.70.1');
    expect(fs.readFileSync(hosts, 'utf8')).toBe(`${original}10.0.0.9 host.flotilla.internal.example\n10.74.70.1\thost.flotilla.internal\n`);
  });

  it('refuses anything but an IPv4 address', () => {
    expect(() => etcHostsCmd('host.lima.internal')).toThrow('the host address host.lima.internal is not an IPv4 address');
    expect(() => etcHostsCmd('1.2.3.4; rm -rf /')).toThrow(/is not an IPv4 address/);
  });
});
