// An aggregated API server behind a Service on a real sandbox node: the API server reaches the Service's ready pod
// through the agent's tunnel (as service webhooks do), and the pod relays TCP to a real aggregated server the test runs
// on the host's side of the sandbox bridge (tests/helpers/extension-apiserver.ts, trusting only the front proxy's client
// certificate from extension-apiserver-authentication). kubectl uses its resource; with the pod gone the APIService is
// unavailable with kube-aggregator's reason and requests answer 503.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayIP } from '../../../main/nodes/providers/sandbox/config';
import type { APIService, ConfigMap } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { startExtensionApiServer, WARDLE_GROUP, type ExtensionServer } from '../../helpers/extension-apiserver';
import { waitFor } from '../../helpers/wait';
import { sandboxCluster, skipWithoutAgent, startTcpRelay } from './support';

describe.skipIf(skipWithoutAgent)('an aggregated API server behind a Service on a sandbox node', () => {
  const { c, cfg, ok } = sandboxCluster(24, { okTimeoutMs: 150_000 });
  let ext: ExtensionServer | undefined;

  const available = async (): Promise<string> => {
    const a = await c.client.get<APIService>(R.apiservices, `v1alpha1.${WARDLE_GROUP}`).catch(() => undefined);
    const cond = a?.status?.conditions?.find((x) => x.type === 'Available');
    return cond ? `${cond.status} ${cond.reason ?? ''}: ${cond.message ?? ''}` : '';
  };

  beforeAll(async () => {
    const trust = await waitFor(() => c.client.get<ConfigMap>(R.configmaps, 'extension-apiserver-authentication', 'kube-system').catch(() => undefined),
      'extension-apiserver-authentication');
    ext = await startExtensionApiServer({
      requestHeaderCaPem: trust.data!['requestheader-client-ca-file'], allowedNames: JSON.parse(trust.data!['requestheader-allowed-names']) as string[],
      dnsNames: ['wardle.default.svc'], host: gatewayIP(cfg),
    });
    await startTcpRelay(ok, 'wardle', gatewayIP(cfg), ext.port);
    await ok(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: `v1alpha1.${WARDLE_GROUP}` },
      spec: { group: WARDLE_GROUP, version: 'v1alpha1', service: { namespace: 'default', name: 'wardle' }, caBundle: ext.caBundle, groupPriorityMinimum: 1000, versionPriority: 15 },
    }));
  }, 240_000);

  afterAll(async () => {
    await ext?.stop();
  });

  it('becomes Available through the node, and kubectl uses its resource as the user who asked', async () => {
    expect(await waitFor(async () => (await available()).startsWith('True') && available(), 'Available', 60_000, 250)).toBe('True Passed: all checks passed');
    const resources = await waitFor(async () => {
      const out = await ok(['api-resources', `--api-group=${WARDLE_GROUP}`, '--no-headers']);
      return out.includes('flunders') ? out : undefined;
    }, 'flunders in discovery', 30_000, 250);
    expect(resources).toMatch(/^flunders\s+fl\s+wardle\.example\.com\/v1alpha1\s+true\s+Flunder$/m);
    // Ten creates in a row: each answer is whole although the server's connection (and the tunnel) closes right after it.
    for (let i = 0; i < 10; i++) await ok(['create', '-f', '-'], `apiVersion: ${WARDLE_GROUP}/v1alpha1\nkind: Flunder\nmetadata: {name: through-the-node-${i}}\n`);
    const names = (await ok(['get', 'flunders', '-o', 'name'])).trim().split('\n');
    expect(names).toHaveLength(10);
    expect(names).toContain(`flunder.${WARDLE_GROUP}/through-the-node-9`);
    const create = ext!.requests.find((q) => q.method === 'POST');
    expect(create).toMatchObject({ clientCN: 'front-proxy-client', user: 'admin', authorization: undefined });
  });

  it('with its pod gone: unavailable with kube-aggregator\'s reason, and 503 to kubectl', async () => {
    await ok(['scale', 'deployment/wardle', '--replicas=0']);
    const reason = await waitFor(async () => (await available()).startsWith('False') && available(), 'unavailable', 60_000, 250);
    expect(reason).toBe('False MissingEndpoints: endpointslices for service/wardle in "default" have no addresses with port name ""');
    expect(await ok(['get', 'apiservice', `v1alpha1.${WARDLE_GROUP}`, '--no-headers'])).toMatch(/^v1alpha1\.wardle\.example\.com\s+default\/wardle\s+False \(MissingEndpoints\)\s+\S+\n$/);
    const r = await c.kubectl(['get', 'flunders']);
    expect(r.stderr).toContain('Error from server (ServiceUnavailable): the server is currently unable to handle the request');
  });
});
