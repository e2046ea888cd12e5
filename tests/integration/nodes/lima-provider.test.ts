// The Lima provider against a stand-in limactl that behaves as Lima does where the review found the
// provider wrong (stand-ins.ts, limactl-stand-in.ts): a guest whose host key cloud-init regenerates
// on every boot unless told not to (served by a real sshd), the first start in a fresh LIMA_HOME
// racing on its SSH key, macOS's 104-byte socket paths, Lima 1.x's `list` stopping at a half-made
// instance, `Running` before provisioning has finished, and provisioning failing on apt.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LimaProvider, defaultLimaTemplate } from '../../../main/nodes/providers/lima';
import { connectSsh } from '../../../main/nodes/ssh';
import { clientKey } from '../../../main/nodes/keys';
import { pollUntil } from '../../../main/protocol/poll';
import { parse, stringify } from 'yaml';
import type { MachineInfo } from '../../../main/nodes/types';
import { useStandIns } from './stand-ins';
import { canRunSshd } from './guest-sshd';

const suite = useStandIns('flotilla-lima-');
const spec = (name: string, memoryMiB = 1024) => ({ name, cpus: 1, memoryMiB, diskGiB: 5 });
const guestFile = (p: LimaProvider, name: string, f: string): string => path.join(p.home, name, 'guest', f);
const none = (): void => undefined;

/** Connects the way the machine controller does: the endpoint's pinned key, else trust on first use. */
async function connect(p: LimaProvider, info: MachineInfo): Promise<string> {
  const s = await connectSsh(info.ssh!);
  try {
    if (!info.ssh!.hostKey && s.hostKey) p.rememberHostKey(info.name, s.hostKey);
    return (await s.run('anything')).trim();
  } finally {
    s.close();
  }
}

describe.skipIf(!canRunSshd)('a Lima guest\'s SSH host key across restarts (real sshd)', () => {
  it('is kept across stop/start, so the pinned key still connects', async () => {
    suite.setEnv('FAKE_SSHD', '1');
    try {
      const p = new LimaProvider({ dataDir: path.join(suite.dir, 'keep') });
      const first = await p.create(spec('node-1'), none);
      expect(await connect(p, first)).toBe('stand-in guest');
      for (let i = 0; i < 2; i++) {
        await p.stop('node-1');
        const again = await p.start('node-1');
        expect(await connect(p, again)).toBe('stand-in guest');
        expect(again.ssh?.hostKey).toBe(first.ssh?.hostKey);
      }
      expect(fs.readFileSync(guestFile(p, 'node-1', 'etc/cloud/cloud.cfg.d/99-flotilla-keep-ssh-host-keys.cfg'), 'utf8')).toBe('ssh_deletekeys: false\n');
      await p.delete('node-1');
    } finally {
      suite.setEnv('FAKE_SSHD', undefined);
    }
  });

  it('is pinned again after a reboot of the same instance whose template did not keep it, and refused when it changes without one', async () => {
    // An instance made before the template kept the keys: cloud-init regenerates them on each boot.
    const old = parse(fs.readFileSync(defaultLimaTemplate(), 'utf8')) as { provision: Array<{ script: string }> };
    old.provision = old.provision.filter((x) => !x.script.includes('ssh_deletekeys'));
    const template = path.join(suite.dir, 'old-worker.yaml');
    fs.writeFileSync(template, stringify(old));
    suite.setEnv('FAKE_SSHD', '1');
    try {
      const p = new LimaProvider({ dataDir: path.join(suite.dir, 'repin'), template });
      const first = await p.create(spec('node-1'), none);
      await connect(p, first);
      await p.stop('node-1');
      const again = await p.start('node-1');
      expect(again.ssh?.hostKey).not.toBe(first.ssh?.hostKey);
      expect(again.message).toMatch(/changed with a reboot and was pinned again/);
      expect(await connect(p, again)).toBe('stand-in guest');

      // The same boot, a different key: not the instance Flotilla pinned, as far as it can tell.
      const key = guestFile(p, 'node-1', 'etc/ssh/ssh_host_ed25519_key');
      fs.rmSync(key); fs.rmSync(`${key}.pub`);
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
      const listed = (await p.list()).find((m) => m.name === 'node-1');
      expect(listed?.state).toBe('Broken');
      expect(listed?.message).toMatch(/SSH host key changed without a reboot; refusing to connect/);
      expect(listed?.ssh).toBeUndefined();
      await p.delete('node-1');
    } finally {
      suite.setEnv('FAKE_SSHD', undefined);
    }
  });
});

