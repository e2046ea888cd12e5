// SSH keys: every pair generated parses in ssh2 (its ed25519 generator writes about one malformed key in 300, which
// ssh2 then refuses: "Malformed OpenSSH private key" — a node that never connects, a data dir whose client key never
// works); a stored malformed pair is made again; a stored good pair is kept.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { utils } from 'ssh2';
import { ensureKeyPair, generateKeyPair, keyPairParses } from '../../../main/nodes/keys';

// One of ssh2's own malformed keys (a 31-byte ed25519 key, its leading zero byte lost), as it wrote it.
const MALFORMED = `-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMgAAAAtz
c2gtZWQyNTUxOQAAAB8QK+9QFkX0vPK2aGJMhSVRXkq/WBDp1OOF5WqGaBwWAAAA
kH90gJB/dICQAAAAC3NzaC1lZDI1NTE5AAAAHxAr71AWRfS88rZoYkyFJVFeSr9Y
EOnU44XlaoZoHBYAAAA/CyEGQuTO2ebJrnPz9fNm5Oioc7zG+fPlZ6G/8iOpWu4Q
K+9QFkX0vPK2aGJMhSVRXkq/WBDp1OOF5WqGaBwWAAAACGZsb3RpbGxhAQIDBAUG
Bw==
-----END OPENSSH PRIVATE KEY-----
`;

describe('SSH keys', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-keys-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the malformed sample is what ssh2 refuses', () => {
    expect(utils.parseKey(MALFORMED)).toBeInstanceOf(Error);
  });

  it('generates only pairs that parse (3,000 of them: ssh2 alone writes ≈ 10 bad ones in that many)', () => {
    for (let i = 0; i < 3000; i++) {
      const kp = generateKeyPair('flotilla');
      if (!keyPairParses(kp)) throw new Error(`key ${i} does not parse: ${kp.privateKey}`);
    }
  });

  it('keeps a stored good pair and makes a malformed one again', () => {
    const file = path.join(dir, 'ssh', 'id_ed25519');
    const first = ensureKeyPair(file, 'flotilla');
    expect(ensureKeyPair(file, 'flotilla')).toEqual(first);
    fs.writeFileSync(file, MALFORMED);
    const again = ensureKeyPair(file, 'flotilla');
    expect(keyPairParses(again)).toBe(true);
    expect(again.privateKey).not.toBe(MALFORMED);
    expect(fs.readFileSync(file, 'utf8')).toBe(again.privateKey);
    expect(fs.readFileSync(`${file}.pub`, 'utf8').trim()).toBe(again.publicKey);
  });
});
