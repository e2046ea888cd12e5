// The real API in-process, without HTTP: the Registry on an in-memory SQLite store and the
// LocalClient over it. The base of controller and client-library tests.
import { Registry } from '../../main/apiserver/registry/registry';
import { LocalClient } from '../../main/client/local';
import { openStore } from '../../main/store/sqlite-store';
import type { SqliteStore } from '../../main/store/sqlite-store';

export interface InProcessApi {
  store: SqliteStore;
  registry: Registry;
  client: LocalClient;
  close(): void;
}

export async function startInProcessApi(): Promise<InProcessApi> {
  const store = openStore({ path: ':memory:', autoCompactMs: 0 });
  const registry = new Registry(store);
  await registry.bootstrap();
  const client = new LocalClient({ registry, store, watchTimeoutMs: 30 * 60_000, bookmarkIntervalMs: 10_000 });
  let closed = false;
  return {
    store, registry, client,
    close: () => {
      if (!closed) store.close();
      closed = true;
    },
  };
}
