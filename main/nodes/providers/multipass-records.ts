// Which Multipass instances are this data dir's. Multipass instances are global to the host and the
// user's own may have any name (a `node-1` of their own included), so Flotilla's are marked twice:
// their names carry a prefix derived from the data dir (fl<6 hex>-<machine>), and each one Flotilla
// launched is recorded in D/multipass/instances/<machine>.json with that name and the identity it
// gave the instance (also written into the guest as /etc/flotilla/instance-id). An instance without
// a record is never started, stopped or deleted, whatever its name.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';

export interface MultipassRecord {
  /** The Machine's name. */
  machine: string;
  /** The Multipass instance's name. */
  instance: string;
  id: string;
}

/** Multipass takes the instance name as the guest's hostname: at most 63 characters. */
export const MAX_INSTANCE_NAME = 63;

export function instancePrefix(dataDir: string): string {
  return `fl${createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 6)}-`;
}

export class MultipassRecords {
  private readonly dir: string;

  constructor(private readonly dataDir: string) {
    this.dir = path.join(dataDir, 'multipass', 'instances');
  }

  /** The instance name machine `name` gets in this data dir. */
  instanceName(name: string): string {
    return `${instancePrefix(this.dataDir)}${name}`;
  }

  get(machine: string): MultipassRecord | undefined {
    try {
      const r = JSON.parse(fs.readFileSync(path.join(this.dir, `${machine}.json`), 'utf8')) as Partial<MultipassRecord>;
      return typeof r.instance === 'string' && typeof r.id === 'string' ? { machine, instance: r.instance, id: r.id } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Records a new instance for `machine` (before launching it, so a half-made one is still known). */
  add(machine: string): MultipassRecord {
    const rec: MultipassRecord = { machine, instance: this.instanceName(machine), id: randomBytes(16).toString('hex') };
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = path.join(this.dir, `${machine}.json`);
    fs.writeFileSync(`${file}.part`, `${JSON.stringify(rec)}\n`, { mode: 0o600 });
    fs.renameSync(`${file}.part`, file);
    return rec;
  }

  remove(machine: string): void {
    fs.rmSync(path.join(this.dir, `${machine}.json`), { force: true });
  }

  all(): MultipassRecord[] {
    let files: string[] = [];
    try { files = fs.readdirSync(this.dir).filter((f) => f.endsWith('.json')).sort(); } catch { /* none yet */ }
    return files.map((f) => this.get(f.slice(0, -'.json'.length))).filter((r): r is MultipassRecord => !!r);
  }
}
