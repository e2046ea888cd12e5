// Multipass CLI handling against outputs reconstructed from multipass's sources (tests/fixtures/
// providers, sources in its README): 1.16 on the Linux snap and macOS, the development line with
// zones, the address to use, the launch command line and the cloud-init sent on stdin.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { managementIPv4, normaliseState, parseMultipassInfo, parseMultipassList } from '../../../main/nodes/providers/multipass-parse';
import { multipassLaunchArgv, renderCloudInit } from '../../../main/nodes/providers/multipass';
import { instancePrefix } from '../../../main/nodes/providers/multipass-records';

const fx = (f: string): string => fs.readFileSync(path.join(__dirname, '../../fixtures/providers', f), 'utf8');
const I = 'fl3a9c1d-node-1';

describe('multipass info/list --format json', () => {
  it.each([['multipass-1.16-info-linux.json', '10.74.70.141'], ['multipass-1.16-info-macos.json', '192.168.64.7'], ['multipass-dev-info-linux.json', '10.97.0.12']])(
    'reads state, addresses and release of a running instance (%s)', (file, ip) => {
      const { instances, errors } = parseMultipassInfo(fx(file));
      expect(errors).toEqual([]);
      expect(instances).toEqual([{ name: I, state: 'Running', ipv4: [ip], release: 'Ubuntu 24.04.1 LTS' }]);
    });

  it('reads stopped and deleted-but-not-purged instances (no addresses)', () => {
    expect(parseMultipassInfo(fx('multipass-1.16-info-stopped.json')).instances[0]).toMatchObject({ state: 'Stopped', ipv4: [] });
    expect(parseMultipassInfo(fx('multipass-1.16-info-deleted.json')).instances[0]).toMatchObject({ state: 'Deleted', ipv4: [] });
  });

  it('reads the list form with and without zones, and old upper-case states', () => {
    expect(parseMultipassList(fx('multipass-1.16-list.json')).map((i) => [i.name, i.state])).toEqual([[I, 'Running'], ['fl3a9c1d-node-2', 'Stopped'], ['node-1', 'Running']]);
    expect(parseMultipassList(fx('multipass-dev-list.json')).map((i) => [i.name, i.state, i.ipv4])).toEqual([[I, 'Running', ['10.97.0.12']], ['fl3a9c1d-node-2', 'Stopped', []]]);
    expect(normaliseState('RUNNING')).toBe('Running');
    expect(normaliseState('')).toBe('Unknown');
  });
});

describe('the address of a Multipass node', () => {
  it('is the management address, never the pod bridge multipass lists with the others or "N/A"', () => {
    expect(managementIPv4(parseMultipassInfo(fx('multipass-1.16-info-bridge-listed.json')).instances[0].ipv4)).toBe('10.74.70.141');
    expect(managementIPv4(parseMultipassInfo(fx('multipass-1.16-info-no-management-ip.json')).instances[0].ipv4)).toBeUndefined();
    expect(managementIPv4(['10.244.3.1', '10.74.70.141'])).toBe('10.74.70.141');
    expect(managementIPv4(['N/A'])).toBeUndefined();
  });

  it('knows the pod bridge in a cluster CIDR of the user\'s (serve --cluster-cidr), where the default one is a real network', () => {
    expect(managementIPv4(['10.128.3.1', '10.244.0.9'], '10.128.0.0/16')).toBe('10.244.0.9');
    expect(managementIPv4(['10.128.3.1'], '10.128.0.0/16')).toBeUndefined();
  });
});

describe('multipass launch', () => {
  it('launches the data dir\'s prefixed instance with resources, the cloud-init on stdin and a timeout', () => {
    expect(multipassLaunchArgv('multipass', '24.04', `${instancePrefix('/d')}node-1`, { name: 'node-1', cpus: 2, memoryMiB: 2048, diskGiB: 10 }, 600)).toEqual([
      'multipass', 'launch', '24.04', '--name', `${instancePrefix('/d')}node-1`, '--cpus', '2', '--memory', '2048M', '--disk', '10G', '--cloud-init', '-', '--timeout', '600',
    ]);
    expect(instancePrefix('/d')).toMatch(/^fl[0-9a-f]{6}-$/);
    expect(instancePrefix('/e')).not.toBe(instancePrefix('/d'));
  });

  it('fills our public key (root and default user) and the instance\'s identity into a valid cloud-config', () => {
    const t = fs.readFileSync(path.join(__dirname, '../../../vm-images/multipass/cloud-init.yaml'), 'utf8');
    const out = renderCloudInit(t, 'ssh-ed25519 AAAAkey flotilla', '0a1b2c');
    expect(out).not.toContain('__FLOTILLA_');
    expect(out.startsWith('#cloud-config')).toBe(true);
    const doc = parse(out) as {
      disable_root: boolean; ssh_authorized_keys: string[]; packages: string[];
      write_files: Array<{ path: string; content: string }>; users: Array<string | { name: string; ssh_authorized_keys: string[] }>;
    };
    expect(doc.disable_root).toBe(false);
    expect(doc.ssh_authorized_keys).toEqual(['ssh-ed25519 AAAAkey flotilla']);
    expect(doc.users).toContainEqual({ name: 'root', ssh_authorized_keys: ['ssh-ed25519 AAAAkey flotilla'] });
    expect(doc.write_files).toContainEqual({ path: '/etc/flotilla/instance-id', content: '0a1b2c\n' });
    expect(doc.packages).toEqual(['containerd', 'runc', 'containernetworking-plugins', 'iptables', 'nodejs']);
    expect(() => renderCloudInit(t, 'a\nb', '0a')).toThrow();
    expect(() => renderCloudInit(t, 'ssh-ed25519 AAAA', 'x y')).toThrow();
  });
});
