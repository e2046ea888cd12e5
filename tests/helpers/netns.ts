// Network-namespace topologies for tests that need real iptables and routing. Everything lives in
// namespaces named flt-p<pid>-…; interfaces are created inside those namespaces only (never in the
// host's), so tests running in parallel cannot collide and teardown is `ip netns del`.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { localExec, netnsExec, run, type Exec } from '../../vm-images/agent/proxy/exec';
import { pollUntil } from '../../main/protocol/poll';

export const PREFIX = `flt-p${process.pid}`;
let counter = 0;
const live = new Set<string>();
const servers = new Set<ChildProcess>();

export { isRoot, skipUnlessRoot } from './root';

// Last resort if a test process dies without running its teardown.
process.once('exit', () => {
  for (const s of servers) s.kill('SIGKILL');
  for (const ns of live) {
    try { execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' }); } catch { /* already gone */ }
  }
});

export function uniqueName(tag: string): string {
  counter += 1;
  return `${PREFIX}-${tag}${counter}`;
}

export async function ip(...args: string[]): Promise<string> {
  return run(localExec, ['ip', ...args]);
}

export async function createNetns(tag: string): Promise<string> {
  const ns = uniqueName(tag);
  await ip('netns', 'add', ns);
  live.add(ns);
  await ip('-n', ns, 'link', 'set', 'lo', 'up');
  return ns;
}

export async function deleteNetns(ns: string): Promise<void> {
  const r = await localExec(['ip', 'netns', 'del', ns]);
  if (r.code !== 0 && !/No such file/.test(r.stderr)) throw new Error(`ip netns del ${ns}: ${r.stderr}`);
  live.delete(ns);
}

export function liveNamespaces(): string[] {
  return [...live];
}

/** Polls `fn` until it returns a value other than undefined/false, or throws at the deadline. */
export function waitFor<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
  return pollUntil(fn, timeoutMs, what, 20);
}

const SERVER = `
const net = require('net');
const [port, name] = process.argv.slice(1);
net.createServer((s) => { s.on('error', () => {}); s.end(name + ' ' + s.remoteAddress + '\\n'); })
  .listen(Number(port), '0.0.0.0', () => console.log('ready'));
`;

export interface Server { ns: string; port: number; name: string; stop(): Promise<void> }

/** A TCP server in `ns` answering "<name> <peer address>" and closing; resolves once listening. */
export function startServer(ns: string, port: number, name: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', SERVER, String(port), name], { stdio: ['ignore', 'pipe', 'pipe'] });
    servers.add(child);
    let err = '';
    const exited = new Promise<void>((r) => child.once('exit', () => { servers.delete(child); r(); }));
    const stop = async (): Promise<void> => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); await exited; };
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    child.stdout.on('data', (b: Buffer) => {
      if (b.toString().includes('ready')) resolve({ ns, port, name, stop });
    });
    child.once('exit', (code) => reject(new Error(`server in ${ns} exited ${code}: ${err}`)));
  });
}

const PROBE = `
const net = require('net');
const [host, port, max, timeout, stopAfter] = process.argv.slice(1).map((v, i) => (i === 0 ? v : Number(v)));
const results = []; const seen = new Set();
function one() {
  return new Promise((resolve) => {
    const t0 = Date.now(); let data = ''; let done = false;
    const s = net.connect({ host, port });
    const finish = (r) => { if (!done) { done = true; s.destroy(); resolve({ ...r, ms: Date.now() - t0 }); } };
    s.setTimeout(timeout, () => finish({ ok: false, code: 'TIMEOUT' }));
    s.on('data', (b) => { data += b; });
    s.on('end', () => finish({ ok: true, data: data.trim() }));
    s.on('error', (e) => finish({ ok: false, code: e.code || String(e) }));
  });
}
(async () => {
  for (let i = 0; i < max; i++) {
    const r = await one(); results.push(r);
    if (r.ok) seen.add(r.data.split(' ')[0]);
    if (stopAfter > 0 && seen.size >= stopAfter) break;
  }
  process.stdout.write(JSON.stringify(results));
})();
`;

export interface ProbeResult { ok: boolean; data?: string; code?: string; ms: number }

/**
 * Connects to host:port from inside `ns` up to `attempts` times (each a new connection), stopping
 * early once `stopAfterDistinct` different servers answered. Bounded by attempts × timeout.
 */
