// TCPRoutes, TLSRoutes and GRPCRoutes' pure parts: the server name read from a real ClientHello (Node's TLS client, so the
// bytes are a real client's) without terminating TLS, and which route a connection takes — TCP by age, TLS by the
// most specific hostname matching its server name — with listeners that take only their own route kinds, and which
// GRPCRoute rule a call takes (service, then method, then headers).
import * as net from 'node:net';
import * as tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { planGateways, type GatewayWorld } from '../../../main/ingress/gateway/attach';
import { readServerName } from '../../../main/ingress/gateway/client-hello';
import { chooseGrpcRoute } from '../../../main/ingress/gateway/grpc-match';
import { chooseL4Route } from '../../../main/ingress/gateway/l4';
import type { Gateway, GRPCRoute, L4Route } from '../../../main/ingress/gateway/types';

/** The first bytes a real TLS client sends, asking for `servername`. */
function clientHello(servername?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((s) => {
      s.once('data', (d: Buffer) => { resolve(d); s.destroy(); server.close(); });
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      // The server cuts the connection once it has the hello; the client's error is expected.
      tls.connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }).on('error', () => undefined);
    });
    server.on('error', reject);
  });
}

describe('ClientHello', () => {
  it('reads the server name of a real ClientHello, and only once it is whole', async () => {
    const hello = await clientHello('db.example.com');
    expect(readServerName(hello)).toEqual({ done: true, serverName: 'db.example.com' });
    expect(readServerName(hello.subarray(0, hello.length - 1))).toEqual({ done: false });
    expect(readServerName(hello.subarray(0, 3))).toEqual({ done: false });
    expect(readServerName(await clientHello())).toEqual({ done: true, serverName: undefined });
    expect(readServerName(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toEqual({ done: true, error: 'not a TLS handshake' });
    const truncated = Buffer.from(hello);
    truncated.writeUInt16BE(10, 3); // a record too short for the hello it claims to hold
    expect(readServerName(truncated).done && 'error' in readServerName(truncated)).toBe(true);
  });
});

describe('TCP and TLS routes', () => {
  const gw: Gateway = { metadata: { name: 'gw', namespace: 'default', generation: 1 }, spec: { gatewayClassName: 'flotilla', listeners: [
    { name: 'db', port: 5432, protocol: 'TCP' },
    { name: 'tls', port: 8443, protocol: 'TLS', tls: { mode: 'Passthrough' } },
  ] } };
  const route = (name: string, created: string, spec: L4Route['spec']): L4Route =>
    ({ metadata: { name, namespace: 'default', creationTimestamp: created, generation: 1 }, spec });
  const tcp = [
    route('newer', '2026-01-02T00:00:00Z', { parentRefs: [{ name: 'gw', sectionName: 'db' }], rules: [{ backendRefs: [{ name: 'pg2', port: 5432 }] }] }),
    route('older', '2026-01-01T00:00:00Z', { parentRefs: [{ name: 'gw', sectionName: 'db' }], rules: [{ backendRefs: [{ name: 'pg', port: 5432 }] }] }),
  ];
  const tlsRoutes = [
    route('wild', '2026-01-01T00:00:00Z', { parentRefs: [{ name: 'gw' }], hostnames: ['*.example.com'], rules: [{ backendRefs: [{ name: 'any', port: 443 }] }] }),
    route('exact', '2026-01-03T00:00:00Z', { parentRefs: [{ name: 'gw' }], hostnames: ['db.example.com'], rules: [{ backendRefs: [{ name: 'db', port: 443 }] }] }),
  ];
  const world: GatewayWorld = {
    classes: [{ metadata: { name: 'flotilla' }, spec: { controllerName: 'flotilla.dev/gateway' } }], gateways: [gw], grants: [],
    routes: [{ metadata: { name: 'web', namespace: 'default', generation: 1 }, spec: { parentRefs: [{ name: 'gw', sectionName: 'db' }], rules: [] } }],
    tcpRoutes: tcp, tlsRoutes,
    namespace: () => undefined, service: (ns, name) => ({ metadata: { namespace: ns, name } }), secret: () => undefined,
  };
  const plan = planGateways(world);

  it('gives each listener its own route kind', () => {
    expect(plan.gateways.get('default/gw')?.listeners.map((l) => [l.name, l.supportedKinds.map((k) => k.kind), l.attachedRoutes]))
      .toEqual([['db', ['TCPRoute'], 2], ['tls', ['TLSRoute'], 2]]);
    expect(plan.routes.get('HTTPRoute default/web')?.parents[0]?.conditions[0]?.reason).toBe('NotAllowedByListeners');
    expect(plan.routes.get('TCPRoute default/older')?.parents[0]?.conditions[0]?.reason).toBe('Accepted');
    expect([...plan.ports]).toEqual([[5432, 'tcp'], [8443, 'tls-passthrough']]);
  });

  it('sends a TCP connection to the oldest route and a TLS one by its server name', () => {
    expect(chooseL4Route(plan, 'TCPRoute', 5432)?.metadata?.name).toBe('older');
    expect(chooseL4Route(plan, 'TCPRoute', 5433)).toBeUndefined();
    expect(chooseL4Route(plan, 'TLSRoute', 8443, 'db.example.com')?.metadata?.name).toBe('exact');
    expect(chooseL4Route(plan, 'TLSRoute', 8443, 'a.b.example.com')?.metadata?.name).toBe('wild');
    expect(chooseL4Route(plan, 'TLSRoute', 8443, 'other.org')).toBeUndefined();
    expect(chooseL4Route(plan, 'TLSRoute', 8443, undefined)).toBeUndefined();
  });
});

describe('GRPCRoute choice', () => {
  const gw: Gateway = { metadata: { name: 'gw', namespace: 'default', generation: 1 }, spec: { gatewayClassName: 'flotilla', listeners: [
    { name: 'h2c', port: 80, protocol: 'HTTP' }, { name: 'tls', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'x' }] } },
  ] } };
  const rules: GRPCRoute['spec'] = { parentRefs: [{ name: 'gw' }], hostnames: ['api.local'], rules: [
    { backendRefs: [{ name: 'any', port: 1 }] },
    { matches: [{ method: { service: 'shop.Cart' } }], backendRefs: [{ name: 'cart', port: 1 }] },
    { matches: [{ method: { service: 'shop.Cart', method: 'Add' } }], backendRefs: [{ name: 'add', port: 1 }] },
    { matches: [{ method: { method: 'Health' } }], backendRefs: [{ name: 'health', port: 1 }] },
    { matches: [{ method: { type: 'RegularExpression', service: 'shop\\..*', method: 'List.*' } }], backendRefs: [{ name: 'lists', port: 1 }] },
    { matches: [{ method: { service: 'shop.Cart' }, headers: [{ name: 'x-beta', value: '1' }] }], backendRefs: [{ name: 'beta', port: 1 }] },
  ] };
  const route: GRPCRoute = { metadata: { name: 'api', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z', generation: 1 }, spec: rules };
  const plan = planGateways({
    classes: [{ metadata: { name: 'flotilla' }, spec: { controllerName: 'flotilla.dev/gateway' } }], gateways: [gw], routes: [], grpcRoutes: [route], grants: [],
    namespace: () => undefined, service: (ns, name) => ({ metadata: { namespace: ns, name } }), secret: () => undefined,
  });
  const to = (path: string, headers: Record<string, string> = {}) =>
    chooseGrpcRoute(plan.attachments, { host: 'api.local', path, header: (n) => headers[n] }).choice?.rule.backendRefs?.[0]?.name;

  it('attaches to HTTP and HTTPS listeners (this HTTPS one lacks its certificate)', () => {
    expect(plan.gateways.get('default/gw')?.listeners.map((l) => [l.name, l.supportedKinds.map((k) => k.kind), l.attachedRoutes]))
      .toEqual([['h2c', ['HTTPRoute', 'GRPCRoute'], 1], ['tls', ['HTTPRoute', 'GRPCRoute'], 0]]);
  });

  it('orders matches by service, then method, then headers', () => {
    expect(to('/shop.Cart/Add')).toBe('add');
    expect(to('/shop.Cart/Remove')).toBe('cart');
    expect(to('/shop.Cart/Remove', { 'x-beta': '1' })).toBe('beta');
    expect(to('/grpc.health.v1.Health/Health')).toBe('health');
    expect(to('/shop.Orders/ListAll')).toBe('lists');
    expect(to('/other.Thing/Do')).toBe('any');
    expect(chooseGrpcRoute(plan.attachments, { host: 'web.local', path: '/shop.Cart/Add', header: () => undefined }).hostMatched).toBe(false);
  });
});

describe('listener ports', () => {
  it('gives a port to the oldest Gateway\'s listener and marks a later one with another protocol ProtocolConflict', () => {
    const gw = (name: string, created: string, protocol: string): Gateway => ({ metadata: { name, namespace: 'default', creationTimestamp: created, generation: 1 },
      spec: { gatewayClassName: 'flotilla', listeners: [{ name: 'l', port: 9000, protocol }] } });
    const plan = planGateways({
      classes: [{ metadata: { name: 'flotilla' }, spec: { controllerName: 'flotilla.dev/gateway' } }], grants: [], routes: [],
      gateways: [gw('young', '2026-02-01T00:00:00Z', 'TCP'), gw('old', '2026-01-01T00:00:00Z', 'HTTP'), gw('same', '2026-03-01T00:00:00Z', 'HTTP')],
      namespace: () => undefined, service: () => undefined, secret: () => undefined,
    });
    const young = plan.gateways.get('default/young')?.listeners[0]?.conditions.map((c) => `${c.type}=${c.status}/${c.reason}`);
    expect(young).toEqual(['Accepted=True/Accepted', 'Programmed=False/Invalid', 'ResolvedRefs=True/ResolvedRefs', 'Conflicted=True/ProtocolConflict']);
    expect(plan.gateways.get('default/same')?.listeners[0]?.conditions.find((c) => c.type === 'Conflicted')?.status).toBe('False');
    expect([...plan.ports]).toEqual([[9000, 'http']]);
  });
});
