// `flotilla node add|ls|rm|stop|start`: manages Machines through the API of a running
// `flotilla serve` (found via D/kubeconfig); `--nodes N --provider P` options for serve.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ParsedArgs } from './args';
import { flagInt, flagString, UsageError } from './args';
import { dataDirFrom } from './data-dir';
import { readKubeconfig } from '../apiserver/kubeconfig';
import { HttpClient } from '../client/http';
import { isNotFound } from '../client/types';
import type { KObject, Machine, MachineProvider } from '../api/types';
import type { NodeManagerOptions } from '../nodes';
import { createProviders, defaultProvider, isProviderName } from '../nodes/providers';
import { MACHINES, NODES } from '../nodes/resources';

type M = Machine & KObject;

export function providerFlag(args: ParsedArgs): MachineProvider | undefined {
  const p = flagString(args, 'provider');
  if (p === undefined) return undefined;
  if (!isProviderName(p)) throw new UsageError(`--provider must be sandbox, lima or multipass, got "${p}"`);
  return p;
}

/** serve's node options: --nodes N (default 0) and --provider P. */
export function nodeOptionsFrom(args: ParsedArgs): NodeManagerOptions {
  return { nodes: flagInt(args, 'nodes', 0), provider: providerFlag(args), log: (l) => console.error(l) };
}

/** An API client for the running `flotilla serve` of the data dir. */
export async function serveClient(dataDir: string): Promise<HttpClient> {
  const kc = path.join(dataDir, 'kubeconfig');
  if (!fs.existsSync(kc)) throw new Error(`no Flotilla cluster in ${dataDir} (no kubeconfig): start one with \`flotilla serve --data-dir ${dataDir}\``);
  const client = new HttpClient(readKubeconfig(kc));
  try {
    await client.list(MACHINES, { limit: 1 });
  } catch (e) {
    client.close();
    throw new Error(`\`flotilla serve\` for ${dataDir} is not answering (${e instanceof Error ? e.message : String(e)}): is it running?`);
  }
  return client;
}

function memoryMiB(v: string | undefined): number {
  if (v === undefined) return 2048;
  const m = /^(\d+)\s*(M|Mi|MiB|G|Gi|GiB)?$/i.exec(v.trim());
  if (!m) throw new UsageError(`--memory must be like 2048, 2048M or 2G, got "${v}"`);
  const n = Number(m[1]);
  return m[2] && /^g/i.test(m[2]) ? n * 1024 : n;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

function nodeReady(n: KObject | undefined): boolean {
  const conds = (n?.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Follows a machine, printing each new step, until Running with its Node Ready (0) or Failed (1). */
export async function followMachine(client: HttpClient, name: string, out: (l: string) => void, timeoutMs: number): Promise<M> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const m = await client.get<M>(MACHINES, name);
    const st = m.status ?? {};
    const p = st.progress;
    const line = `${st.phase ?? 'Pending'}${p ? ` [${p.step}/${p.total}]` : ''} ${st.message ?? p?.message ?? ''}`.trim();
    if (line !== last) { out(line); last = line; }
    if (st.phase === 'Failed') throw new Error(`machine ${name} failed: ${st.message ?? 'no reason given'}`);
    if (st.phase === 'Running') {
      const node = await client.get<KObject>(NODES, name).catch(() => undefined);
      if (nodeReady(node)) return m;
    }
    if (Date.now() > deadline) throw new Error(`machine ${name} is not Running after ${Math.round(timeoutMs / 1000)} s (last: ${line})`);
    await sleep(100); // poll interval
  }
}

async function add(client: HttpClient, args: ParsedArgs, dataDir: string): Promise<void> {
  const provider = providerFlag(args) ?? defaultProvider();
  const avail = await createProviders({ dataDir }).get(provider)?.available();
  if (avail && !avail.ok) throw new Error(`cannot add a ${provider} node: ${avail.reason}`);
  const name = flagString(args, 'name') ?? `node-${randomBytes(3).toString('hex')}`;
  const m: M = {
    apiVersion: 'flotilla.dev/v1alpha1', kind: 'Machine', metadata: { name },
    spec: { provider, cpus: flagInt(args, 'cpus', 2), memoryMiB: memoryMiB(flagString(args, 'memory')), diskGiB: flagInt(args, 'disk', 10), running: true },
  };
  await client.create<M>(MACHINES, m);
  console.log(`machine ${name} (${provider}) created`);
  await followMachine(client, name, (l) => console.log(`  ${l}`), flagInt(args, 'timeout', provider === 'sandbox' ? 180 : 900) * 1000);
  console.log(`node ${name} is Ready`);
}

async function ls(client: HttpClient): Promise<void> {
  const machines = (await client.list<M>(MACHINES)).items;
  const nodes = new Map((await client.list<KObject>(NODES)).items.map((n) => [n.metadata?.name ?? '', n]));
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
    await client.delete(MACHINES, name);
  } catch (e) {
    if (isNotFound(e)) throw new Error(`no machine named ${name}`);
    throw e;
  }
  let last = '';
  const deadline = Date.now() + 180_000;
  for (;;) {
    const m = await client.get<M>(MACHINES, name).catch((e: unknown) => { if (isNotFound(e)) return undefined; throw e; });
    if (!m) break;
    const line = m.status?.message ?? '';
    if (line && line !== last) { console.log(`  ${line}`); last = line; }
    if (Date.now() > deadline) throw new Error(`machine ${name} is still being deleted (${line})`);
    await sleep(100); // poll interval
  }
  console.log(`machine ${name} removed`);
}

async function setRunning(client: HttpClient, name: string, running: boolean): Promise<void> {
  await client.patch(MACHINES, name, { spec: { running } }, 'merge');
  const want = running ? 'Running' : 'Stopped';
  if (running) {
    await followMachine(client, name, (l) => console.log(`  ${l}`), 300_000);
  } else {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const m = await client.get<M>(MACHINES, name);
      if (m.status?.phase === want) break;
      if (Date.now() > deadline) throw new Error(`machine ${name} did not stop (${m.status?.message ?? ''})`);
      await sleep(100); // poll interval
    }
  }
  console.log(`machine ${name} is ${want}`);
}

export async function node(args: ParsedArgs): Promise<void> {
  const sub = args.positional[1];
  const dataDir = dataDirFrom(args);
  const need = (): string => {
    const n = args.positional[2] ?? flagString(args, 'name');
    if (!n) throw new UsageError(`node ${sub} needs a machine name`);
    return n;
  };
  if (!sub || !['add', 'ls', 'list', 'rm', 'delete', 'stop', 'start'].includes(sub)) {
    throw new UsageError('node needs one of: add [--provider P] [--cpus C] [--memory M] [--name N], ls, rm NAME, stop NAME, start NAME');
  }
  const client = await serveClient(dataDir);
  try {
    switch (sub) {
      case 'add': await add(client, args, dataDir); break;
      case 'ls': case 'list': await ls(client); break;
      case 'rm': case 'delete': await rm(client, need()); break;
      case 'stop': await setRunning(client, need(), false); break;
      case 'start': await setRunning(client, need(), true); break;
    }
  } finally {
    client.close();
  }
}
