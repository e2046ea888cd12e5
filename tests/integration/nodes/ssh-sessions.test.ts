// Bootstrap's file sync against a real sshd with Ubuntu's (and OpenSSH's) MaxSessions 10: every exec
// and SFTP channel is a session, and a node gets the agent, a dozen image tarballs and its configs.
// Sandbox nodes' own sshd allows 64, which is why only a VM guest's limit shows this.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncFiles, type FileSpec } from '../../../main/nodes/bootstrap';
import { connectSsh, type SshSession } from '../../../main/nodes/ssh';
import { generateKeyPair } from '../../../main/nodes/keys';
import { canRunSshd, guestSshdLib, stopAllGuestSshds } from './guest-sshd';
import { freePort } from '../../helpers/free-port';

describe.skipIf(!canRunSshd)('bootstrap file sync on an sshd with MaxSessions 10', () => {
  let dir: string;
  let s: SshSession;
  const registry = (): string => path.join(dir, 'registry');

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-sessions-'));
    process.env.FAKE_SSHD_REGISTRY = registry();
    const lib = guestSshdLib(dir);
    const client = generateKeyPair('flotilla');
    const hostKey = path.join(dir, 'ssh_host_ed25519_key');
    const hostPub = lib.hostKey(hostKey, 'root@guest', false);
    const port = await freePort();
    await lib.start({ dir: path.join(dir, 'sshd'), port, hostKey, authorizedKeys: [client.publicKey], maxSessions: 10 });
    s = await connectSsh({ host: '127.0.0.1', port, user: 'root', privateKey: client.privateKey, hostKey: hostPub.split(' ').slice(0, 2).join(' ') });
  });

  afterAll(async () => {
    s?.close();
    await stopAllGuestSshds(registry(), guestSshdLib(dir));
    delete process.env.FAKE_SSHD_REGISTRY;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uploads an agent, twelve image tarballs and two configs in one go', async () => {
    const local = path.join(dir, 'local');
    const remote = path.join(dir, 'node');
    fs.mkdirSync(local);
    fs.mkdirSync(remote);
    const files: FileSpec[] = [];
    for (let i = 0; i < 13; i++) {
      const f = path.join(local, i ? `image-${i}.tar` : 'agent.js');
      fs.writeFileSync(f, `${f}\n`.repeat(2000));
      files.push({ local: f, remote: path.join(remote, path.basename(f)) });
    }
    files.push({ remote: path.join(remote, 'agent.json'), content: '{"token":"secret"}\n', mode: '0600' });
    files.push({ remote: path.join(remote, 'containerd.toml'), content: 'version = 2\n' });

    const changed = await syncFiles(s, new Map(), files);
    expect(changed.size).toBe(files.length);
    for (const f of files) expect(fs.readFileSync(f.remote, 'utf8')).toBe(f.local ? fs.readFileSync(f.local, 'utf8') : f.content);
    expect(fs.statSync(path.join(remote, 'agent.json')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(remote, 'containerd.toml')).mode & 0o777).toBe(0o644);
    expect(fs.readdirSync(remote).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('copies the files of a node whose directories are on this host (sandbox) there, and moves them into place over SSH', async () => {
    const local = path.join(dir, 'local-host');
    const remote = path.join(dir, 'node-host');
    fs.mkdirSync(local);
    fs.mkdirSync(remote);
    const agent = path.join(local, 'agent.js');
    fs.writeFileSync(agent, 'agent\n'.repeat(1000));
    fs.writeFileSync(path.join(remote, 'agent.json.part'), 'stale', { mode: 0o644 }); // a leftover of an interrupted sync
    const files: FileSpec[] = [{ local: agent, remote: path.join(remote, 'agent.js') }, { remote: path.join(remote, 'agent.json'), content: '{"token":"t"}\n', mode: '0600' }];
    const asked: string[] = [];
    // Here the node's paths are this host's: the host path of a node path is itself.
    const changed = await syncFiles(s, new Map(), files, (p) => { asked.push(p); return p; });
    expect([...changed].sort()).toEqual(files.map((f) => f.remote).sort());
    expect(asked.sort()).toEqual(files.map((f) => `${f.remote}.part`).sort());
    expect(fs.readFileSync(path.join(remote, 'agent.js'), 'utf8')).toBe(fs.readFileSync(agent, 'utf8'));
    expect(fs.readFileSync(path.join(remote, 'agent.json'), 'utf8')).toBe('{"token":"t"}\n');
    expect(fs.statSync(path.join(remote, 'agent.json')).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(remote).filter((f) => f.endsWith('.part'))).toEqual([]);
  });
});