export async function probe(
  ns: string, host: string, port: number, attempts: number, opts: { timeoutMs?: number; stopAfterDistinct?: number } = {},
): Promise<ProbeResult[]> {
  const args = [host, String(port), String(attempts), String(opts.timeoutMs ?? 2000), String(opts.stopAfterDistinct ?? 0)];
  const out = await run(netnsExec(ns), [process.execPath, '-e', PROBE, ...args]);
  return JSON.parse(out) as ProbeResult[];
}

export function answeredBy(results: ProbeResult[]): Set<string> {
  return new Set(results.filter((r) => r.ok).map((r) => (r.data ?? '').split(' ')[0] ?? ''));
}

export interface Pod { ns: string; ip: string; name: string }

export interface NodeTopology {
  node: string;
  client: string;
  pods: Pod[];
  nodeIP: string;
  clientIP: string;
  bridgeIP: string;
  podCIDR: string;
  exec: Exec;
  destroy(): Promise<void>;
}

/**
 * A "node" namespace with bridge cbr0 (10.244.1.1/24, hairpin on every port) and `pods` pod
 * namespaces on it (10.244.1.10, .11, …, default route via the bridge), plus a "client"
 * namespace on the node's eth0 link (node 10.251.0.2, client 10.251.0.3; the node's default
 * route points at the client, as a real node's would at its gateway).
 */
export async function createNodeTopology(podCount: number): Promise<NodeTopology> {
  const created: string[] = [];
  const destroy = async (): Promise<void> => {
    for (const ns of created.reverse()) await deleteNetns(ns);
  };
  try {
    const node = await createNetns('n');
    created.push(node);
    const client = await createNetns('c');
    created.push(client);
    await ip('-n', node, 'link', 'add', 'cbr0', 'type', 'bridge');
    await ip('-n', node, 'addr', 'add', '10.244.1.1/24', 'dev', 'cbr0');
    await ip('-n', node, 'link', 'set', 'cbr0', 'up');
    const pods: Pod[] = [];
    for (let i = 0; i < podCount; i++) {
      const ns = await createNetns('p');
      created.push(ns);
      const podIP = `10.244.1.${10 + i}`;
      await ip('-n', node, 'link', 'add', `veth${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      await ip('-n', node, 'link', 'set', `veth${i}`, 'master', 'cbr0', 'up');
      await ip('-n', node, 'link', 'set', `veth${i}`, 'type', 'bridge_slave', 'hairpin', 'on');
      await ip('-n', ns, 'addr', 'add', `${podIP}/24`, 'dev', 'eth0');
      await ip('-n', ns, 'link', 'set', 'eth0', 'up');
      await ip('-n', ns, 'route', 'add', 'default', 'via', '10.244.1.1');
      pods.push({ ns, ip: podIP, name: `pod${i}` });
    }
    await ip('-n', node, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', client);
    await ip('-n', node, 'addr', 'add', '10.251.0.2/24', 'dev', 'eth0');
    await ip('-n', node, 'link', 'set', 'eth0', 'up');
    await ip('-n', client, 'addr', 'add', '10.251.0.3/24', 'dev', 'eth0');
    await ip('-n', client, 'link', 'set', 'eth0', 'up');
    await ip('-n', node, 'route', 'add', 'default', 'via', '10.251.0.3');
    return {
      node, client, pods, nodeIP: '10.251.0.2', clientIP: '10.251.0.3', bridgeIP: '10.244.1.1', podCIDR: '10.244.1.0/24',
      exec: netnsExec(node), destroy,
    };
  } catch (e) {
    await destroy();
    throw e;
  }
}

const BUILTIN_CHAIN = /^:(PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING) ACCEPT \[0:0\]$/;

/**
 * iptables-save of a namespace without comment lines and counters, for before/after comparisons.
 * A table holding nothing but empty built-in chains with ACCEPT policy is left out: with the nft
 * backend merely listing or touching a table creates it, and such a table is the same as none.
 */
export async function iptablesSave(ns: string, table?: 'nat' | 'filter'): Promise<string> {
  const out = await run(netnsExec(ns), ['iptables-save', ...(table ? ['-t', table] : [])]);
  const lines = out.split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.replace(/\[\d+:\d+\]/, '[0:0]'));
  const kept: string[] = [];
  let block: string[] = [];
  for (const l of lines) {
    block.push(l);
    if (l !== 'COMMIT') continue;
    const body = block.slice(1, -1);
    if (!body.every((b) => BUILTIN_CHAIN.test(b))) kept.push(...block);
    block = [];
  }
  return [...kept, ...block].join('\n');
}
