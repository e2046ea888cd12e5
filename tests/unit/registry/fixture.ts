// A Registry on a real SQLite store in a temporary directory, with the cluster's initial namespaces.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, type SqliteStore } from '../../../main/store/sqlite-store';
import { Registry, type RegistryOptions } from '../../../main/apiserver/registry/registry';

let store: SqliteStore | undefined;
let dir: string | undefined;

export async function openRegistry(opts: RegistryOptions = {}): Promise<Registry> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-registry-'));
  store = openStore({ path: path.join(dir, 'state.db'), autoCompactMs: 0 });
  const reg = new Registry(store, opts);
  await reg.bootstrap();
  return reg;
}

/** For afterEach: closes the store and removes its directory. */
export function closeRegistry(): void {
  store?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  store = dir = undefined;
}
