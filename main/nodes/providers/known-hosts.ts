// Host keys of VM nodes, learned on the first connection and pinned afterwards:
// D/<provider>/known_hosts/<name>.
import * as fs from 'node:fs';
import * as path from 'node:path';

export class KnownHosts {
  constructor(private readonly dir: string) {}

  get(name: string): string {
    try { return fs.readFileSync(path.join(this.dir, name), 'utf8').trim(); } catch { return ''; }
  }

  set(name: string, key: string): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(this.dir, name), `${key}\n`, { mode: 0o600 });
  }

  forget(name: string): void {
    fs.rmSync(path.join(this.dir, name), { force: true });
  }
}
