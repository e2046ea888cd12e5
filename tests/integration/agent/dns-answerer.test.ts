// The agent's cluster DNS answerer (vm-images/agent/dns) on real sockets, fed by informers of a
// real API server: a DNS client over UDP and TCP, forwarding to an upstream named in a resolv.conf
// (a tiny upstream server on loopback; the cluster DNS address in the file is skipped), an
// ExternalName CNAME chased upstream, SERVFAIL once no upstream answers (cached names still answered), and an endpoint change
// answered once its EndpointSlice is written.
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as packet from 'dns-packet';
import type { DecodedPacket, RecordType } from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { ClusterDns } from '../../../vm-images/agent/dns/cluster-dns';
import { localExec } from '../../../vm-images/agent/proxy/exec';
import { agentInformer } from '../../../vm-images/agent/sync/informers';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';

type Reply = DecodedPacket & { rcode: string };
const UPSTREAM = `127.0.${(process.pid % 200) + 20}.53`;
const LISTEN = `127.0.${(process.pid % 200) + 20}.10`;

function udpQuery(port: number, name: string, type: RecordType = 'A'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    const timer = setTimeout(() => { s.close(); reject(new Error(`no answer for ${name}`)); }, 5000);
    s.on('message', (m) => { clearTimeout(timer); s.close(); resolve(packet.decode(m) as Reply); });
    s.send(packet.encode({ type: 'query', id: 99, flags: packet.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }] }), port, LISTEN);
  });
}

function tcpQuery(port: number, name: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const c = connect({ host: LISTEN, port });
    let buf = Buffer.alloc(0);
    c.on('error', reject);
    c.on('connect', () => c.write(packet.streamEncode({ type: 'query', id: 7, flags: packet.RECURSION_DESIRED, questions: [{ name, type: 'A', class: 'IN' }] })));
    c.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) { c.destroy(); resolve(packet.streamDecode(buf) as Reply); }
    });
  });
}

const addresses = (r: Reply): string[] => (r.answers ?? []).map((a) => `${a.type} ${'data' in a && typeof a.data === 'string' ? a.data : ''}`);

describe('cluster DNS answerer on sockets', () => {
  let c: TestCluster;
  let dns: ClusterDns;
  let port = 0;
  let upstream: Socket | undefined;
  let dir = '';
  const stops: Array<() => void> = [];

  beforeAll(async () => {
    c = await startTestCluster();
    dir = mkdtempSync(join(tmpdir(), 'flt-dns-'));
    upstream = createSocket('udp4');
    upstream.on('message', (m, rinfo) => {
      const q = packet.decode(m);
      const question = q.questions![0];
      const known = question.name === 'example.org' && question.type === 'A';
      upstream!.send(packet.encode({
        type: 'response', id: q.id, flags: packet.RECURSION_AVAILABLE | (known ? 0 : 3), questions: [question],
        answers: known ? [{ type: 'A', name: 'example.org', ttl: 60, data: '192.0.2.53' }] : [],
      }), rinfo.port, rinfo.address);
    });
    await new Promise<void>((r) => upstream!.bind(0, UPSTREAM, r));
    const upstreamPort = upstream.address().port;
    writeFileSync(join(dir, 'resolv.conf'), `# the node's\nnameserver 10.96.0.10\nnameserver ${UPSTREAM}\nsearch example.internal\n`);
    const log = (): void => undefined;
    const services = agentInformer<Service>(c.client, R.services, { onError: log });
    const slices = agentInformer<EndpointSlice>(c.client, R.endpointslices, { onError: log });
    stops.push(services.start(), slices.start());
    dns = new ClusterDns({
      client: c.client, exec: localExec, log, dnsIP: '10.96.0.10', domain: 'cluster.local', resolvConf: join(dir, 'resolv.conf'),
      hostAddress: '192.0.2.1', services, slices, listen: { address: LISTEN, port: 0 }, upstreamPort,
    });
    dns.start();
    await dns.synced();
    port = (await dns.listen()).port;
    await c.client.create(R.services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'example.org' } }, { namespace: 'default' });
  }, 60_000);

  afterAll(async () => {
    await dns?.stop();
    for (const s of stops) s();
    if (upstream) await new Promise<void>((r) => { try { upstream!.close(() => r()); } catch { r(); } });
    await c?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers cluster names (kube-dns, created at startup) over UDP and TCP, and host.flotilla.internal', async () => {
    const k = await waitFor(async () => { const r = await udpQuery(port, 'kube-dns.kube-system.svc.cluster.local'); return r.answers?.length ? r : undefined; }, 'kube-dns answered', 5000, 50);
    expect(k).toMatchObject({ id: 99, rcode: 'NOERROR', flag_aa: true });
    expect(addresses(k)).toEqual(['A 10.96.0.10']);
    expect(addresses(await waitFor(async () => { const r = await tcpQuery(port, 'kube-dns.kube-system.svc.cluster.local'); return r.answers?.length ? r : undefined; }, 'kube-dns answered over TCP', 5000, 50))).toEqual(['A 10.96.0.10']);
    expect(addresses(await udpQuery(port, 'host.flotilla.internal'))).toEqual(['A 192.0.2.1']);
  });

  it('forwards other names to the resolv.conf upstream (UDP and TCP) and chases an ExternalName', async () => {
    const r = await udpQuery(port, 'example.org');
    expect(r).toMatchObject({ id: 99, rcode: 'NOERROR' });
    expect(addresses(r)).toEqual(['A 192.0.2.53']);
    expect((await udpQuery(port, 'missing.example.org')).rcode).toBe('NXDOMAIN');
    const ext = await waitFor(async () => { const x = await udpQuery(port, 'ext.default.svc.cluster.local'); return x.answers?.length ? x : undefined; }, 'ext answered', 5000, 50);
    expect(addresses(ext)).toEqual(['CNAME example.org', 'A 192.0.2.53']);
  });

  it('answers a new endpoint once its EndpointSlice is written (no cache to expire first)', async () => {
    await c.client.create(R.services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual', namespace: 'default' }, spec: { clusterIP: 'None', ports: [{ port: 1 }] } }, { namespace: 'default' });
    await c.client.create(R.endpointslices, {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
      metadata: { name: 'manual-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'manual' } },
      endpoints: [{ addresses: ['10.9.9.9'], hostname: 'm-0', conditions: { ready: true } }], ports: [{ port: 1, protocol: 'TCP' }],
    }, { namespace: 'default' });
    await waitFor(async () => addresses(await udpQuery(port, 'm-0.manual.default.svc.cluster.local')).includes('A 10.9.9.9'), 'the new endpoint answered', 15_000, 20);
  });

  it('answers SERVFAIL when no upstream answers, and a name answered before from its cache', async () => {
    await new Promise<void>((r) => upstream!.close(() => r()));
    upstream = undefined;
    expect((await udpQuery(port, 'gone.example.org')).rcode).toBe('SERVFAIL');
    const cached = await udpQuery(port, 'example.org');
    expect(cached).toMatchObject({ id: 99, rcode: 'NOERROR' });
    expect(addresses(cached)).toEqual(['A 192.0.2.53']);
  }, 15_000);
});
