// SSH keys the app generates: one client key per data dir (D/ssh/id_ed25519), host keys per sandbox node.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { utils, type ParsedKey } from 'ssh2';

export interface KeyPair { privateKey: string; publicKey: string }

/** Whether ssh2 (and so every connection we make) can read both halves. */
export function keyPairParses(kp: KeyPair): boolean {
  return !(utils.parseKey(kp.privateKey) instanceof Error) && !(utils.parseKey(kp.publicKey) instanceof Error);
}

/**
 * A new ed25519 key pair. ssh2's generator writes about one key in 300 with a 31-byte key (a leading zero byte lost),
 * which ssh2 itself then refuses ("Malformed OpenSSH private key"): such a pair is made again.
 */
export function generateKeyPair(comment: string): KeyPair {
  for (let attempt = 0; ; attempt++) {
    const k = utils.generateKeyPairSync('ed25519', { comment });
    const kp = { privateKey: k.private, publicKey: k.public.trim() };
    if (keyPairParses(kp)) return kp;
    if (attempt >= 20) throw new Error('could not generate an SSH key that parses (ssh2 wrote 20 malformed ones in a row)');
  }
}

/**
 * Loads or creates a key pair at file / file.pub (0600, in a 0700 directory). A stored pair that does not parse (one
 * of ssh2's malformed keys, written by an earlier version) is made again: no connection could ever have used it.
 */
export function ensureKeyPair(file: string, comment: string): KeyPair {
  if (fs.existsSync(file) && fs.existsSync(`${file}.pub`)) {
    const stored = { privateKey: fs.readFileSync(file, 'utf8'), publicKey: fs.readFileSync(`${file}.pub`, 'utf8').trim() };
    if (keyPairParses(stored)) return stored;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const kp = generateKeyPair(comment);
  fs.writeFileSync(file, kp.privateKey, { mode: 0o600 });
  fs.writeFileSync(`${file}.pub`, `${kp.publicKey}\n`, { mode: 0o644 });
  return kp;
}

/** The data dir's client key: what every node authorises. */
export function clientKey(dataDir: string): KeyPair {
  return ensureKeyPair(path.join(dataDir, 'ssh', 'id_ed25519'), 'flotilla');
}

/** The SSH wire-format blob of an OpenSSH public key line, for host-key pinning. */
export function publicKeyBlob(publicKeyLine: string): Buffer {
  // ssh2's typings omit that parseKey returns an array for a text holding several OpenSSH keys.
  const parsed = utils.parseKey(publicKeyLine) as ParsedKey | ParsedKey[] | Error;
  if (parsed instanceof Error) throw new Error(`bad public key: ${parsed.message}`);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key) throw new Error('bad public key: empty');
  return key.getPublicSSH();
}
