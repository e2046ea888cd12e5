// Lima CLI handling against recorded outputs (tests/fixtures/providers, sources in its README).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { guestIPFromIpJson, parseLimaList, parseSshConfig } from '../../../main/nodes/providers/lima-parse';
import { limaStartArgv } from '../../../main/nodes/providers/lima';

const fx = (f: string): string => fs.readFileSync(path.join(__dirname, '../../fixtures/providers', f), 'utf8');

describe('limactl list --json', () => {
  it('reads JSON Lines: one instance per line with status, dir, ssh port and config file', () => {
    const list = parseLimaList(fx('lima-list.jsonl'));
    expect(list.map((i) => [i.name, i.status])).toEqual([['node-1', 'Running'], ['node-2', 'Stopped'], ['node-3', 'Broken']]);
    expect(list[0]).toMatchObject({ sshLocalPort: 60022, sshAddress: '127.0.0.1', sshConfigFile: '/home/me/.flotilla/lima/node-1/ssh.config', identityFile: '/home/me/.flotilla/lima/_config/user' });
    expect(list[1].sshLocalPort).toBe(0);
    expect(list[2].errors[0]).toMatch(/no such file/);
  });

  it('reads the pretty-printed form a TTY gets, too', () => {
    const list = parseLimaList(fx('lima-list-tty.txt'));
    expect(list.map((i) => [i.name, i.status, i.sshLocalPort])).toEqual([['node-1', 'Running', 51234], ['node-2', 'Stopped', 0]]);
  });

  it('is empty for no instances and skips garbage lines', () => {
    expect(parseLimaList('')).toEqual([]);
    expect(parseLimaList('time="x" level=warning msg="noise"\n{"name":"a","status":"Running"}\n').map((i) => i.name)).toEqual(['a']);
  });
});

describe('ssh.config and guest address', () => {
  it('takes HostName, Port, User and IdentityFile from the instance ssh.config', () => {
    expect(parseSshConfig(fx('lima-ssh.config'))).toEqual({ hostName: '127.0.0.1', port: 60022, user: 'me', identityFiles: ['/home/me/.flotilla/lima/_config/user'] });
  });

  it('finds the user-v2 address (eth1), never the host-only 192.168.5.15', () => {
    expect(guestIPFromIpJson(fx('lima-ip-addr.json'))).toBe('192.168.104.3');
    const onlyEth0 = JSON.stringify((JSON.parse(fx('lima-ip-addr.json')) as Array<{ ifname: string }>).filter((l) => l.ifname !== 'eth1'));
    expect(guestIPFromIpJson(onlyEth0)).toBeUndefined();
    expect(guestIPFromIpJson('not json')).toBeUndefined();
  });
});

describe('limactl start command line', () => {
  it('names the instance, sets resources, a bounded timeout and our key as a template param', () => {
    const argv = limaStartArgv('limactl', '/t/worker.yaml', { name: 'node-1', cpus: 4, memoryMiB: 4096, diskGiB: 20 }, 'ssh-ed25519 AAAA flotilla', '5m');
    expect(argv).toEqual([
      'limactl', 'start', '--name=node-1', '--tty=false', '--timeout=5m', '--cpus=4', '--memory=4', '--disk=20',
      '--set', '.param.FLOTILLA_PUBKEY = "ssh-ed25519 AAAA flotilla"', '/t/worker.yaml',
    ]);
  });

  it('the template asks for user-v2 networking and installs the node packages idempotently', () => {
    const t = fs.readFileSync(path.join(__dirname, '../../../vm-images/lima/worker.yaml'), 'utf8');
    expect(t).toMatch(/networks:\n\s+- lima: user-v2/);
    for (const p of ['containerd', 'runc', 'containernetworking-plugins', 'iptables', 'nodejs']) expect(t).toContain(p);
    expect(t).toContain('PARAM_FLOTILLA_PUBKEY');
    expect(t).toContain('grep -qxF');
  });
});
