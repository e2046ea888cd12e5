// The web UI's access token, kept in <data-dir>/ui-token (mode 0600) like the admin token: a
// restarted `flotilla serve` on the same data dir accepts the tabs that are already open.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export const UI_TOKEN_FILE = 'ui-token';
const FORMAT = /^[0-9a-f]{48}$/;

/** The data dir's UI token, made (and saved, readable by its owner only) on first use. */
export function uiToken(dataDir: string): string {
  const file = path.join(dataDir, UI_TOKEN_FILE);
  try {
    const saved = fs.readFileSync(file, 'utf8').trim();
    if (FORMAT.test(saved)) {
      if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
      return saved;
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const token = randomBytes(24).toString('hex');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // A new file: written to a temporary name and renamed, so a reader never sees half a token.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
  return token;
}
