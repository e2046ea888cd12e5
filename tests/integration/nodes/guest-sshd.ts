// A real OpenSSH sshd standing in for a VM guest's: an Ubuntu guest's sshd has MaxSessions 10
// (OpenSSH's default), a host key made by ssh-keygen (as cloud-init does) and root login by key.
// Written as a small CommonJS library so the stand-in commands (plain Node scripts on PATH) and the
// tests use the same code. It listens on 127.0.0.1 only; every sshd it starts is listed in the
// registry file $FAKE_SSHD_REGISTRY, and `stopAllGuestSshds` stops those (and only those).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

export const GUEST_SSHD_JS = `
const fs = require('fs'); const path = require('path'); const cp = require('child_process'); const net = require('net');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// A zombie (its parent, a stand-in command, has exited) counts as gone.
const alive = (pid) => { try { return !/^\\d+ \\(.*\\) Z/.test(fs.readFileSync('/proc/' + pid + '/stat', 'utf8')); } catch { return false; } };

/** The host key at file (made if missing, or anew when regenerate: what cloud-init's ssh module does); returns the .pub line. */
exports.hostKey = (file, comment, regenerate) => {
  if (regenerate) { fs.rmSync(file, { force: true }); fs.rmSync(file + '.pub', { force: true }); }
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    cp.execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  }
  return fs.readFileSync(file + '.pub', 'utf8').trim();
};

/** Starts sshd on 127.0.0.1:port (detached: it outlives the stand-in command); resolves with its pid once it accepts connections. */
exports.start = async (o) => {
  fs.mkdirSync(o.dir, { recursive: true });
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const cfg = path.join(o.dir, 'sshd_config');
  fs.writeFileSync(path.join(o.dir, 'authorized_keys'), o.authorizedKeys.join('\\n') + '\\n', { mode: 0o600 });
  fs.writeFileSync(cfg, [
    'ListenAddress 127.0.0.1:' + o.port, 'HostKey ' + o.hostKey, 'AuthorizedKeysFile ' + path.join(o.dir, 'authorized_keys'),
    'PidFile ' + path.join(o.dir, 'sshd.pid'), 'PermitRootLogin prohibit-password', 'PubkeyAuthentication yes',
    'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no', 'StrictModes no', 'UseDNS no',
    'MaxSessions ' + (o.maxSessions || 10), 'Subsystem sftp internal-sftp', ...(o.forceCommand ? ['ForceCommand ' + o.forceCommand] : []), '',
  ].join('\\n'), { mode: 0o600 });
  const log = fs.openSync(path.join(o.dir, 'sshd.log'), 'a');
  const child = cp.spawn('/usr/sbin/sshd', ['-D', '-e', '-f', cfg], { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  if (process.env.FAKE_SSHD_REGISTRY) fs.appendFileSync(process.env.FAKE_SSHD_REGISTRY, JSON.stringify({ pid: child.pid, config: cfg }) + '\\n');
  const deadline = Date.now() + 10000;
  for (;;) {
    const up = await new Promise((r) => { const c = net.connect(o.port, '127.0.0.1', () => { c.destroy(); r(true); }); c.on('error', () => r(false)); });
    if (up) return child.pid;
    if (!alive(child.pid) || Date.now() > deadline) throw new Error('sshd did not start: ' + fs.readFileSync(path.join(o.dir, 'sshd.log'), 'utf8').slice(-500));
    await sleep(25);
  }
};

/** Stops the sshd with this pid if it is one started from this config, and waits until it is gone. */
exports.stop = async (pid, config) => {
  let cmd = '';
  try { cmd = fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8'); } catch { return; }
  if (!cmd.includes(config)) return;
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  const deadline = Date.now() + 5000;
  while (alive(pid) && Date.now() < deadline) await sleep(20);
};
`;

export interface GuestSshdLib {
  hostKey(file: string, comment: string, regenerate: boolean): string;
  start(o: { dir: string; port: number; hostKey: string; authorizedKeys: string[]; maxSessions?: number; forceCommand?: string }): Promise<number>;
  stop(pid: number, config: string): Promise<void>;
}

/** Writes the library into dir and loads it. */
export function guestSshdLib(dir: string): GuestSshdLib {
  const file = path.join(dir, 'guest-sshd.js');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, GUEST_SSHD_JS);
  return createRequire(__filename)(file) as GuestSshdLib;
}

/** Stops every sshd listed in the registry file (started by these tests) and empties it. */
export async function stopAllGuestSshds(registry: string, lib: GuestSshdLib): Promise<void> {
  let lines: string[] = [];
  try { lines = fs.readFileSync(registry, 'utf8').split('\n').filter(Boolean); } catch { return; }
  for (const l of lines) {
    const { pid, config } = JSON.parse(l) as { pid: number; config: string };
    await lib.stop(pid, config);
  }
  fs.rmSync(registry, { force: true });
}

/** Skips sshd-backed tests where sshd cannot run (not root), never under CI. */
export const canRunSshd = (process.getuid?.() === 0 && fs.existsSync('/usr/sbin/sshd')) || process.env.CI === 'true';
