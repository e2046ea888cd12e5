// Ingress routing as Kubernetes defines it: hosts (exact, wildcard of one label, any), paths (Exact beats Prefix,
// the longest Prefix wins, Prefix matches whole elements), the oldest Ingress wins a conflict, the default backend
// takes what nothing matched, TLS secrets by SNI name.
import { describe, expect, it } from 'vitest';
import type { HTTPIngressPath, Ingress } from '../../../main/api/types';
import { buildRoutes, requestHost, requestPath, route, tlsSecretFor } from '../../../main/ingress/routing';

const path = (p: string, pathType: string, service: string): HTTPIngressPath =>
  ({ path: p, pathType, backend: { service: { name: service, port: { number: 80 } } } });

function ingress(name: string, created: string, spec: Ingress['spec']): Ingress {
  return { metadata: { name, namespace: 'default', creationTimestamp: created }, spec };
}

const svcOf = (host: string, p: string, table = buildRoutes(INGRESSES)): string | undefined => route(table, host, p)?.backend.service?.name;

const INGRESSES: Ingress[] = [
  ingress('shop', '2026-01-01T00:00:00Z', {
    rules: [{
      host: 'shop.local',
      http: { paths: [path('/', 'Prefix', 'web'), path('/api', 'Prefix', 'api'), path('/api/v2/', 'Prefix', 'api-v2'), path('/api', 'Exact', 'api-root'), path('/exact/', 'Exact', 'slash')] },
    }],
  }),
  ingress('wild', '2026-01-02T00:00:00Z', { rules: [{ host: '*.apps.local', http: { paths: [path('/', 'Prefix', 'wild')] } }] }),
  ingress('any', '2026-01-03T00:00:00Z', {
    rules: [{ http: { paths: [path('/health', 'Exact', 'health'), path('/docs', 'ImplementationSpecific', 'docs')] } }],
  }),
];

describe('ingress routing', () => {
  it('matches Prefix by whole path elements, ignoring a trailing slash', () => {
    expect(svcOf('shop.local', '/api')).toBe('api-root'); // Exact beats Prefix of the same path
    expect(svcOf('shop.local', '/api/')).toBe('api');
    expect(svcOf('shop.local', '/api/users')).toBe('api');
    expect(svcOf('shop.local', '/apis')).toBe('web'); // not an element match: falls back to /
    expect(svcOf('shop.local', '/api/v2')).toBe('api-v2'); // the longest Prefix wins
    expect(svcOf('shop.local', '/api/v2/items')).toBe('api-v2');
    expect(svcOf('shop.local', '/api/v20')).toBe('api');
  });

  it('matches Exact character for character, case and trailing slash included', () => {
    expect(svcOf('shop.local', '/exact/')).toBe('slash');
    expect(svcOf('shop.local', '/exact')).toBe('web');
    expect(svcOf('shop.local', '/API')).toBe('web');
  });

  it('takes an exact host before a wildcard of one label, and rules without a host for any other host', () => {
    expect(svcOf('a.apps.local', '/x')).toBe('wild');
    expect(svcOf('a.b.apps.local', '/x')).toBeUndefined();
    expect(svcOf('apps.local', '/x')).toBeUndefined();
    expect(svcOf('other.local', '/health')).toBe('health');
    expect(svcOf('other.local', '/health/x')).toBeUndefined();
    expect(svcOf('other.local', '/docs/intro')).toBe('docs'); // ImplementationSpecific: as Prefix
    expect(svcOf('shop.local', '/health')).toBe('web'); // the exact host's rules come first
  });

  it('lets the oldest Ingress win the same host and path, and uses the oldest default backend', () => {
    const table = buildRoutes([
      ingress('new', '2026-02-02T00:00:00Z', { defaultBackend: { service: { name: 'new-default', port: { number: 80 } } },
        rules: [{ host: 'x.local', http: { paths: [path('/', 'Prefix', 'new')] } }] }),
      ingress('old', '2026-02-01T00:00:00Z', { defaultBackend: { service: { name: 'old-default', port: { number: 80 } } },
        rules: [{ host: 'x.local', http: { paths: [path('/', 'Prefix', 'old')] } }] }),
    ]);
    expect(svcOf('x.local', '/', table)).toBe('old');
    expect(svcOf('y.local', '/', table)).toBe('old-default');
    expect(route(table, 'y.local', '/')?.ingress).toBe('default/old');
  });

  it('finds no route (404) without a match or a default backend', () => {
    expect(route(buildRoutes(INGRESSES), 'nowhere.local', '/nothing')).toBeUndefined();
  });

  it('picks TLS secrets by exact name, then wildcard', () => {
    const table = buildRoutes([ingress('tls', '2026-01-01T00:00:00Z', {
      tls: [{ hosts: ['shop.local'], secretName: 'shop-tls' }, { hosts: ['*.apps.local'], secretName: 'apps-tls' }],
      rules: [{ host: 'shop.local', http: { paths: [path('/', 'Prefix', 'web')] } }],
    })]);
    expect(tlsSecretFor(table, 'Shop.Local')).toEqual({ namespace: 'default', secretName: 'shop-tls' });
    expect(tlsSecretFor(table, 'a.apps.local')).toEqual({ namespace: 'default', secretName: 'apps-tls' });
    expect(tlsSecretFor(table, 'a.b.apps.local')).toBeUndefined();
  });

  it('reads the host without port and the path without query', () => {
    expect(requestHost('Shop.Localhost:8080')).toBe('shop.localhost');
    expect(requestHost('[::1]:8080')).toBe('[::1]');
    expect(requestHost(undefined)).toBe('');
    expect(requestPath('/a/b?x=1#f')).toBe('/a/b');
  });
});
