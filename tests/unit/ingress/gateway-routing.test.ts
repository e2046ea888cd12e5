// The built-in gateway's pure parts against the Gateway API's rules: hostname intersection and specificity
// (wildcards of any depth), which rule a request takes (Exact path, longest prefix, method, header and query
// counts, then the oldest route), the filters' results (redirect Location, prefix rewrite, header modifiers,
// weights), and the status the plan gives listeners and routes (reasons by name).
import { describe, expect, it } from 'vitest';
import { planGateways, type GatewayWorld } from '../../../main/ingress/gateway/attach';
import { modifiedPath, modifyHeaders, pickBackend, redirectLocation, type Headers } from '../../../main/ingress/gateway/filters';
import { hostMatches, hostSpecificity, intersectHostnames } from '../../../main/ingress/gateway/hostnames';
import { chooseRoute, prefixMatches, type RouteRequest } from '../../../main/ingress/gateway/match';
import { corsHeaders, originAllowed, preflightHeaders } from '../../../main/ingress/gateway/cors';
import { decide, durationMs } from '../../../main/ingress/gateway/router';
import type { Gateway, GatewayClass, HTTPRoute, ReferenceGrant } from '../../../main/ingress/gateway/types';
import type { Namespace, Secret } from '../../../main/api/types';

const CLASS: GatewayClass = { metadata: { name: 'flotilla', generation: 1 }, spec: { controllerName: 'flotilla.dev/gateway' } };
const OTHER_CLASS: GatewayClass = { metadata: { name: 'envoy', generation: 1 }, spec: { controllerName: 'example.com/envoy' } };

function gateway(name: string, listeners: NonNullable<Gateway['spec']>['listeners'], o: { ns?: string; cls?: string } = {}): Gateway {
  return { metadata: { name, namespace: o.ns ?? 'default', generation: 2 }, spec: { gatewayClassName: o.cls ?? 'flotilla', listeners } };
}

