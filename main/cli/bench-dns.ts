// Cluster DNS benchmark (root only): the agent's real answerer (vm-images/agent/dns) fed by
// informers of a real in-process API server holding 200 Services and a headless Service with 3
// ready endpoints, listening on the host end of a veth pair, and a load generator (a Node process
// in a throw-away network namespace, as a pod is: `ip netns exec`) keeping queries in flight over
// UDP for a fixed time, for a service name and a headless name; then the answerer in-process
// (decode → answer → encode, no sockets) as the floor. Queries per second and p50/p99 latency.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as packet from 'dns-packet';
import type { EndpointSlice, Service } from '../api/types';
import { R } from '../client/refs';
import { startCore } from '../core';
import { ClusterDns } from '../../vm-images/agent/dns/cluster-dns';
import { localExec, run } from '../../vm-images/agent/proxy/exec';
import { agentInformer } from '../../vm-images/agent/sync/informers';
import { nowMs, percentile, printResult, printTable, round } from './bench-report';
import type { BenchDnsOptions } from './commands';

type DnsBenchOptions = BenchDnsOptions;

interface Row { what: string; qps: number; p50_ms: number; p99_ms: number }

// The load generator: keeps `concurrency` queries in flight for `ms`, prints count and percentiles.
const LOADGEN = `
const dgram = require('dgram');
const [host, port, b64, ms, conc] = process.argv.slice(1);
const q = Buffer.from(b64, 'base64');
const sock = dgram.createSocket('udp4');
const sent = new Map(); const lat = []; let id = 0; let stop = false; let errors = 0;
const send = () => { if (stop) return; id = (id + 1) & 0xffff; const m = Buffer.from(q); m.writeUInt16BE(id, 0); sent.set(id, process.hrtime.bigint()); sock.send(m, Number(port), host); };
sock.on('message', (m) => { const i = m.readUInt16BE(0); const t = sent.get(i); if (t === undefined) return; sent.delete(i);
  if ((m[3] & 15) !== 0 || m.readUInt16BE(6) === 0) errors++; lat.push(Number(process.hrtime.bigint() - t) / 1e6); send(); });
const start = Date.now();
for (let i = 0; i < Number(conc); i++) send();
// A lost datagram must not shrink the window: resend what has waited over a second.
const retry = setInterval(() => { const now = process.hrtime.bigint(); for (const [i, t] of sent) if (now - t > 1000000000n) { sent.delete(i); send(); } }, 200);
setTimeout(() => { stop = true; clearInterval(retry); const el = Date.now() - start; lat.sort((a, b) => a - b);
  const p = (x) => lat[Math.min(lat.length - 1, Math.max(0, Math.ceil(x / 100 * lat.length) - 1))];
  process.stdout.write(JSON.stringify({ count: lat.length, elapsedMs: el, p50: p(50), p99: p(99), errors })); sock.close(); }, Number(ms));
`;

function query(name: string): Buffer {
  return packet.encode({ type: 'query', id: 1, flags: packet.RECURSION_DESIRED, questions: [{ name, type: 'A', class: 'IN' }] });
}

async function seed(client: Awaited<ReturnType<typeof startCore>>['client']): Promise<void> {
  await client.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
  for (let i = 0; i < 200; i++) {
    await client.create(R.services, { apiVersion: 'v1', kind: 'Service', metadata: { name: `web-${i}`, namespace: 'bench' }, spec: { ports: [{ name: 'http', port: 80 }] } }, { namespace: 'bench' });
  }
  await client.create(R.services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'bench' }, spec: { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] } }, { namespace: 'bench' });
  const slice: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
    metadata: { name: 'db-1', namespace: 'bench', labels: { 'kubernetes.io/service-name': 'db' } },
    endpoints: [1, 2, 3].map((n) => ({ addresses: [`10.244.1.${n}`], hostname: `db-${n}`, conditions: { ready: true } })),
    ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
  };
  await client.create(R.endpointslices, slice, { namespace: 'bench' });
}

