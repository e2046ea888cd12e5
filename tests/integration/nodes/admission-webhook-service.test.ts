// A clientConfig.service admission webhook on a real sandbox node: the API server reaches the Service's ready pod
// through the agent's port-forward tunnel (the ingress proxy's dialing). The pod relays TCP to an HTTPS webhook the
// test runs on the host's side of the sandbox bridge, whose certificate is for `<service>.<namespace>.svc`; with no
// ready endpoint the call fails as Kubernetes words it. A CRD's conversion webhook is reached the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayIP } from '../../../main/nodes/providers/sandbox/config';
import { startWebhookServer, type WebhookServer } from '../../helpers/webhook-server';
import { startConversionWebhook, type ConversionWebhook } from '../../helpers/conversion-webhook';
import { crdManifest, defineCrd } from '../../helpers/crd';
import { sandboxCluster, skipWithoutAgent, startTcpRelay } from './support';

describe.skipIf(skipWithoutAgent)('a service-backed admission webhook on a sandbox node', () => {
  const { c, cfg, ok } = sandboxCluster(21, { okTimeoutMs: 150_000 });
  let hook: WebhookServer | undefined;
  let conversion: ConversionWebhook | undefined;

  beforeAll(async () => {
    hook = await startWebhookServer({
      '/validate': (r) => (r.object?.metadata?.name === 'refused' ? { allowed: false, status: { message: 'refused through the service' } } : { allowed: true }),
      '/connect': (r) => (JSON.stringify(r.object).includes('forbidden') ? { allowed: false, status: { message: 'no forbidden commands' } } : { allowed: true }),
    },
    { host: gatewayIP(cfg), dnsNames: ['relay.default.svc'] });
    await startTcpRelay(ok, 'relay', gatewayIP(cfg), hook.port);
    // v1's spec.size is v2's spec.replicas.
    conversion = await startConversionWebhook((o, desired) => {
      const { size, replicas, ...spec } = (o.spec ?? {}) as Record<string, unknown>;
      return { ...o, apiVersion: desired, spec: desired.endsWith('/v2') ? { ...spec, replicas: size } : { ...spec, size: replicas } };
    }, { host: gatewayIP(cfg), dnsNames: ['convert.default.svc'] });
    await startTcpRelay(ok, 'convert', gatewayIP(cfg), conversion.port);
  }, 200_000);

  afterAll(async () => {
    await hook?.stop();
    await conversion?.stop();
  });

  const configuration = (service: string, path = '/validate', rule = { operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }) => JSON.stringify({
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: `via-${service}` },
    webhooks: [{
      name: 'relay.flotilla.test', sideEffects: 'None', admissionReviewVersions: ['v1'],
      clientConfig: { service: { namespace: 'default', name: service, path }, caBundle: Buffer.from(hook!.caPem).toString('base64') },
      rules: [rule],
    }],
  });

  it('calls the webhook through the Service\'s ready pod', async () => {
    await ok(['apply', '-f', '-'], configuration('relay'));
    try {
      const refused = await c.kubectl(['create', 'configmap', 'refused']);
      expect(refused.stderr).toContain('admission webhook "relay.flotilla.test" denied the request: refused through the service');
      await ok(['create', 'configmap', 'allowed']);
      expect(hook!.reviews.map((r) => r.name)).toEqual(expect.arrayContaining(['refused', 'allowed']));
    } finally {
      await ok(['delete', 'validatingwebhookconfiguration', 'via-relay']);
    }
  });

  it('CONNECT: kubectl exec is sent to the webhook with its PodExecOptions, and refused when it says so', async () => {
    await ok(['apply', '-f', '-'], configuration('relay', '/connect', { operations: ['CONNECT'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods/exec'] }));
    try {
      expect(await ok(['exec', 'deploy/relay', '--', '/bin/busybox', 'echo', 'fine'])).toBe('fine\n');
      const review = hook!.reviews.findLast((r) => r.operation === 'CONNECT')!;
      expect(review).toMatchObject({ kind: { group: '', version: 'v1', kind: 'PodExecOptions' }, resource: { resource: 'pods' }, subResource: 'exec', namespace: 'default' });
      expect(review.object).toMatchObject({ kind: 'PodExecOptions', apiVersion: 'v1', command: ['/bin/busybox', 'echo', 'fine'], stdout: true });
      const refused = await c.kubectl(['exec', 'deploy/relay', '--', '/bin/busybox', 'echo', 'forbidden']);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('admission webhook "relay.flotilla.test" denied the request: no forbidden commands');
    } finally {
      await ok(['delete', 'validatingwebhookconfiguration', 'via-relay']);
    }
  });

  it('converts a CRD\'s objects through its conversion webhook\'s Service', async () => {
    const version = (name: string, field: string, storage: boolean) => `  - name: ${name}
    served: true
    storage: ${storage}
    schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {${field}: {type: integer}}}}}}
`;
    await defineCrd(c, crdManifest({ group: 'svcconv.flotilla.test', plural: 'gizmos', kind: 'Gizmo' }, `${version('v1', 'size', true)}${version('v2', 'replicas', false)}  conversion:
    strategy: Webhook
    webhook:
      conversionReviewVersions: [v1]
      clientConfig: {service: {namespace: default, name: convert, path: /convert}, caBundle: ${conversion!.caBundle}}
`), 'gizmos.svcconv.flotilla.test');
    await ok(['apply', '-f', '-'], 'apiVersion: svcconv.flotilla.test/v2\nkind: Gizmo\nmetadata: {name: g}\nspec: {replicas: 4}\n');
    expect(await ok(['get', 'gizmos.v1.svcconv.flotilla.test', 'g', '-o', 'jsonpath={.spec.size}'])).toBe('4');
    expect(await ok(['get', 'gizmos.v2.svcconv.flotilla.test', 'g', '-o', 'jsonpath={.spec.replicas}'])).toBe('4');
    // The create's body to the storage version, its answer back to v2, then the v2 read (the v1 read needs none).
    expect(conversion!.reviews.map((r) => r.desiredAPIVersion)).toEqual(['svcconv.flotilla.test/v1', 'svcconv.flotilla.test/v2', 'svcconv.flotilla.test/v2']);
  });

  it('a Service with no ready endpoints fails the call as Kubernetes words it', async () => {
    await ok(['create', 'service', 'clusterip', 'empty', '--tcp=443:8443']);
    await ok(['apply', '-f', '-'], configuration('empty'));
    try {
      const r = await c.kubectl(['create', 'configmap', 'unserved']);
      expect(r.stderr).toContain('Internal error occurred: failed calling webhook "relay.flotilla.test": failed to call webhook: '
        + 'Post "https://empty.default.svc:443/validate?timeout=10s": no endpoints available for service "empty"');
    } finally {
      await ok(['delete', 'validatingwebhookconfiguration', 'via-empty']);
    }
  });
});
