// The real API in-process, without HTTP: the Registry on an in-memory SQLite store and the
// LocalClient over it. The base of controller and client-library tests.
import { Registry } from '../../main/apiserver/registry/registry';
import { LocalClient } from '../../main/client/local';
import type { ApiContext } from '../../main/apiserver/context';
import { openStore } from '../../main/store/sqlite-store';
import type { SqliteStore } from '../../main/store/sqlite-store';

export interface InProcessApi {
  /** The API context the client calls into: a test may plug in what nodes report (ctx.metrics). */
  ctx: ApiContext;
  store: SqliteStore;
  registry: Registry;
  client: LocalClient;
  close(): void;
}

export interface InProcessApiOptions {
  /** Run admission as `flotilla serve` does (ResourceQuota, the ServiceAccount plugin, policies); default off. */
  admission?: boolean;
}

export async function startInProcessApi(opts: InProcessApiOptions = {}): Promise<InProcessApi> {
  const store = openStore({ path: ':memory:', autoCompactMs: 0 });
  const registry = new Registry(store, { admission: opts.admission });
  await registry.bootstrap();
  const ctx: ApiContext = { registry, store, watchTimeoutMs: 30 * 60_000, bookmarkIntervalMs: 10_000 };
  const client = new LocalClient(ctx);
  let closed = false;
  return {
    ctx, store, registry, client,
    close: () => {
      if (!closed) store.close();
      closed = true;
    },
  };
}
