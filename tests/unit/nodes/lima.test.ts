// Lima CLI handling against outputs reconstructed from Lima's sources (tests/fixtures/providers,
// sources in its README): `limactl list --json` of 1.x and 2.2, limactl's stderr, ssh.config, and the
// provider's guest-state answer.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { limaFailure, parseLimaList, parseLimaStderr, parseSshConfig } from '../../../main/nodes/providers/lima-parse';
import { goDurationMs, limaStartArgv } from '../../../main/nodes/providers/lima';

const fx = (f: string): string => fs.readFileSync(path.join(__dirname, '../../fixtures/providers', f), 'utf8');
const HOME = '/Users/alexandra/.flotilla-lima/5d41402a';

describe('limactl list --json', () => {
  it('reads Lima 1.x JSON Lines: status, dir, ssh port and config file; errors without words count as none', () => {
    const list = parseLimaList(fx('lima-1.x-list.jsonl'));
    expect(list.map((i) => [i.name, i.status, i.sshLocalPort])).toEqual([['node-1', 'Running', 60022], ['node-2', 'Stopped', 0], ['node-3', 'Broken', 60125]]);
    expect(list[0]).toMatchObject({ dir: `${HOME}/node-1`, sshAddress: '127.0.0.1', sshConfigFile: `${HOME}/node-1/ssh.config`, identityFile: `${HOME}/_config/user`, errors: [] });
    expect(list[2].errors).toEqual([]); // [{}]: Go error values without exported fields
  });

  it('reads Lima 2.2, where a half-made instance is listed Broken with a path error', () => {
    const list = parseLimaList(fx('lima-2.2-list.jsonl'));
    expect(list.map((i) => [i.name, i.status])).toEqual([['node-1', 'Running'], ['node-4', 'Broken']]);
    expect(list[1].errors).toEqual([`open ${HOME}/node-4/lima.yaml: no such file or directory`]);
  });

  it('takes the words for an instance\'s errors from limactl\'s warnings (1.x and 2.x quoting) and its fatal errors', () => {
    expect(parseLimaStderr(fx('lima-1.x-list.stderr'))).toEqual(new Map([['node-3', 'host agent is running but driver is not']]));
    expect(parseLimaStderr(fx('lima-2.2-list.stderr'))).toEqual(new Map([['node-4', `open ${HOME}/node-4/lima.yaml: no such file or directory`]]));
    expect(parseLimaStderr(fx('lima-1.x-list-halfmade.stderr'))).toEqual(new Map([['node-4', `open ${HOME}/node-4/lima.yaml: no such file or directory`]]));
  });

  it('is empty for no instances and skips lines that are not JSON objects', () => {
    expect(parseLimaList('')).toEqual([]);
    expect(parseLimaList('time="x" level=warning msg="noise"\n{"name":"a","status":"Running"}\n').map((i) => i.name)).toEqual(['a']);
  });
});

describe('limactl failures', () => {
  it('says why a start failed in Lima\'s words, without logrus\' quoting (1.x and 2.2)', () => {
    expect(limaFailure(fx('lima-1.x-start-timeout.stderr'))).toBe('did not receive an event with the "running" status');
    expect(limaFailure(fx('lima-2.2-start-timeout.stderr'))).toBe('did not receive an event with the `running` status');
    expect(limaFailure('plain text\nlast line\n')).toBe('last line');
  });
});

describe('ssh.config', () => {
  it('takes HostName, Port, User and IdentityFile from the instance ssh.config', () => {
    expect(parseSshConfig(fx('lima-ssh.config'))).toEqual({ hostName: '127.0.0.1', port: 60022, user: 'alexandra', identityFiles: [`${HOME}/_config/user`] });
  });
});

describe('limactl start command line', () => {
  it('names the instance, sets resources, a bounded timeout, and passes memory in MiB with our key and identity in one --set', () => {
    const argv = limaStartArgv('limactl', '/t/worker.yaml', { name: 'node-1', cpus: 4, memoryMiB: 512, diskGiB: 20 }, { publicKey: 'ssh-ed25519 AAAA flotilla', instanceId: 'ab12' }, '5m');
    expect(argv).toEqual([
      'limactl', 'start', '--name=node-1', '--tty=false', '--timeout=5m', '--cpus=4', '--disk=20',
      '--set', '.memory = "512MiB" | .param.FLOTILLA_PUBKEY = "ssh-ed25519 AAAA flotilla" | .param.FLOTILLA_INSTANCE_ID = "ab12"', '/t/worker.yaml',
    ]);
    expect(argv.filter((a) => a === '--set')).toHaveLength(1); // Lima 1.x's --set is a single string
  });

  it('reads limactl\'s Go durations', () => {
    expect(goDurationMs('10m')).toBe(600_000);
    expect(goDurationMs('1m30s')).toBe(90_000);
    expect(goDurationMs('nonsense')).toBe(600_000);
  });
});
