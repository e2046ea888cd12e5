// Where a data dir's Lima instances live (its own LIMA_HOME), and the limits that choice has to
// respect. Lima puts UNIX sockets inside LIMA_HOME, and a socket's path must be shorter than
// UNIX_PATH_MAX (104 bytes on macOS, 108 on Linux): Lima refuses to create an instance whose
// longest socket path, <LIMA_HOME>/<name>/ssh.sock plus the 17 characters ssh appends, is not
// (pkg/instance/create.go, filenames.LongestSock), and its user-v2 network needs
// <LIMA_HOME>/_networks/user-v2/user-v2_qemu.sock (pkg/networks/usernet/config.go). A data dir under
// ~/Library/Application Support/… leaves too little room, so there LIMA_HOME is a short directory
// in the home directory, one per data dir; the choice is recorded in D/lima-home and kept.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { generateKeyPair } from '../keys';

/** Lima's filenames.LongestSock: ssh's ControlPath plus the 16 random characters ssh appends while creating it. */
export const LONGEST_INSTANCE_SOCKET = 'ssh.sock.1234567890123456';
/** The user-v2 network's socket for QEMU (usernet.Sock("user-v2", QEMUSock)), the longest under _networks. */
export const USERNET_SOCKET = path.join('_networks', 'user-v2', 'user-v2_qemu.sock');
/** Room kept for instance names when choosing LIMA_HOME (longer names are checked one by one). */
const NAME_ROOM = 20;

/** UNIX_PATH_MAX as Lima uses it (pkg/osutil): 108 on Linux and Windows, 104 elsewhere (macOS, BSDs). */
export function unixPathMax(platform: NodeJS.Platform): number {
  return platform === 'linux' || platform === 'win32' ? 108 : 104;
}

/** The socket paths Lima will need for instance `name` under `home`. */
export function limaSocketPaths(home: string, name: string): string[] {
  return [path.join(home, name, LONGEST_INSTANCE_SOCKET), path.join(home, USERNET_SOCKET)];
}

/** Why Lima would refuse instance `name` under `home` on `platform`, in plain words; undefined when it fits. */
export function socketPathProblem(home: string, name: string, platform: NodeJS.Platform): string | undefined {
  const max = unixPathMax(platform);
  const long = limaSocketPaths(home, name).find((p) => p.length >= max);
  if (!long) return undefined;
  const os = platform === 'darwin' ? 'macOS' : platform;
  const what = `Lima cannot make machine ${name} here: its socket ${long} would be ${long.length} characters long, and ${os} allows at most ${max - 1} (UNIX_PATH_MAX ${max})`;
  const room = max - 1 - (home.length + 2 + LONGEST_INSTANCE_SOCKET.length);
  return room > 0 && !long.startsWith(path.join(home, '_networks'))
    ? `${what}; choose a machine name of at most ${room} characters (LIMA_HOME is ${home})`
    : `${what}; this data dir's LIMA_HOME ${home} is too long for Lima (use a data dir with a shorter path)`;
}

function hasInstances(home: string): boolean {
  try {
    return fs.readdirSync(home, { withFileTypes: true }).some((d) => d.isDirectory() && !d.name.startsWith('_') && !d.name.startsWith('.'));
  } catch {
    return false;
  }
}

/**
 * The data dir's LIMA_HOME: the one recorded in D/lima-home; else D/lima when it leaves room for
 * names of NAME_ROOM characters (or already holds instances); else ~/.flotilla-lima/<8 hex of the
 * data dir's path>. Records the choice when asked to (on making the first instance).
 */
export function chooseLimaHome(dataDir: string, platform: NodeJS.Platform, homeDir: string, record: boolean): string {
  const file = path.join(dataDir, 'lima-home');
  try {
    const recorded = fs.readFileSync(file, 'utf8').trim();
    if (recorded) return recorded;
  } catch { /* not chosen yet */ }
  const inDataDir = path.join(dataDir, 'lima');
  const fits = !socketPathProblem(inDataDir, 'x'.repeat(NAME_ROOM), platform);
  const home = fits || hasInstances(inDataDir)
    ? inDataDir
    : path.join(homeDir, '.flotilla-lima', createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 8));
  if (record) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, `${home}\n`);
  }
  return home;
}

/**
 * Makes LIMA_HOME's own SSH key (_config/user and user.pub) before any limactl command needs it.
 * Lima generates it on first use, and two `limactl start`s at once in a fresh LIMA_HOME both find it
 * missing and both run ssh-keygen, the second failing on the existing file (sshutil.DefaultPubKeys
 * does not look again after taking its lock, v1.0–v2.2). The public half is renamed into place first:
 * Lima reads it once it sees the private half.
 */
export function ensureLimaUserKey(home: string): void {
  const dir = path.join(home, '_config');
  const priv = path.join(dir, 'user');
  if (fs.existsSync(priv)) return;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const kp = generateKeyPair('lima');
  fs.writeFileSync(`${priv}.pub.part`, `${kp.publicKey}\n`, { mode: 0o644 });
  fs.renameSync(`${priv}.pub.part`, `${priv}.pub`);
  fs.writeFileSync(`${priv}.part`, kp.privateKey, { mode: 0o600 });
  fs.renameSync(`${priv}.part`, priv);
}