function route(name: string, spec: HTTPRoute['spec'], o: { ns?: string; created?: string } = {}): HTTPRoute {
  return { metadata: { name, namespace: o.ns ?? 'default', generation: 3, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z' }, spec };
}

function world(p: Partial<GatewayWorld> & { services?: string[]; secrets?: Secret[]; namespaces?: Namespace[] }): GatewayWorld {
  const services = new Set(p.services ?? ['default/web', 'default/api']);
  return {
    classes: p.classes ?? [CLASS, OTHER_CLASS], gateways: p.gateways ?? [], routes: p.routes ?? [], grants: p.grants ?? [],
    namespace: (n) => p.namespaces?.find((x) => x.metadata?.name === n),
    service: (ns, n) => (services.has(`${ns}/${n}`) ? ({ metadata: { name: n, namespace: ns } }) : undefined),
    secret: (ns, n) => p.secrets?.find((s) => s.metadata?.namespace === ns && s.metadata.name === n),
  };
}

const request = (host: string, path: string, o: Partial<RouteRequest> & { headers?: Record<string, string> } = {}): RouteRequest => ({
  protocol: 'HTTP', host, path, method: 'GET', query: new URLSearchParams(), header: (n) => o.headers?.[n], ...o,
});

const reasons = (conds: Array<{ type?: string; status?: string; reason?: string }> | undefined): string[] =>
  (conds ?? []).map((c) => `${c.type ?? ''}=${c.status ?? ''}/${c.reason ?? ''}`);

describe('gateway hostnames', () => {
  it('matches wildcards of any depth but not the bare suffix', () => {
    expect(hostMatches('*.example.com', 'foo.example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'foo.bar.example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'example.com')).toBe(false);
    expect(hostMatches(undefined, 'anything')).toBe(true);
  });

  it('intersects a listener hostname with route hostnames', () => {
    expect(intersectHostnames('*.example.com', ['foo.example.com', 'other.org'])).toEqual(['foo.example.com']);
    expect(intersectHostnames('foo.example.com', ['*.example.com'])).toEqual(['foo.example.com']);
    expect(intersectHostnames('*.example.com', ['*.foo.example.com'])).toEqual(['*.foo.example.com']);
    expect(intersectHostnames('*.foo.example.com', ['*.example.com'])).toEqual(['*.foo.example.com']);
    expect(intersectHostnames(undefined, ['a.org'])).toEqual(['a.org']);
    expect(intersectHostnames('a.org', undefined)).toEqual(['a.org']);
    expect(intersectHostnames('a.org', ['b.org'])).toEqual([]);
  });

  it('ranks an exact name over longer and shorter wildcards over the catch-all', () => {
    const host = 'a.b.example.com';
    const ranked = ['', '*.example.com', '*.b.example.com', 'a.b.example.com'].map((n) => hostSpecificity(n, host));
    expect([...ranked].sort((x, y) => x - y)).toEqual(ranked);
    expect(hostSpecificity('other.org', host)).toBe(-1);
  });
});

describe('gateway route choice', () => {
  const gw = gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]);
  const older = route('older', { parentRefs: [{ name: 'gw' }], hostnames: ['shop.local'], rules: [
    { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'web', port: 80 }] },
    { matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'api', port: 86 }] },
    { matches: [{ path: { type: 'PathPrefix', value: '/api' }, method: 'POST' }], backendRefs: [{ name: 'api', port: 81 }] },
    { matches: [{ path: { type: 'PathPrefix', value: '/api' }, headers: [{ name: 'x-version', value: '2' }] }], backendRefs: [{ name: 'api', port: 82 }] },
    { matches: [{ path: { type: 'PathPrefix', value: '/api' }, queryParams: [{ name: 'beta', value: 'yes' }] }], backendRefs: [{ name: 'api', port: 83 }] },
    { matches: [{ path: { type: 'Exact', value: '/api' } }], backendRefs: [{ name: 'api', port: 84 }] },
    { matches: [{ path: { type: 'RegularExpression', value: '/v[0-9]+/.*' } }], backendRefs: [{ name: 'api', port: 85 }] },
  ] }, { created: '2026-01-01T00:00:00Z' });
  const newer = route('newer', { parentRefs: [{ name: 'gw' }], hostnames: ['shop.local'], rules: [
    { matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'api', port: 99 }] },
  ] }, { created: '2026-01-02T00:00:00Z' });
  const wild = route('wild', { parentRefs: [{ name: 'gw' }], hostnames: ['*.local'], rules: [{ backendRefs: [{ name: 'web', port: 90 }] }] });
  const plan = planGateways(world({ gateways: [gw], routes: [newer, older, wild] }));
  const port = (r: RouteRequest): number | undefined => chooseRoute(plan.attachments, r).choice?.rule.backendRefs?.[0]?.port;

  it('orders matches as the Gateway API does', () => {
    expect(port(request('shop.local', '/api'))).toBe(84);
    expect(port(request('shop.local', '/api/x'))).toBe(86); // the older route wins the tie with the newer one's /api
    expect(port(request('shop.local', '/api/x', { method: 'POST' }))).toBe(81);
    expect(port(request('shop.local', '/api/x', { headers: { 'x-version': '2' } }))).toBe(82);
    expect(port(request('shop.local', '/api/x', { query: new URLSearchParams('beta=yes') }))).toBe(83);
    expect(port(request('shop.local', '/apix'))).toBe(80);
    expect(port(request('shop.local', '/v2/things'))).toBe(85);
  });

  it('prefers the exact hostname over the wildcard and falls back to it', () => {
    expect(port(request('shop.local', '/'))).toBe(80);
    expect(port(request('blog.local', '/'))).toBe(90);
    expect(chooseRoute(plan.attachments, request('blog.org', '/')).hostMatched).toBe(false);
  });

  it('matches prefixes by whole path elements', () => {
    expect(prefixMatches('/foo', '/foo/bar')).toBe(true);
    expect(prefixMatches('/foo/', '/foo')).toBe(true);
    expect(prefixMatches('/foo', '/foobar')).toBe(false);
  });

  it('matches regular expressions as RE2 does: linear in the path, Perl-only syntax matching nothing', () => {
    const gw2 = gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]);
    const re = (value: string, port: number) => ({ matches: [{ path: { type: 'RegularExpression' as const, value } }], backendRefs: [{ name: 'web', port }] });
    const p = planGateways(world({ gateways: [gw2], routes: [route('re', { parentRefs: [{ name: 'gw' }], rules: [re('/(a+)+', 1), re('/(?=x).*', 2)] })] }));
    // A backtracking engine would not finish this within the test's timeout.
    expect(chooseRoute(p.attachments, request('h', `/${'a'.repeat(5000)}!`)).choice).toBeUndefined();
    expect(chooseRoute(p.attachments, request('h', `/${'a'.repeat(50)}`)).choice?.ruleIndex).toBe(0);
    expect(chooseRoute(p.attachments, request('h', '/xyz')).choice).toBeUndefined();
  });

  it('serves only the listeners of the port a request came in on', () => {
    const two = gateway('two', [{ name: 'a', port: 8001, protocol: 'HTTP' }, { name: 'b', port: 8002, protocol: 'HTTP' }]);
    const ra = route('ra', { parentRefs: [{ name: 'two', sectionName: 'a' }], rules: [{ backendRefs: [{ name: 'web', port: 1 }] }] });
    const rb = route('rb', { parentRefs: [{ name: 'two', sectionName: 'b' }], rules: [{ backendRefs: [{ name: 'web', port: 2 }] }] });
    const p = planGateways(world({ gateways: [two], routes: [ra, rb] }));
    expect(chooseRoute(p.attachments, request('x', '/', { listenerPort: 8002 })).choice?.route.metadata?.name).toBe('rb');
    expect(chooseRoute(p.attachments, request('x', '/', { listenerPort: 8001 })).choice?.route.metadata?.name).toBe('ra');
    expect([...p.ports]).toEqual([[8001, 'http'], [8002, 'http']]);
  });
});

