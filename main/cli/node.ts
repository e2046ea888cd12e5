// `flotilla node add|ls|rm|stop|start`: manages Machines through the API of a running
// `flotilla serve` (found via D/kubeconfig).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataDirOptions, NamedMachineOptions, NodeAddOptions } from './commands';
import { readKubeconfig } from '../apiserver/kubeconfig';
import { HttpClient } from '../client/http';
import { isNotFound } from '../client/types';
import type { KObject, Machine } from '../api/types';
import { createProviders, defaultProvider } from '../nodes/providers';
import { R } from '../client/refs';
import { createMachine } from '../nodes/machine-names';
import { PollFailure, pollUntil } from '../protocol/poll';

type M = Machine & KObject;

/** How often the commands look at a machine while they wait for it. */
const POLL_MS = 100;

/** An API client for the running `flotilla serve` of the data dir. */
export async function serveClient(dataDir: string): Promise<HttpClient> {
  const kc = path.join(dataDir, 'kubeconfig');
  if (!fs.existsSync(kc)) throw new Error(`no Flotilla cluster in ${dataDir} (no kubeconfig): start one with \`flotilla serve --data-dir ${dataDir}\``);
  const client = new HttpClient(readKubeconfig(kc));
  try {
    await client.list(R.machines, { limit: 1 });
  } catch (e) {
    client.close();
    throw new Error(`\`flotilla serve\` for ${dataDir} is not answering (${e instanceof Error ? e.message : String(e)}): is it running?`);
  }
  return client;
}

/** The machine, for a wait: its disappearing ends the wait at once (other errors are retried). */
async function machineOrFail(client: HttpClient, name: string): Promise<M> {
  return client.get<M>(R.machines, name).catch((e: unknown) => { throw isNotFound(e) ? new PollFailure(`machine ${name} was deleted`) : e; });
}

function nodeReady(n: KObject | undefined): boolean {
  const conds = (n?.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** A machine's state as one line: phase, step of the total, message. */
function stepLine(m: M): string {
  const st = m.status ?? {};
  const p = st.progress;
  return `${st.phase ?? 'Pending'}${p ? ` [${p.step}/${p.total}]` : ''} ${st.message ?? p?.message ?? ''}`.trim();
}

/**
 * Follows a machine until Running with its Node Ready (0) or Failed (1), printing each step its controller writes:
 * a watch from `resourceVersion` (the create's) sees every write, however quickly the steps pass; the poll decides
 * when it is done (and prints what the watch missed, should it close).
 */
export async function followMachine(client: HttpClient, name: string, out: (l: string) => void, timeoutMs: number, resourceVersion?: string): Promise<M> {
  let last = '';
  const show = (m: M): void => {
    const line = stepLine(m);
    if (line !== last) { out(line); last = line; }
  };
  let watching = resourceVersion !== undefined;
  const watch = resourceVersion === undefined ? undefined : client.watch<M>(R.machines, { fieldSelector: `metadata.name=${name}`, resourceVersion }, (ev) => {
    if (ev.type === 'ADDED' || ev.type === 'MODIFIED') show(ev.object);
  }, () => { watching = false; });
  try {
    return await pollUntil(async () => {
      const m = await machineOrFail(client, name);
      const st = m.status ?? {};
      if (!watching) show(m);
      if (st.phase === 'Failed') throw new PollFailure(`machine ${name} failed: ${st.message ?? 'no reason given'}`);
      if (st.phase !== 'Running') return undefined;
      const node = await client.get<KObject>(R.nodes, name).catch(() => undefined);
      if (!nodeReady(node)) return undefined;
      show(m);
      return m;
    }, timeoutMs, `machine ${name} Running with its Node Ready`, POLL_MS);
  } finally {
    watch?.stop();
  }
}

async function add(client: HttpClient, o: NodeAddOptions): Promise<void> {
  const provider = o.provider ?? defaultProvider();
  const avail = await createProviders({ dataDir: o.dataDir }).get(provider)?.available();
  if (avail && !avail.ok) throw new Error(`cannot add a ${provider} node: ${avail.reason}`);
  const m = await createMachine(client, { provider, cpus: o.cpus, memoryMiB: o.memory, diskGiB: o.disk, running: true }, o.name);
  const name = m.metadata?.name ?? '';
  console.log(`machine ${name} (${provider}) created`);
  await followMachine(client, name, (l) => console.log(`  ${l}`), (o.timeout ?? (provider === 'sandbox' ? 180 : 900)) * 1000, m.metadata?.resourceVersion);
  console.log(`node ${name} is Ready`);
}

async function ls(client: HttpClient): Promise<void> {
  const machines = (await client.list<M>(R.machines)).items;
  const nodes = new Map((await client.list<KObject>(R.nodes)).items.map((n) => [n.metadata?.name ?? '', n]));
  const rows = [['NAME', 'PROVIDER', 'PHASE', 'INTERNAL-IP', 'NODE', 'MESSAGE']];
  for (const m of machines) {
    const name = m.metadata?.name ?? '';
    const ip = m.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
    const n = nodes.get(name);
    rows.push([name, m.spec?.provider ?? '', m.status?.phase ?? 'Pending', ip, n ? (nodeReady(n) ? 'Ready' : 'NotReady') : '-', (m.status?.message ?? '').split('\n')[0] ?? '']);
  }
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]))).join('   ').trimEnd());
}

async function rm(client: HttpClient, name: string): Promise<void> {
  try {
    await client.delete(R.machines, name);
  } catch (e) {
    if (isNotFound(e)) throw new Error(`no machine named ${name}`);
    throw e;
  }
  let last = '';
  await pollUntil(async () => {
    const m = await client.get<M>(R.machines, name).catch((e: unknown) => { if (isNotFound(e)) return undefined; throw e; });
    if (!m) return true;
    const line = m.status?.message ?? '';
    if (line && line !== last) { console.log(`  ${line}`); last = line; }
    return false;
  }, 180_000, `machine ${name} to be deleted`, POLL_MS);
  console.log(`machine ${name} removed`);
}

async function setRunning(client: HttpClient, name: string, running: boolean): Promise<void> {
  const patched = await client.patch<M>(R.machines, name, { spec: { running } }, 'merge');
  const want = running ? 'Running' : 'Stopped';
  if (running) {
    await followMachine(client, name, (l) => console.log(`  ${l}`), 300_000, patched.metadata?.resourceVersion);
  } else {
    await pollUntil(async () => (await machineOrFail(client, name)).status?.phase === want, 120_000, `machine ${name} to stop`, POLL_MS);
  }
  console.log(`machine ${name} is ${want}`);
}

/** Runs `fn` with a client of the data dir's `flotilla serve`, closed afterwards. */
async function withServe(dataDir: string, fn: (client: HttpClient) => Promise<void>): Promise<void> {
  const client = await serveClient(dataDir);
  try {
    await fn(client);
  } finally {
    client.close();
  }
}

export const nodeAdd = (o: NodeAddOptions) => withServe(o.dataDir, (c) => add(c, o));
export const nodeLs = (o: DataDirOptions) => withServe(o.dataDir, (c) => ls(c));
export const nodeRm = (o: NamedMachineOptions) => withServe(o.dataDir, (c) => rm(c, o.name));
export const nodeStop = (o: NamedMachineOptions) => withServe(o.dataDir, (c) => setRunning(c, o.name, false));
export const nodeStart = (o: NamedMachineOptions) => withServe(o.dataDir, (c) => setRunning(c, o.name, true));
