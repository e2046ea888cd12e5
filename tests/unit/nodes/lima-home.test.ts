// Where a data dir's LIMA_HOME goes and Lima's UNIX socket path limit (pkg/instance/create.go,
// filenames.LongestSock, networks/usernet; 104 bytes on macOS, 108 on Linux), and LIMA_HOME's own key.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseLimaHome, ensureLimaUserKey, limaSocketPaths, socketPathProblem, unixPathMax } from '../../../main/nodes/providers/lima-home';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-limahome-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('Lima\'s socket path budget', () => {
  it('is UNIX_PATH_MAX as Lima uses it, for the instance\'s longest socket and user-v2\'s', () => {
    expect(unixPathMax('darwin')).toBe(104);
    expect(unixPathMax('linux')).toBe(108);
    expect(limaSocketPaths('/h', 'node-1')).toEqual(['/h/node-1/ssh.sock.1234567890123456', '/h/_networks/user-v2/user-v2_qemu.sock']);
  });

  it('fails a 14-character macOS user\'s Application Support data dir (the app\'s), and says what would fit', () => {
    const home = '/Users/alexandrapetro/Library/Application Support/flotilla/cluster/lima';
    expect(socketPathProblem(home, 'node-1', 'darwin')).toBe(
      `Lima cannot make machine node-1 here: its socket ${home}/node-1/ssh.sock.1234567890123456 would be 104 characters long, and macOS allows at most 103 (UNIX_PATH_MAX 104); choose a machine name of at most 5 characters (LIMA_HOME is ${home})`);
    expect(socketPathProblem(home, 'node-1', 'linux')).toBeUndefined();
    expect(socketPathProblem(`/${'x'.repeat(70)}`, 'n', 'darwin')).toMatch(/user-v2_qemu\.sock would be 107 characters long.*LIMA_HOME .* is too long for Lima/);
  });
});

describe('choosing LIMA_HOME', () => {
  it('keeps D/lima where it leaves room, on macOS moves to a short directory per data dir, and records the choice', () => {
    const shortData = path.join(tmp, 'a');
    expect(chooseLimaHome(shortData, 'darwin', '/Users/al', false)).toBe(path.join(shortData, 'lima'));
    expect(fs.existsSync(path.join(shortData, 'lima-home'))).toBe(false);

    const deep = path.join(tmp, 'Users', 'alexandra12', 'Library', 'Application Support', 'flotilla', 'cluster');
    const chosen = chooseLimaHome(deep, 'darwin', '/Users/alexandra12', true);
    expect(chosen).toMatch(/^\/Users\/alexandra12\/\.flotilla-lima\/[0-9a-f]{8}$/);
    expect(chooseLimaHome(path.join(deep, '..', 'other'), 'darwin', '/Users/alexandra12', false)).not.toBe(chosen);
    expect(socketPathProblem(chosen, `node-${'9'.repeat(20)}`, 'darwin')).toBeUndefined();
    expect(fs.readFileSync(path.join(deep, 'lima-home'), 'utf8')).toBe(`${chosen}\n`);
    expect(chooseLimaHome(deep, 'darwin', '/elsewhere', false)).toBe(chosen); // the record wins
  });

  it('keeps a D/lima that already holds instances', () => {
    const deep = path.join(tmp, 'Users', 'bartholomew', 'Library', 'Application Support', 'flotilla', 'cluster');
    fs.mkdirSync(path.join(deep, 'lima', 'node-1'), { recursive: true });
    expect(chooseLimaHome(deep, 'darwin', '/Users/bartholomew', false)).toBe(path.join(deep, 'lima'));
  });
});

describe('LIMA_HOME\'s SSH key', () => {
  it('is made once, as OpenSSH keys ssh-keygen reads, before Lima would race to make it', () => {
    const home = path.join(tmp, 'home');
    ensureLimaUserKey(home);
    const user = path.join(home, '_config', 'user');
    const pub = fs.readFileSync(`${user}.pub`, 'utf8');
    expect(pub).toMatch(/^ssh-ed25519 \S+ lima\n$/);
    expect(fs.statSync(user).mode & 0o777).toBe(0o600);
    expect(execFileSync('ssh-keygen', ['-y', '-f', user], { encoding: 'utf8' }).split(' ').slice(0, 2)).toEqual(pub.split(' ').slice(0, 2));
    ensureLimaUserKey(home);
    expect(fs.readFileSync(`${user}.pub`, 'utf8')).toBe(pub);
  });
});