describe('gateway filters', () => {
  const prefix = { path: { type: 'PathPrefix' as const, value: '/shop' } };
  const facts = { scheme: 'http' as const, host: 'a.local', port: 8080, path: '/shop/cart', search: '?x=1' };

  it('builds redirect Locations with the scheme\'s port rules', () => {
    expect(redirectLocation({ scheme: 'https' }, facts, prefix)).toBe('https://a.local/shop/cart?x=1');
    expect(redirectLocation({ hostname: 'b.local' }, facts, prefix)).toBe('http://b.local:8080/shop/cart?x=1');
    expect(redirectLocation({ port: 80 }, facts, prefix)).toBe('http://a.local/shop/cart?x=1');
    expect(redirectLocation({ path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/store' } }, facts, prefix)).toBe('http://a.local:8080/store/cart?x=1');
    expect(redirectLocation({ path: { type: 'ReplaceFullPath', replaceFullPath: '/new' } }, facts, prefix)).toBe('http://a.local:8080/new?x=1');
  });

  it('replaces a matched prefix', () => {
    const m = { type: 'ReplacePrefixMatch' as const, replacePrefixMatch: '/' };
    expect(modifiedPath('/shop/cart', m, prefix)).toBe('/cart');
    expect(modifiedPath('/shop', m, prefix)).toBe('/');
    expect(modifiedPath('/shop', { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2/' }, prefix)).toBe('/v2');
  });

  it('sets, adds and removes headers case-insensitively', () => {
    const h: Headers = { 'x-a': '1', 'x-b': '2', 'x-c': '3' };
    modifyHeaders(h, { set: [{ name: 'X-A', value: 'one' }], add: [{ name: 'X-B', value: 'two' }, { name: 'X-New', value: 'n' }], remove: ['X-C'] });
    expect(h).toEqual({ 'x-a': 'one', 'x-b': '2,two', 'x-new': 'n' });
  });

  it('picks backends by weight and never one of weight 0', () => {
    const refs = [{ name: 'a', port: 1, weight: 1 }, { name: 'b', port: 1, weight: 3 }, { name: 'c', port: 1, weight: 0 }];
    expect(pickBackend(refs, () => 0.1)?.name).toBe('a');
    expect(pickBackend(refs, () => 0.3)?.name).toBe('b');
    expect(pickBackend(refs, () => 0.99)?.name).toBe('b');
    expect(pickBackend([{ name: 'z', port: 1, weight: 0 }])).toBeUndefined();
  });
});

describe('gateway status plan', () => {
  it('accepts only its own class and its Gateways', () => {
    const plan = planGateways(world({ gateways: [gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]), gateway('theirs', [], { cls: 'envoy' })] }));
    expect([...plan.classes.keys()]).toEqual(['flotilla']);
    expect([...plan.gateways.keys()]).toEqual(['default/gw']);
    expect(reasons(plan.gateways.get('default/gw')?.conditions)).toEqual(['Accepted=True/Accepted', 'Programmed=True/Programmed']);
  });

  it('refuses unsupported protocols, missing and cross-namespace certificates, and kinds it cannot serve', () => {
    const tls = { 'tls.crt': 'Y3J0', 'tls.key': 'a2V5' };
    const secrets: Secret[] = [{ metadata: { name: 'cert', namespace: 'certs' }, type: 'kubernetes.io/tls', data: tls }];
    const gw = gateway('gw', [
      { name: 'udp', port: 9000, protocol: 'UDP' },
      { name: 'nocert', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'absent' }] } },
      { name: 'xns', port: 444, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert', namespace: 'certs' }] } },
      { name: 'kinds', port: 81, protocol: 'HTTP', allowedRoutes: { kinds: [{ kind: 'TCPRoute' }] } },
    ]);
    const listeners = (grants: ReferenceGrant[]) => planGateways(world({ gateways: [gw], secrets, grants })).gateways.get('default/gw')?.listeners ?? [];
    const before = listeners([]);
    expect(reasons(before[0]?.conditions).slice(0, 2)).toEqual(['Accepted=False/UnsupportedProtocol', 'Programmed=False/Invalid']);
    expect(reasons(before[1]?.conditions)[2]).toBe('ResolvedRefs=False/InvalidCertificateRef');
    expect(reasons(before[2]?.conditions)[2]).toBe('ResolvedRefs=False/RefNotPermitted');
    expect(reasons(before[3]?.conditions)[2]).toBe('ResolvedRefs=False/InvalidRouteKinds');
    expect(before[3]?.supportedKinds).toEqual([]);
    const grant: ReferenceGrant = { metadata: { name: 'g', namespace: 'certs' },
      spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'default' }], to: [{ group: '', kind: 'Secret' }] } };
    expect(reasons(listeners([grant])[2]?.conditions)[2]).toBe('ResolvedRefs=True/ResolvedRefs');
  });

  it('attaches routes by namespace policy and hostname, and says why not', () => {
    const gw = gateway('gw', [
      { name: 'same', port: 80, protocol: 'HTTP', hostname: 'a.local' },
      { name: 'sel', port: 81, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { shared: 'yes' } } } } },
    ]);
    const namespaces: Namespace[] = [{ metadata: { name: 'team', labels: { shared: 'yes' } } }, { metadata: { name: 'other' } }];
    const routes = [
      route('ok', { parentRefs: [{ name: 'gw', sectionName: 'same' }], hostnames: ['a.local'], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }),
      route('host', { parentRefs: [{ name: 'gw', sectionName: 'same' }], hostnames: ['b.local'], rules: [] }),
      route('nosection', { parentRefs: [{ name: 'gw', sectionName: 'nope' }], rules: [] }),
      route('team', { parentRefs: [{ name: 'gw', namespace: 'default' }], rules: [{ backendRefs: [{ name: 'web', port: 80, namespace: 'default' }] }] }, { ns: 'team' }),
      route('other', { parentRefs: [{ name: 'gw', namespace: 'default' }], rules: [] }, { ns: 'other' }),
      route('badref', { parentRefs: [{ name: 'gw', sectionName: 'same' }], rules: [{ backendRefs: [{ name: 'gone', port: 80 }] }] }),
      route('ext', { parentRefs: [{ name: 'gw' }], rules: [{ filters: [{ type: 'ExtensionRef', extensionRef: { group: 'x', kind: 'Y', name: 'z' } }] }] }),
      route('theirs', { parentRefs: [{ name: 'elsewhere' }], rules: [] }),
    ];
    const plan = planGateways(world({ gateways: [gw], routes, namespaces }));
    const parent = (k: string) => reasons(plan.routes.get(`HTTPRoute ${k}`)?.parents[0]?.conditions);
    expect(parent('default/ok')).toEqual(['Accepted=True/Accepted', 'ResolvedRefs=True/ResolvedRefs']);
    expect(parent('default/host')[0]).toBe('Accepted=False/NoMatchingListenerHostname');
    expect(parent('default/nosection')[0]).toBe('Accepted=False/NoMatchingParent');
    expect(parent('team/team')).toEqual(['Accepted=True/Accepted', 'ResolvedRefs=False/RefNotPermitted']);
    expect(parent('other/other')[0]).toBe('Accepted=False/NotAllowedByListeners');
    expect(parent('default/badref')).toEqual(['Accepted=True/Accepted', 'ResolvedRefs=False/BackendNotFound']);
    expect(parent('default/ext')[0]).toBe('Accepted=False/UnsupportedValue');
    expect(plan.routes.has('HTTPRoute default/theirs')).toBe(false);
    const counts = plan.gateways.get('default/gw')?.listeners.map((l) => l.attachedRoutes);
    expect(counts).toEqual([2, 1]);
  });

  it('answers 500 for a backend a route may not use and forwards to one it may', () => {
    const gw = gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]);
    const r = route('r', { parentRefs: [{ name: 'gw' }], rules: [
      { matches: [{ path: { type: 'PathPrefix', value: '/gone' } }], backendRefs: [{ name: 'gone', port: 80 }] },
      { matches: [{ path: { type: 'PathPrefix', value: '/none' } }] },
      { backendRefs: [{ name: 'web', port: 80 }], filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-route', value: 'r' }] } }] },
    ] });
    const w = world({ gateways: [gw], routes: [r] });
    const plan = planGateways(w);
    const grants = { grants: [], serviceExists: (ns: string, n: string) => Boolean(w.service(ns, n)) };
    const req = (url: string) => decide(plan, grants, { scheme: 'http', method: 'GET', url, headers: { host: 'x.local' }, localPort: 8080 });
    expect(req('/gone')).toMatchObject({ kind: 'reply', status: 500 });
    expect(req('/none')).toMatchObject({ kind: 'reply', status: 500 });
    expect(req('/ok?q=1')).toMatchObject({ kind: 'forward', backend: { namespace: 'default', name: 'web', port: 80 }, path: '/ok?q=1', headers: { 'x-route': 'r' } });
  });
});