describe('the Lima provider and Lima as it is', () => {
  it('makes two machines at once in a fresh LIMA_HOME (Lima would race on generating its SSH key)', async () => {
    const p = new LimaProvider({ dataDir: path.join(suite.dir, 'race') });
    const made = await Promise.all([p.create(spec('node-1'), none), p.create(spec('node-2'), none)]);
    expect(made.map((m) => m.state)).toEqual(['Running', 'Running']);
    expect(fs.readFileSync(path.join(p.home, '_config', 'user.pub'), 'utf8')).toMatch(/^ssh-ed25519 \S+ lima\n$/);
  });

  it('on macOS puts LIMA_HOME where Lima\'s sockets fit, and says so plainly when a name cannot fit', async () => {
    suite.setEnv('FAKE_UNIX_PATH_MAX', '104');
    try {
      const dataDir = path.join(suite.dir, 'Users', 'alexandra-lind', 'Library', 'Application Support', 'flotilla', 'cluster');
      expect(path.join(dataDir, 'lima', 'node-1', 'ssh.sock.1234567890123456').length).toBeGreaterThanOrEqual(104);
      const homeDir = path.join(suite.dir, 'h');
      const p = new LimaProvider({ dataDir, platform: 'darwin', homeDir });
      expect((await p.create(spec('node-1'), none)).state).toBe('Running');
      expect(p.home).toMatch(new RegExp(`^${homeDir}/\\.flotilla-lima/[0-9a-f]{8}$`));
      expect(fs.readFileSync(path.join(dataDir, 'lima-home'), 'utf8').trim()).toBe(p.home);
      const homes = suite.fakes.calls().map((c) => c.limaHome);
      expect(homes).toContain(p.home);
      expect(homes).not.toContain(path.join(dataDir, 'lima'));

      const long = `node-${'x'.repeat(60)}`;
      const err = await p.create(spec(long), none).then(() => undefined, (e: unknown) => e as Error);
      expect(err?.message).toMatch(new RegExp(`^Lima cannot make machine ${long} here: its socket .* would be \\d+ characters long, and macOS allows at most 103 \\(UNIX_PATH_MAX 104\\); choose a machine name of at most \\d+ characters`));
      expect(suite.fakes.calls().some((c) => c.argv.includes(`--name=${long}`))).toBe(false);
    } finally {
      suite.setEnv('FAKE_UNIX_PATH_MAX', undefined);
    }
  });

  it.each(['1.0.3', '2.2.0'])('lists the other instances while one is half-made (Lima %s)', async (version) => {
    suite.setEnv('FAKE_LIMA_VERSION', version);
    try {
      const p = new LimaProvider({ dataDir: path.join(suite.dir, `half-${version}`) });
      await p.create(spec('node-1'), none);
      fs.mkdirSync(path.join(p.home, 'node-2')); // `limactl create` under way: no lima.yaml yet
      const listed = await p.list();
      expect(listed.map((m) => [m.name, m.state])).toEqual([['node-1', 'Running'], ['node-2', 'Broken']]);
      expect(listed[1].message).toMatch(/node-2\/lima\.yaml: no such file or directory/);
    } finally {
      suite.setEnv('FAKE_LIMA_VERSION', undefined);
    }
  });

  it('takes a Running instance whose provisioning has not finished as not up yet, and waits for it', async () => {
    const p = new LimaProvider({ dataDir: path.join(suite.dir, 'interrupted') });
    // A `limactl start` whose caller went away: the host agent runs on and the guest is still provisioning.
    const params = `.param.FLOTILLA_PUBKEY = ${JSON.stringify(clientKey(path.join(suite.dir, 'interrupted')).publicKey)} | .param.FLOTILLA_INSTANCE_ID = "ab12"`;
    execFileSync('limactl', ['start', '--name=node-1', '--tty=false', '--set', params, defaultLimaTemplate()],
      { env: { ...process.env, LIMA_HOME: p.home, FAKE_PROVISION_PENDING: '1' }, stdio: 'ignore' });
    expect((await p.list()).map((m) => m.state)).toEqual(['Starting']);
    const said: string[] = [];
    const made = p.create(spec('node-1'), (m) => said.push(m));
    await pollUntil(() => said.some((m) => /waiting for Lima instance node-1 to finish installing/.test(m)), 20_000, 'the provider to wait for provisioning');
    fs.writeFileSync(guestFile(p, 'node-1', 'run/flotilla-provision/state'), 'done\n');
    expect(await made).toMatchObject({ name: 'node-1', state: 'Running', ssh: { user: 'root' } });
  });

  it('fails a start at once with apt\'s error when provisioning fails, not after the boot timeout', async () => {
    suite.setEnv('FAKE_PROVISION_FAIL', '1');
    try {
      const p = new LimaProvider({ dataDir: path.join(suite.dir, 'apt') });
      const err = await p.create(spec('node-1'), none).then(() => undefined, (e: unknown) => e as Error);
      expect(err?.message).toMatch(/^provisioning the node failed: apt-get update \(exit 100\)\nE: Some index files failed to download/);
      expect(err?.message).toMatch(/errors in serial\.log:\n[\s\S]*E: Some index files failed to download[\s\S]*flotilla provisioning failed: apt-get update \(exit 100\)/);
      const listed = await p.list();
      expect(listed.map((m) => m.state)).toEqual(['Broken']);
      expect(listed[0].message).toMatch(/^provisioning the node failed: apt-get update/);
    } finally {
      suite.setEnv('FAKE_PROVISION_FAIL', undefined);
    }
  });
});
