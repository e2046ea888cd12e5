// `flotilla down`: removes every machine (through the API of a running serve, so
// nodes are drained and Machines deleted; then directly, for anything left) and leaves no
// namespaces, bridges, routes, iptables rules, mounts, cgroups or node processes behind.
import type { DataDirOptions } from './commands';
import { serveClient } from './node';
import { R } from '../client/refs';
import { downMachines } from '../nodes/down';
import type { KObject } from '../api/types';
import { pollUntil } from '../protocol/poll';

async function deleteThroughApi(dataDir: string, timeoutMs: number): Promise<void> {
  let client;
  try {
    client = await serveClient(dataDir);
  } catch {
    return; // no server: clean up directly
  }
  try {
    const items = (await client.list<KObject>(R.machines)).items;
    for (const m of items) {
      const name = m.metadata?.name ?? '';
      console.log(`deleting machine ${name}`);
      await client.delete(R.machines, name).catch(() => undefined);
    }
    await pollUntil(async () => (await client.list(R.machines)).items.length === 0, timeoutMs, 'the machines to be deleted', 200)
      .catch(() => console.log('machines are still being deleted; removing them directly'));
  } finally {
    client.close();
  }
}

export async function down({ dataDir }: DataDirOptions): Promise<void> {
  await deleteThroughApi(dataDir, 120_000);
  const r = await downMachines(dataDir, (l) => console.log(l));
  for (const e of r.errors) console.error(`flotilla down: ${e}`);
  if (r.errors.length) throw new Error(`down left ${r.errors.length} problem(s) behind`);
  console.log('all machines removed');
}
