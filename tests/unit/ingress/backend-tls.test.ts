// Which BackendTLSPolicy takes a Service port (backend-tls.ts): a policy naming the port's sectionName before one for
// the whole Service, the older of two for the same port (then the first by name), ancestors from the routes sending to
// the Service, and the conditions of policies whose targets are missing.
import { describe, expect, it } from 'vitest';
import type { Attachment } from '../../../main/ingress/gateway/attach';
import { planBackendTls } from '../../../main/ingress/gateway/backend-tls';
import type { BackendTLSPolicy, HTTPRoute } from '../../../main/ingress/gateway/types';

const PEM = `-----BEGIN CERTIFICATE-----
MIIBfjCCASWgAwIBAgIUVW1Hz9mO0Q0x5E9vB0yqvJ6yUEAwCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKdW5pdC10ZXN0czAeFw0yNjEyMDcwMDAwMDBaFw0zNjEyMDQw
MDAwMDBaMBUxEzARBgNVBAMMCnVuaXQtdGVzdHMwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQ2lTQh5bC1x8l8hX0dG0t6kSxv0iM4W0wOQ8r0u5y2nqfCk1bq2j6J
mM9bJ6k7m5v9oCq5Jc2vQ3xKq9QkqTQYo1MwUTAdBgNVHQ4EFgQU1Ckq0oP6jv6B
-----END CERTIFICATE-----`;

const policy = (name: string, created: string, target: string, section?: string, hostname = `${name}.example`): BackendTLSPolicy => ({
  metadata: { name, namespace: 'ns', creationTimestamp: created, generation: 2 },
  spec: { targetRefs: [{ group: '', kind: 'Service', name: target, ...(section ? { sectionName: section } : {}) }], validation: { wellKnownCACertificates: 'System', hostname } },
});

const route: HTTPRoute = { metadata: { name: 'r', namespace: 'ns' }, spec: { rules: [{ backendRefs: [{ name: 'web', port: 443 }] }] } };
const attachments = [{ gateway: 'gw-ns/gw', kind: 'HTTPRoute', route, listener: { name: 'l', port: 80, protocol: 'HTTP' }, hostnames: [''] }] as Attachment[];
const world = (policies: BackendTLSPolicy[]) => ({
  policies, attachments,
  service: (ns: string, name: string) => (name === 'web' ? { metadata: { name, namespace: ns } } : undefined),
  configMap: () => undefined,
});

describe('planBackendTls', () => {
  it('prefers a policy for the port\'s name to one for the whole Service, and the older of two for the same port', () => {
    const plan = planBackendTls(world([
      policy('whole', '2026-01-01T00:00:02Z', 'web'),
      policy('port-newer', '2026-01-01T00:00:03Z', 'web', 'https'),
      policy('port-older', '2026-01-01T00:00:01Z', 'web', 'https'),
    ]));
    expect(plan.forPort('ns', 'web', 'https')?.policy).toBe('ns/port-older');
    expect(plan.forPort('ns', 'web', 'metrics')?.policy).toBe('ns/whole');
    expect(plan.forPort('ns', 'web', undefined)?.policy).toBe('ns/whole');
    expect(plan.forPort('ns', 'other', 'https')).toBeUndefined();
    const newer = plan.statuses.get('ns/port-newer')!;
    expect(newer.ancestors).toEqual([{ ancestorRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'gw-ns', name: 'gw' },
      conditions: [
        { type: 'Accepted', status: 'False', reason: 'Conflicted', message: 'BackendTLSPolicy ns/port-older takes Service ns/web:https (it is older, or first by name)', observedGeneration: 2 },
        { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'no CA certificate references', observedGeneration: 2 }] }]);
  });

  it('lists the Gateways of TLSRoutes on Terminate listeners as ancestors, not those passing TLS through or of TCPRoutes', () => {
    const l4 = { metadata: { name: 't', namespace: 'ns' }, spec: { rules: [{ backendRefs: [{ name: 'web', port: 443 }] }] } };
    const tls = (gateway: string, mode: 'Terminate' | 'Passthrough'): Attachment =>
      ({ gateway, kind: 'TLSRoute', route: l4, listener: { name: 'l', port: 8443, protocol: 'TLS', tls: { mode } }, hostnames: [''] });
    const plan = planBackendTls({ ...world([policy('p', '2026-01-01T00:00:00Z', 'web')]), attachments: [
      tls('ns/terminating', 'Terminate'), tls('ns/passing', 'Passthrough'),
      { gateway: 'ns/tcp', kind: 'TCPRoute', route: l4, listener: { name: 'l', port: 9000, protocol: 'TCP' }, hostnames: [''] },
    ] });
    expect(plan.statuses.get('ns/p')?.ancestors.map((a) => a.ancestorRef.name)).toEqual(['terminating']);
  });

  it('breaks a tie of creation times by namespace/name', () => {
    const plan = planBackendTls(world([policy('b', '2026-01-01T00:00:00Z', 'web'), policy('a', '2026-01-01T00:00:00Z', 'web')]));
    expect(plan.forPort('ns', 'web', undefined)?.policy).toBe('ns/a');
  });

  it('says TargetNotFound for a policy whose Service does not exist, and lists no ancestor no route makes', () => {
    const plan = planBackendTls(world([policy('ghost', '2026-01-01T00:00:00Z', 'ghost')]));
    expect(plan.statuses.get('ns/ghost')?.ancestors).toEqual([]);
    const viaRoute = planBackendTls({ ...world([policy('ghost', '2026-01-01T00:00:00Z', 'web')]), service: () => undefined });
    expect(viaRoute.statuses.get('ns/ghost')?.ancestors[0]?.conditions[0]).toMatchObject({ type: 'Accepted', status: 'False', reason: 'TargetNotFound',
      message: 'Service ns/web not found' });
  });

  it('refuses well-known CA sets other than System, and a bundle that does not parse', () => {
    const odd = { ...policy('odd', '2026-01-01T00:00:00Z', 'web'), spec: { targetRefs: [{ group: '', kind: 'Service', name: 'web' }],
      validation: { wellKnownCACertificates: 'example.com/mine', hostname: 'web.example' } } };
    const plan = planBackendTls(world([odd]));
    expect(plan.forPort('ns', 'web', undefined)?.problem).toBe('wellKnownCACertificates "example.com/mine" is not supported: only System (the CAs Node.js trusts)');
    expect(plan.statuses.get('ns/odd')?.ancestors[0]?.conditions[0]).toMatchObject({ status: 'False', reason: 'Invalid' });
    const broken = { ...policy('broken', '2026-01-01T00:00:00Z', 'web'), spec: { targetRefs: [{ group: '', kind: 'Service', name: 'web' }],
      validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }], hostname: 'web.example' } } };
    const p2 = planBackendTls({ ...world([broken]), configMap: () => ({ metadata: { name: 'ca' }, data: { 'ca.crt': PEM } }) });
    expect(p2.forPort('ns', 'web', undefined)?.problem).toMatch(/^no valid CA certificate: caCertificateRefs\[0\]: ConfigMap ns\/ca holds a certificate that cannot be parsed \(/);
  });
});