describe('gateway CORS and timeouts', () => {
  const policy = { allowOrigins: ['https://app.local', 'http://*.dev.local:8080'], allowMethods: ['*'], allowHeaders: ['*'], allowCredentials: false };

  it('matches origins by scheme, host (a leading * taking any labels) and port, the scheme\'s port when none is given', () => {
    expect(originAllowed(policy, 'https://app.local')).toBe(true);
    expect(originAllowed(policy, 'https://app.local:443')).toBe(true);
    expect(originAllowed(policy, 'http://app.local')).toBe(false);
    expect(originAllowed(policy, 'http://a.b.dev.local:8080')).toBe(true);
    expect(originAllowed(policy, 'http://dev.local:8080')).toBe(false);
    expect(originAllowed(policy, 'http://a.dev.local')).toBe(false);
    expect(originAllowed({ allowOrigins: ['*'] }, 'https://anything.example')).toBe(true);
    expect(originAllowed(policy, 'null')).toBe(false);
  });

  it('answers with `*` only when credentials are not allowed, echoing the request otherwise', () => {
    expect(corsHeaders({ allowOrigins: ['*'] }, 'https://x.example')).toEqual({ 'access-control-allow-origin': '*' });
    expect(corsHeaders({ allowOrigins: ['*'], allowCredentials: true }, 'https://x.example'))
      .toEqual({ 'access-control-allow-origin': 'https://x.example', 'access-control-allow-credentials': 'true', vary: 'Origin' });
    expect(preflightHeaders({ ...policy, allowCredentials: true }, 'https://app.local', 'PUT', 'x-a, x-b')).toMatchObject({
      'access-control-allow-methods': 'PUT', 'access-control-allow-headers': 'x-a, x-b', 'access-control-max-age': '5' });
    expect(preflightHeaders(policy, 'https://app.local', 'PUT', 'x-a')).toMatchObject({ 'access-control-allow-methods': '*', 'access-control-allow-headers': '*' });
    expect(preflightHeaders(policy, 'https://other.local', 'PUT', undefined)).toEqual({});
  });

  it('reads Gateway API durations', () => {
    expect(['10s', '1m30s', '500ms', '1h', '0s', undefined].map((d) => durationMs(d))).toEqual([10_000, 90_000, 500, 3_600_000, 0, 0]);
  });
});