/** The load generator in the namespace against host:port for `name`. */
async function loadFromNetns(ns: string, host: string, name: string, o: DnsBenchOptions): Promise<Row> {
  const out = await run(localExec, ['ip', 'netns', 'exec', ns, process.execPath, '-e', LOADGEN, host, '53', query(name).toString('base64'), String(o.seconds * 1000), String(o.concurrency)]);
  const r = JSON.parse(out) as { count: number; elapsedMs: number; p50: number; p99: number; errors: number };
  if (r.errors) throw new Error(`${r.errors} of ${r.count} answers for ${name} were errors or empty`);
  return { what: `pod netns → node DNS (UDP), ${name}`, qps: (r.count * 1000) / r.elapsedMs, p50_ms: r.p50, p99_ms: r.p99 };
}

/** The answerer alone, in-process, one query at a time. */
async function inProcess(dns: ClusterDns, name: string, o: DnsBenchOptions): Promise<Row> {
  const q = query(name);
  const lat: number[] = [];
  const end = nowMs() + o.seconds * 1000;
  while (nowMs() < end) {
    const t = nowMs();
    await dns.respond(q, false);
    lat.push(nowMs() - t);
  }
  return { what: `answerer in-process, ${name}`, qps: (lat.length * 1000) / (o.seconds * 1000), p50_ms: percentile(lat, 50), p99_ms: percentile(lat, 99) };
}

export async function benchDns(o: DnsBenchOptions): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench dns runs its load generator in a network namespace: run it as root');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-dns-'));
  const tag = process.pid % 1000;
  const ns = `flt-bench-dns${tag}`;
  const hostIf = `fltbd${tag}`;
  const third = 100 + (process.pid % 100);
  const hostIP = `10.250.${third}.1`;
  const core = await startCore({ dataDir: path.join(dir, 'data'), apiPort: 0, log: () => undefined });
  const log = (): void => undefined;
  const services = agentInformer<Service>(core.client, R.services, { onError: log });
  const slices = agentInformer<EndpointSlice>(core.client, R.endpointslices, { onError: log });
  const stops = [services.start(), slices.start()];
  const dns = new ClusterDns({
    client: core.client, exec: localExec, log, dnsIP: '10.96.0.10', domain: 'cluster.local', resolvConf: '/dev/null', hostAddress: hostIP,
    services, slices, listen: { address: hostIP, port: 53 },
  });
  try {
    await seed(core.client);
    await run(localExec, ['ip', 'netns', 'add', ns]);
    await run(localExec, ['ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
    await run(localExec, ['ip', 'addr', 'add', `${hostIP}/30`, 'dev', hostIf]);
    await run(localExec, ['ip', 'link', 'set', hostIf, 'up']);
    await run(localExec, ['ip', '-n', ns, 'addr', 'add', `10.250.${third}.2/30`, 'dev', 'eth0']);
    await run(localExec, ['ip', '-n', ns, 'link', 'set', 'eth0', 'up']);
    await run(localExec, ['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    dns.start();
    await dns.synced();
    await dns.listen();
    const svcName = 'web-7.bench.svc.cluster.local';
    const headless = 'db.bench.svc.cluster.local';
    const rows: Row[] = [];
    for (const name of [svcName, headless]) rows.push(await loadFromNetns(ns, hostIP, name, o));
    for (const name of [svcName, headless]) rows.push(await inProcess(dns, name, o));
    printTable([
      [`measure (${o.seconds} s each, ${o.concurrency} in flight)`, 'queries/s', 'p50 ms', 'p99 ms', 'target'],
      ...rows.map((r, i) => [r.what, Math.round(r.qps), round(r.p50_ms, 3), round(r.p99_ms, 3), i < 2 ? '>= 10000/s, p99 <= 5' : 'floor']),
    ]);
    const [svc, head] = rows as [Row, Row];
    printResult({
      bench: 'dns', qps: Math.round(svc.qps), p50_ms: round(svc.p50_ms, 3), p99_ms: round(svc.p99_ms, 3),
      headless_qps: Math.round(head.qps), headless_p50_ms: round(head.p50_ms, 3), headless_p99_ms: round(head.p99_ms, 3),
      services: 201, concurrency: o.concurrency,
    });
  } finally {
    await dns.stop();
    for (const s of stops) s();
    await localExec(['ip', 'netns', 'del', ns]);
    await localExec(['ip', 'link', 'del', hostIf]);
    await core.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
