// The cluster DNS records and answers (vm-images/agent/dns zone.ts, answer.ts, respond.ts) from
// Services, EndpointSlices and Pods, as the Kubernetes DNS specification words them; queries and
// replies go through dns-packet as on the wire.
import * as packet from 'dns-packet';
import type { Answer, DecodedPacket, RecordType } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Pod, Service } from '../../../../main/api/types';
import { answer, type AnswerContext } from '../../../../vm-images/agent/dns/answer';
import { Forwarder } from '../../../../vm-images/agent/dns/forward';
import { responder } from '../../../../vm-images/agent/dns/respond';
import { buildZone } from '../../../../vm-images/agent/dns/zone';

const svc = (name: string, ns: string, spec: Service['spec']): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec });
const slice = (svcName: string, ns: string, endpoints: EndpointSlice['endpoints'], ports: EndpointSlice['ports'] = []): EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
  metadata: { name: `${svcName}-x`, namespace: ns, labels: { 'kubernetes.io/service-name': svcName } }, endpoints, ports,
});

const services = [
  svc('web', 'shop', { clusterIP: '10.96.3.4', clusterIPs: ['10.96.3.4'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { port: 81 }] }),
  svc('db', 'shop', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }),
  svc('ext', 'shop', { type: 'ExternalName', externalName: 'example.org' }),
  svc('alias', 'shop', { type: 'ExternalName', externalName: 'web.shop.svc.cluster.local.' }),
  svc('empty', 'shop', { clusterIP: 'None' }),
];
const slices = [
  slice('db', 'shop', [
    { addresses: ['10.244.1.5'], hostname: 'db-0', conditions: { ready: true } },
    { addresses: ['10.244.1.6'], conditions: { ready: true } },
    { addresses: ['10.244.1.7'], hostname: 'db-2', conditions: { ready: false } },
  ], [{ name: 'pg', port: 5432, protocol: 'TCP' }]),
  slice('web', 'shop', [{ addresses: ['10.244.2.9'], conditions: { ready: true } }], [{ name: 'http', port: 8080, protocol: 'TCP' }]),
];
const pods: Pod[] = [{ metadata: { name: 'lone', namespace: 'tools' }, spec: { containers: [] }, status: { podIP: '10.244.3.3' } }];

function ctx(): AnswerContext {
  return { zone: buildZone({ domain: 'cluster.local', services, slices, pods }), hosts: new Map([['host.flotilla.internal', '10.251.0.1']]), dnsIP: '10.96.0.10', serial: 7 };
}

function ask(name: string, type: RecordType) {
  const out = answer(ctx(), { name, type, class: 'IN' });
  if (out.kind !== 'answer') return { kind: out.kind } as const;
  return { kind: 'answer' as const, rcode: out.rcode, data: out.answers.map((a) => ('data' in a ? a.data : undefined)), types: out.answers.map((a) => a.type), authority: out.authorities.map((a) => a.type), chase: out.chase };
}

