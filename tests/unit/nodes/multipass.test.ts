// Multipass CLI handling against recorded outputs (tests/fixtures/providers, sources in its README).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseState, parseMultipassInfo, parseMultipassList } from '../../../main/nodes/providers/multipass-parse';
import { multipassLaunchArgv, renderCloudInit } from '../../../main/nodes/providers/multipass';
import { parse } from 'yaml';

const fx = (f: string): string => fs.readFileSync(path.join(__dirname, '../../fixtures/providers', f), 'utf8');

describe('multipass info/list --format json', () => {
  it('reads state, IPv4 and release of a running instance', () => {
    const { instances, errors } = parseMultipassInfo(fx('multipass-info.json'));
    expect(errors).toEqual([]);
    expect(instances).toEqual([{ name: 'node-1', state: 'Running', ipv4: ['10.74.70.141'], release: 'Ubuntu 24.04.1 LTS' }]);
  });

  it('reads a stopped instance (no address)', () => {
    expect(parseMultipassInfo(fx('multipass-info-stopped.json')).instances[0]).toMatchObject({ name: 'node-2', state: 'Stopped', ipv4: [] });
  });

  it('reads the list form and old upper-case states', () => {
    expect(parseMultipassList(fx('multipass-list.json')).map((i) => [i.name, i.state, i.ipv4[0]])).toEqual([['node-1', 'Running', '10.74.70.141'], ['node-2', 'Stopped', undefined]]);
    expect(normaliseState('RUNNING')).toBe('Running');
    expect(normaliseState('')).toBe('Unknown');
  });
});

describe('multipass launch', () => {
  it('builds the launch command line with resources, cloud-init and a timeout', () => {
    expect(multipassLaunchArgv('multipass', '24.04', { name: 'node-1', cpus: 2, memoryMiB: 2048, diskGiB: 10 }, '/d/ci.yaml', 600)).toEqual([
      'multipass', 'launch', '24.04', '--name', 'node-1', '--cpus', '2', '--memory', '2048M', '--disk', '10G', '--cloud-init', '/d/ci.yaml', '--timeout', '600',
    ]);
  });

  it('injects our public key into the cloud-init (root and default user) and keeps it valid YAML', () => {
    const t = fs.readFileSync(path.join(__dirname, '../../../vm-images/multipass/cloud-init.yaml'), 'utf8');
    const out = renderCloudInit(t, 'ssh-ed25519 AAAAkey flotilla');
    expect(out).not.toContain('__FLOTILLA_PUBKEY__');
    expect(out.startsWith('#cloud-config')).toBe(true);
    const doc = parse(out) as { disable_root: boolean; ssh_authorized_keys: string[]; packages: string[]; users: Array<string | { name: string; ssh_authorized_keys: string[] }> };
    expect(doc.disable_root).toBe(false);
    expect(doc.ssh_authorized_keys).toEqual(['ssh-ed25519 AAAAkey flotilla']);
    expect(doc.users).toContainEqual({ name: 'root', ssh_authorized_keys: ['ssh-ed25519 AAAAkey flotilla'] });
    expect(doc.packages).toEqual(['containerd', 'runc', 'containernetworking-plugins', 'iptables', 'nodejs']);
    expect(() => renderCloudInit(t, 'a\nb')).toThrow();
  });
});