describe('cluster DNS records', () => {
  it('a ClusterIP service: A, SRV for named ports and, under its own name, for every port, PTR', () => {
    expect(ask('web.shop.svc.cluster.local', 'A')).toMatchObject({ rcode: 'NOERROR', data: ['10.96.3.4'] });
    expect(ask('WEB.Shop.svc.cluster.local.', 'A')).toMatchObject({ rcode: 'NOERROR', data: ['10.96.3.4'] }); // case-insensitive
    expect(ask('_http._tcp.web.shop.svc.cluster.local', 'SRV').data).toEqual([{ priority: 0, weight: 100, port: 80, target: 'web.shop.svc.cluster.local' }]);
    // The service's own name has an SRV for every port, named or not (CoreDNS: no port and protocol labels match all).
    expect(ask('web.shop.svc.cluster.local', 'SRV').data).toEqual([
      { priority: 0, weight: 50, port: 80, target: 'web.shop.svc.cluster.local' },
      { priority: 0, weight: 50, port: 81, target: 'web.shop.svc.cluster.local' },
    ]);
    expect(ask('4.3.96.10.in-addr.arpa', 'PTR').data).toEqual(['web.shop.svc.cluster.local']);
    // An endpoint of a ClusterIP service has a name and PTR too (its dashed IP, as CoreDNS), but the service name stays the ClusterIP.
    expect(ask('10-244-2-9.web.shop.svc.cluster.local', 'A').data).toEqual(['10.244.2.9']);
  });

  it('a headless service: one A per ready endpoint, per-endpoint names, SRV on endpoint ports (named, and all under its own name), PTR', () => {
    expect(ask('db.shop.svc.cluster.local', 'A').data).toEqual(['10.244.1.5', '10.244.1.6']);
    expect(ask('db-0.db.shop.svc.cluster.local', 'A').data).toEqual(['10.244.1.5']);
    expect(ask('db-2.db.shop.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN'); // not ready
    expect(ask('_pg._tcp.db.shop.svc.cluster.local', 'SRV').data).toEqual([
      { priority: 0, weight: 50, port: 5432, target: 'db-0.db.shop.svc.cluster.local' },
      { priority: 0, weight: 50, port: 5432, target: '10-244-1-6.db.shop.svc.cluster.local' },
    ]);
    expect(ask('db.shop.svc.cluster.local', 'SRV').data).toEqual([
      { priority: 0, weight: 50, port: 5432, target: 'db-0.db.shop.svc.cluster.local' },
      { priority: 0, weight: 50, port: 5432, target: '10-244-1-6.db.shop.svc.cluster.local' },
    ]);
    expect(ask('5.1.244.10.in-addr.arpa', 'PTR').data).toEqual(['db-0.db.shop.svc.cluster.local']);
    expect(ask('empty.shop.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN'); // no ready endpoints (the specification)
  });

  it('ExternalName is a CNAME; outside targets are chased upstream, inside ones answered here', () => {
    expect(ask('ext.shop.svc.cluster.local', 'A')).toMatchObject({ types: ['CNAME'], data: ['example.org'], chase: 'example.org' });
    expect(ask('alias.shop.svc.cluster.local', 'A')).toMatchObject({ types: ['CNAME', 'A'], data: ['web.shop.svc.cluster.local', '10.96.3.4'] });
  });

  it('pod records, the pod PTR for a pod behind no service, the schema version', () => {
    expect(ask('10-244-9-9.shop.pod.cluster.local', 'A').data).toEqual(['10.244.9.9']);
    expect(ask('3.3.244.10.in-addr.arpa', 'PTR').data).toEqual(['10-244-3-3.tools.pod.cluster.local']);
    expect(ask('dns-version.cluster.local', 'TXT').data).toEqual(['1.0.1']);
  });

  it('NXDOMAIN with the SOA for unknown names, NODATA for AAAA and for names that exist without records', () => {
    expect(ask('nope.shop.svc.cluster.local', 'A')).toMatchObject({ rcode: 'NXDOMAIN', data: [], authority: ['SOA'] });
    expect(ask('web.shop.svc.cluster.local', 'AAAA')).toMatchObject({ rcode: 'NOERROR', data: [], authority: ['SOA'] });
    expect(ask('shop.svc.cluster.local', 'A')).toMatchObject({ rcode: 'NOERROR', data: [], authority: ['SOA'] });
    expect(ask('cluster.local', 'SOA').types).toEqual(['SOA']);
  });

  it('host.flotilla.internal is the host; other names and unknown PTRs go upstream', () => {
    expect(ask('host.flotilla.internal', 'A').data).toEqual(['10.251.0.1']);
    expect(ask('host.flotilla.internal', 'AAAA')).toMatchObject({ rcode: 'NOERROR', data: [] });
    expect(ask('example.org', 'A').kind).toBe('forward');
    expect(ask('8.8.8.8.in-addr.arpa', 'PTR').kind).toBe('forward');
  });
});

describe('DNS messages', () => {
  const noUpstream = new Forwarder({ resolvConf: '/nonexistent/resolv.conf', exclude: [] });
  const respond = responder(ctx, noUpstream);
  const query = (name: string, type: RecordType, extra: Partial<packet.Packet> = {}): Buffer =>
    packet.encode({ type: 'query', id: 4242, flags: packet.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }], ...extra });
  const decode = (b: Buffer | undefined): DecodedPacket & { rcode: string } => packet.decode(b!) as DecodedPacket & { rcode: string };

  it('answers with the query id, AA and RA, echoing the question', async () => {
    const r = decode(await respond(query('web.shop.svc.cluster.local', 'A'), false));
    expect(r).toMatchObject({ id: 4242, type: 'response', flag_aa: true, flag_rd: true, flag_ra: true, rcode: 'NOERROR' });
    expect(r.questions).toEqual([{ name: 'web.shop.svc.cluster.local', type: 'A', class: 'IN' }]);
    expect((r.answers as Answer[]).map((a) => ('data' in a ? a.data : ''))).toEqual(['10.96.3.4']);
  });

  it('SERVFAIL when no upstream answers; FORMERR for garbage; NOTIMP for other opcodes', async () => {
    expect(decode(await respond(query('example.org', 'A'), false)).rcode).toBe('SERVFAIL');
    const garbage = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xff]);
    expect(decode(await respond(garbage, false))).toMatchObject({ id: 0x1234, rcode: 'FORMERR' });
    const notify = query('cluster.local', 'SOA');
    notify[2] = (notify[2] & 0x87) | (4 << 3); // opcode NOTIFY
    expect(decode(await respond(notify, false)).rcode).toBe('NOTIMP');
  });

  it('truncates a UDP reply over 512 bytes (TC) but not over TCP, and honours EDNS payload sizes', async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ addresses: [`10.244.8.${i + 1}`], conditions: { ready: true } }));
    const big: AnswerContext = { ...ctx(), zone: buildZone({ domain: 'cluster.local', services, slices: [...slices, slice('empty', 'shop', many)], pods: [] }) };
    const r = responder(() => big, noUpstream);
    const udp = decode(await r(query('empty.shop.svc.cluster.local', 'A'), false));
    expect(udp.flag_tc).toBe(true);
    expect(udp.answers).toHaveLength(0);
    expect(decode(await r(query('empty.shop.svc.cluster.local', 'A'), true)).answers).toHaveLength(60);
    const edns = query('empty.shop.svc.cluster.local', 'A', { additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] });
    const e = decode(await r(edns, false));
    expect(e.flag_tc).toBe(false);
    expect(e.answers).toHaveLength(60);
  });
});
