// apiregistration.k8s.io APIServices and the aggregation layer, with real kubectl against a real aggregated API server
// (tests/helpers/extension-apiserver.ts: HTTPS on loopback, trusting only the front proxy's client certificate, as
// k8s.io/apiserver does). The Service's endpoint is dialed straight to it (the dialer nodes give the API server is
// replaced: a real node's tunnel is tests/integration/nodes/aggregated-apiserver.test.ts). Covers: the Local
// APIServices of every served group version and of CRDs, kube-aggregator's columns and validation messages,
// extension-apiserver-authentication, availability with kube's reasons, discovery and kubectl on the aggregated
// resource, the user the server is told (and credentials it is not), authorization before proxying, watches, and
// 503 while the server is unavailable.
import * as net from 'node:net';
import * as https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';
import { startExtensionApiServer, WARDLE_GROUP, type ExtensionServer } from '../../helpers/extension-apiserver';
import { waitFor } from '../../helpers/wait';
import { pythonFixture, runPython } from '../../helpers/python';
import { bridgeCalls } from '../../helpers/bridge-calls';
import { bridgeDepsOf, createBridgeSession, type BridgeSession } from '../../../main/bridge/handlers';
import { R } from '../../../main/client/refs';
import type { APIService, ConfigMap, KObject, Pod } from '../../../main/api/types';
import { runningStatus } from '../../../main/hollow/pod-status';

let c: TestCluster;
let session: BridgeSession;
const bridge = bridgeCalls(() => session);
let ext: ExtensionServer;
let extPort = 0;

beforeAll(async () => {
  c = await startTestCluster({ controllers: {
    controllers: ['apiservice-registration', 'apiservice-availability', 'cluster-authentication-trust', 'crd-establishing', 'crd-finalizer', 'horizontal-pod-autoscaler'],
    hpaSyncPeriodMs: 200,
  } });
  const trust = await waitFor(() => c.client.get<ConfigMap>(R.configmaps, 'extension-apiserver-authentication', 'kube-system').catch(() => undefined), 'extension-apiserver-authentication');
  ext = await startExtensionApiServer({
    requestHeaderCaPem: trust.data!['requestheader-client-ca-file'], allowedNames: JSON.parse(trust.data!['requestheader-allowed-names']) as string[],
    dnsNames: ['wardle.default.svc'],
  });
  extPort = ext.port;
  session = createBridgeSession(bridgeDepsOf(c.core), () => undefined);
  // The Service's one endpoint is the server on loopback.
  c.core.registry.webhooks.dialService = (namespace, name, port) => {
    if (namespace !== 'default' || name !== 'wardle' || port !== 443) return Promise.reject(new Error(`unexpected service ${namespace}/${name}:${port}`));
    return Promise.resolve(net.connect(extPort, '127.0.0.1'));
  };
});
afterAll(async () => {
  session?.dispose();
  await ext?.stop();
  await c?.stop();
});

const apiService = (caBundle: string, extra = '') => `apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1alpha1.${WARDLE_GROUP}}
spec:
  group: ${WARDLE_GROUP}
  version: v1alpha1
  service: {namespace: default, name: wardle}
  caBundle: ${caBundle}
  groupPriorityMinimum: 1000
  versionPriority: 15
${extra}`;

/** The test server registered for a metrics API group version, as KEDA or prometheus-adapter register theirs; waits until Available. */
async function registerMetricsApi(group: string, version: string): Promise<void> {
  await c.kubectlOk(['apply', '-f', '-'], { input: apiService(ext.caBundle).replace(/wardle\.example\.com/g, group).replace(/v1alpha1/g, version) });
  await waitFor(async () => {
    const a = await c.client.get<APIService>(R.apiservices, `${version}.${group}`).catch(() => undefined);
    return a?.status?.conditions?.some((x) => x.type === 'Available' && x.status === 'True');
  }, `${version}.${group} Available`);
}

const serviceAndSlice = `apiVersion: v1
kind: Service
metadata: {name: wardle}
spec: {ports: [{port: 443, targetPort: 8443}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: wardle-1, labels: {kubernetes.io/service-name: wardle}}
addressType: IPv4
endpoints: [{addresses: [10.244.7.7], conditions: {ready: true}}]
ports: [{name: "", port: 8443, protocol: TCP}]
`;

async function available(): Promise<string> {
  const a = await c.client.get<APIService>(R.apiservices, `v1alpha1.${WARDLE_GROUP}`).catch(() => undefined);
  const cond = a?.status?.conditions?.find((x) => x.type === 'Available');
  return cond ? `${cond.status} ${cond.reason ?? ''}: ${cond.message ?? ''}` : '';
}

describe('APIServices', () => {
  it('every served group version has a Local one, shown with kube-aggregator\'s columns', async () => {
    const table = await waitFor(async () => {
      const out = await c.kubectlOk(['get', 'apiservices']);
      return out.includes('v1.apps') && out.includes('v1beta1.metrics.k8s.io') ? out : undefined;
    }, 'the Local APIServices');
    expect(table.split('\n')[0]).toMatch(/^NAME\s+SERVICE\s+AVAILABLE\s+AGE$/);
    expect(table).toMatch(/^v1\.\s+Local\s+True\s+\d+s$/m);
    expect(table).toMatch(/^v1\.apps\s+Local\s+True\s+\d+s$/m);
    expect(table).toMatch(/^v2\.autoscaling\s+Local\s+True\s+\d+s$/m);
    expect(table).toMatch(/^v1\.apiregistration\.k8s\.io\s+Local\s+True\s+\d+s$/m);
    const apps = JSON.parse(await c.kubectlOk(['get', 'apiservice', 'v1.apps', '-o', 'json'])) as APIService;
    expect(apps.metadata?.labels).toEqual({ 'kube-aggregator.kubernetes.io/automanaged': 'onstart' });
    expect(apps.spec).toEqual({ group: 'apps', version: 'v1', groupPriorityMinimum: 17800, versionPriority: 15 });
    expect(apps.status?.conditions).toEqual([expect.objectContaining({ type: 'Available', status: 'True', reason: 'Local', message: 'Local APIServices are always available' })]);
    const resources = await c.kubectlOk(['api-resources', '--api-group=apiregistration.k8s.io', '--no-headers']);
    expect(resources).toMatch(/^apiservices\s+apiregistration\.k8s\.io\/v1\s+false\s+APIService$/m);
  });

  it('a CRD\'s group version gets one while it is served, labelled for continuous sync', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.stable.example.com}
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
` });
    const a = await waitFor(() => c.client.get<APIService>(R.apiservices, 'v1.stable.example.com').catch(() => undefined), 'the CRD\'s APIService');
    expect(a.metadata?.labels).toEqual({ 'kube-aggregator.kubernetes.io/automanaged': 'true' });
    expect(a.spec).toMatchObject({ group: 'stable.example.com', version: 'v1', groupPriorityMinimum: 1000, versionPriority: 100 });
    await c.kubectlOk(['delete', 'crd', 'widgets.stable.example.com']);
    await waitFor(async () => !(await c.client.get(R.apiservices, 'v1.stable.example.com').catch(() => undefined)), 'the CRD\'s APIService gone');
  });

  it('refuses what kube-aggregator refuses, in its words', async () => {
    const r = await c.kubectl(['create', '-f', '-'], { input: `apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1.wrong.example.com}
spec: {group: right.example.com, version: v1, groupPriorityMinimum: 0, versionPriority: 1001, caBundle: "aGVsbG8=", insecureSkipTLSVerify: true}
` });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The APIService "v1.wrong.example.com" is invalid: ');
    expect(r.stderr).toContain('metadata.name: Invalid value: "v1.wrong.example.com": must be `spec.version+"."+spec.group`: "v1.right.example.com"');
    expect(r.stderr).toContain('spec.groupPriorityMinimum: Invalid value: 0: must be positive and less than 20000');
    expect(r.stderr).toContain('spec.versionPriority: Invalid value: 1001: must be positive and less than 1000');
    expect(r.stderr).toContain('spec.caBundle: Invalid value: "5 bytes": local APIServices may not have a caBundle');
    expect(r.stderr).toContain('spec.insecureSkipTLSVerify: Invalid value: true: local APIServices may not have insecureSkipTLSVerify');
    const both = await c.kubectl(['create', '-f', '-'], { input: apiService('aGVsbG8=', '  insecureSkipTLSVerify: true\n') });
    expect(both.stderr).toContain('spec.insecureSkipTLSVerify: Invalid value: true: may not be true if caBundle is present');
    const port = await c.kubectl(['create', '-f', '-'], { input: apiService('aGVsbG8=').replace('name: wardle}', 'name: wardle, port: 70000}') });
    expect(port.stderr).toContain('spec.service.port: Invalid value: 70000: port is not valid: must be between 1 and 65535, inclusive');
  });

  it('kube-system says how aggregated servers trust the front proxy', async () => {
    const cm = JSON.parse(await c.kubectlOk(['get', 'configmap', '-n', 'kube-system', 'extension-apiserver-authentication', '-o', 'json'])) as ConfigMap;
    expect(cm.data).toMatchObject({
      'requestheader-allowed-names': '["front-proxy-client"]', 'requestheader-username-headers': '["X-Remote-User"]',
      'requestheader-group-headers': '["X-Remote-Group"]', 'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]',
    });
    expect(cm.data!['client-ca-file']).toBe(c.core.caCertPem);
    expect(cm.data!['requestheader-client-ca-file']).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(cm.data!['requestheader-client-ca-file']).not.toBe(c.core.caCertPem);
    const role = JSON.parse(await c.kubectlOk(['get', 'role', '-n', 'kube-system', 'extension-apiserver-authentication-reader', '-o', 'json'])) as { rules: unknown[] };
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['extension-apiserver-authentication'], verbs: ['get', 'list', 'watch'] }]);
  });
});

describe('an aggregated API server', () => {
  it('is unavailable, with kube-aggregator\'s reason, until its Service and endpoints exist', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: apiService(ext.caBundle) });
    expect(await waitFor(async () => (await available()).startsWith('False ServiceNotFound') && available(), 'ServiceNotFound'))
      .toBe('False ServiceNotFound: service/wardle in "default" is not present');
    const table = await c.kubectlOk(['get', 'apiservice', `v1alpha1.${WARDLE_GROUP}`]);
    expect(table).toMatch(/^v1alpha1\.wardle\.example\.com\s+default\/wardle\s+False \(ServiceNotFound\)\s+\d+s$/m);
    const r = await c.kubectl(['get', '--raw', `/apis/${WARDLE_GROUP}/v1alpha1`]);
    expect(r.stderr).toContain('Error from server (ServiceUnavailable)');
    await c.kubectlOk(['create', 'service', 'clusterip', 'wardle', '--tcp=8080:8443']);
    expect(await waitFor(async () => (await available()).startsWith('False ServicePortError') && available(), 'ServicePortError'))
      .toBe('False ServicePortError: service/wardle in "default" is not listening on port 443');
    await c.kubectlOk(['delete', 'service', 'wardle']);
    await c.kubectlOk(['apply', '-f', '-'], { input: serviceAndSlice.split('---')[0] });
    expect(await waitFor(async () => (await available()).startsWith('False EndpointsNotFound') && available(), 'EndpointsNotFound'))
      .toBe('False EndpointsNotFound: cannot find endpointslices for service/wardle in "default"');
    await c.kubectlOk(['apply', '-f', '-'], { input: serviceAndSlice });
    expect(await waitFor(async () => (await available()).startsWith('True') && available(), 'Available')).toBe('True Passed: all checks passed');
    // The discovery check: as system:kube-aggregator in system:masters, with the front proxy's certificate.
    expect(ext.requests.find((q) => q.path === `/apis/${WARDLE_GROUP}/v1alpha1`)).toMatchObject({
      clientCN: 'front-proxy-client', user: 'system:kube-aggregator', groups: ['system:masters'],
    });
  });

  it('is discovered and used by kubectl, as the user who asked and without their credentials', async () => {
    const resources = await waitFor(async () => {
      const out = await c.kubectlOk(['api-resources', `--api-group=${WARDLE_GROUP}`, '--no-headers']);
      return out.includes('flunders') ? out : undefined;
    }, 'flunders in discovery');
    expect(resources).toMatch(/^flunders\s+fl\s+wardle\.example\.com\/v1alpha1\s+true\s+Flunder$/m);
    const groups = JSON.parse(await c.kubectlOk(['get', '--raw', '/apis'])) as { groups: Array<{ name: string; preferredVersion: { groupVersion: string } }> };
    expect(groups.groups.find((g) => g.name === WARDLE_GROUP)?.preferredVersion.groupVersion).toBe(`${WARDLE_GROUP}/v1alpha1`);
    expect(JSON.parse(await c.kubectlOk(['get', '--raw', `/apis/${WARDLE_GROUP}`]))).toMatchObject({ kind: 'APIGroup', name: WARDLE_GROUP });
    await c.kubectlOk(['create', '-f', '-'], { input: `apiVersion: ${WARDLE_GROUP}/v1alpha1\nkind: Flunder\nmetadata: {name: first}\n` });
    expect(await c.kubectlOk(['get', 'fl', '-o', 'name'])).toBe(`flunder.${WARDLE_GROUP}/first\n`);
    const got = JSON.parse(await c.kubectlOk(['get', 'flunder', 'first', '-o', 'json'])) as { metadata: { namespace: string } };
    expect(got.metadata.namespace).toBe('default');
    // kubectl explain reads the server's OpenAPI v3 document through the aggregator's index.
    const index = JSON.parse(await c.kubectlOk(['get', '--raw', '/openapi/v3'])) as { paths: Record<string, { serverRelativeURL: string }> };
    expect(index.paths[`apis/${WARDLE_GROUP}/v1alpha1`]).toEqual({ serverRelativeURL: `/openapi/v3/apis/${WARDLE_GROUP}/v1alpha1` });
    const explained = await c.kubectlOk(['explain', 'flunders.spec']);
    expect(explained).toContain('What a flunder wants.');
    expect(explained).toMatch(/reference\s+<string>/);
    // The UI's resource browser finds and counts the aggregated kind.
    const types = await bridge.ok('discover', null);
    expect(types).toEqual(expect.arrayContaining([expect.objectContaining({ group: WARDLE_GROUP, resource: 'flunders', kind: 'Flunder', namespaced: true })]));
    expect((await bridge.ok('countResources', {}))[`${WARDLE_GROUP}/flunders`]).toBe(1);
    const table = await bridge.ok('listTable', { group: WARDLE_GROUP, version: 'v1alpha1', resource: 'flunders', namespace: 'default' });
    expect(table.rows.map((r) => r.cells[0])).toEqual(['first']);
    expect(await bridge.ok('getObject', { group: WARDLE_GROUP, version: 'v1alpha1', resource: 'flunders', namespace: 'default', name: 'first' }))
      .toMatchObject({ kind: 'Flunder', metadata: { name: 'first' } });
    const missing = await c.kubectl(['get', 'flunder', 'nope']);
    expect(missing.stderr).toContain(`Error from server (NotFound): flunders.${WARDLE_GROUP} "nope" not found`);
    const create = ext.requests.find((q) => q.method === 'POST');
    expect(create).toMatchObject({ clientCN: 'front-proxy-client', user: 'admin', authorization: undefined });
    expect(create!.groups).toEqual(expect.arrayContaining(['system:masters', 'system:authenticated']));
  });

  it('is read by the Python client: APIServices and the aggregated resource', async () => {
    const { stdout, code, stderr } = await runPython([pythonFixture('apiservices.py'), c.core.kubeconfigPath, WARDLE_GROUP, 'v1alpha1', 'flunders'], c.dir);
    expect(code, stderr).toBe(0);
    const got = JSON.parse(stdout) as { names: string[]; service: unknown[]; available: string[]; items: string[]; invalid: unknown[] };
    expect(got.names).toEqual(expect.arrayContaining(['v1.', 'v1.apps', `v1alpha1.${WARDLE_GROUP}`]));
    expect(got.service).toEqual(['default', 'wardle', 443]);
    expect(got.available).toEqual(['True', 'Passed']);
    expect(got.items).toEqual(['first']);
    expect(got.invalid).toEqual([422, 'Invalid', `Invalid value: "v9.${WARDLE_GROUP}": must be \`spec.version+"."+spec.group\`: "v8.${WARDLE_GROUP}"`]);
  });

  it('is authorized here first: a user RBAC does not allow never reaches it; one it allows is named to it with groups', async () => {
    const before = ext.requests.length;
    const denied = await c.kubectl(['get', 'flunders', '--as=mallory']);
    expect(denied.stderr).toContain(`Error from server (Forbidden): flunders.${WARDLE_GROUP} is forbidden: User "mallory" cannot list resource "flunders" in API group "${WARDLE_GROUP}" in the namespace "default"`);
    expect(ext.requests.slice(before).filter((q) => q.path.includes('/flunders'))).toEqual([]);
    await c.kubectlOk(['create', 'clusterrole', 'flunder-reader', '--verb=get,list', `--resource=flunders.${WARDLE_GROUP}`]);
    await c.kubectlOk(['create', 'clusterrolebinding', 'flunder-readers', '--clusterrole=flunder-reader', '--group=wardle-users']);
    expect(await c.kubectlOk(['get', 'flunders', '-o', 'name', '--as=alice', '--as-group=wardle-users'])).toBe(`flunder.${WARDLE_GROUP}/first\n`);
    const asAlice = ext.requests.findLast((q) => q.user === 'alice');
    expect(asAlice?.groups).toEqual(['wardle-users', 'system:authenticated']);
  });

  it('streams a watch through, and ends it on both sides when the client goes', async () => {
    const token = c.core.auth.adminToken;
    const url = new URL(`${c.core.api.url}/apis/${WARDLE_GROUP}/v1alpha1/namespaces/default/flunders?watch=true`);
    const events: string[] = [];
    const req = https.request(url, { ca: c.core.caCertPem, headers: { Authorization: `Bearer ${token}` } });
    const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => { req.on('response', resolve); req.on('error', reject); req.end(); });
    res.on('data', (d: Buffer) => events.push(...d.toString().split('\n').filter(Boolean)));
    await waitFor(() => events.length >= 1, 'the first event');
    await c.kubectlOk(['create', '-f', '-'], { input: `apiVersion: ${WARDLE_GROUP}/v1alpha1\nkind: Flunder\nmetadata: {name: second}\n` });
    await waitFor(() => events.some((e) => e.includes('"second"')), 'the ADDED event of a new flunder');
    expect(ext.openWatches()).toBe(1);
    req.destroy();
    await waitFor(() => ext.openWatches() === 0, 'the watch ended on the server');
  });

  it('serves an External metric the HPA scales a Deployment on, as with KEDA', async () => {
    await registerMetricsApi('external.metrics.k8s.io', 'v1beta1');
    ext.setExternalMetric('queue_depth', '35');
    await c.kubectlOk(['create', 'deployment', 'worker', '--image=busybox', '--replicas=1']);
    await c.kubectlOk(['apply', '-f', '-'], { input: `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: worker}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: worker}
  minReplicas: 1
  maxReplicas: 10
  metrics:
  - type: External
    external:
      metric: {name: queue_depth, selector: {matchLabels: {queue: jobs}}}
      target: {type: AverageValue, averageValue: "10"}
` });
    // 35 waiting over 10 a replica: 4 replicas.
    await waitFor(async () => (await c.kubectlOk(['get', 'deployment', 'worker', '-o', 'jsonpath={.spec.replicas}'])) === '4', 'worker scaled to 4', 30_000, 100);
    const asked = ext.requests.find((q) => q.path === '/apis/external.metrics.k8s.io/v1beta1/namespaces/default/queue_depth');
    expect(asked?.clientCN).toBe('front-proxy-client');
    const hpa = JSON.parse(await c.kubectlOk(['get', 'hpa', 'worker', '-o', 'json'])) as { status: { currentMetrics: unknown[]; conditions: Array<{ type: string; reason: string; message: string }> } };
    expect(hpa.status.currentMetrics[0]).toMatchObject({ type: 'External', external: { metric: { name: 'queue_depth', selector: { matchLabels: { queue: 'jobs' } } } } });
    const selector = '&LabelSelector{MatchLabels:map[string]string{queue: jobs,},MatchExpressions:[]LabelSelectorRequirement{},}';
    const events = await c.kubectlOk(['get', 'events', '--field-selector', 'involvedObject.name=worker,reason=SuccessfulRescale', '-o', 'jsonpath={.items[*].message}']);
    expect(events).toContain(`New size: 4; reason: external metric queue_depth(${selector}) above target`);
    // The metric gone: the HPA says so and keeps the size.
    ext.setExternalMetric('queue_depth', undefined);
    const active = await waitFor(async () => {
      const h = JSON.parse(await c.kubectlOk(['get', 'hpa', 'worker', '-o', 'json'])) as typeof hpa;
      const cond = h.status.conditions.find((x) => x.type === 'ScalingActive');
      return cond?.reason === 'FailedGetExternalMetric' ? cond : undefined;
    }, 'ScalingActive False FailedGetExternalMetric', 30_000, 100);
    expect(active.message).toContain(`the HPA was unable to compute the replica count: unable to get external metric default/queue_depth/${selector}: `);
    expect(await c.kubectlOk(['get', 'deployment', 'worker', '-o', 'jsonpath={.spec.replicas}'])).toBe('4');
    await c.kubectlOk(['delete', 'hpa', 'worker']);
    await c.kubectlOk(['delete', 'deployment', 'worker']);
    await c.kubectlOk(['delete', 'apiservice', 'v1beta1.external.metrics.k8s.io']);
  });

  it('serves Pods and Object metrics (custom.metrics.k8s.io) the HPA scales Deployments on, as with prometheus-adapter', async () => {
    await registerMetricsApi('custom.metrics.k8s.io', 'v1beta2');
    // Two running, ready pods of each Deployment, as their nodes would report them.
    for (const app of ['api', 'web']) {
      await c.kubectlOk(['create', 'deployment', app, '--image=busybox', '--replicas=2']);
      for (let i = 0; i < 2; i++) {
        const pod = await c.client.create<Pod & KObject>(R.pods, {
          apiVersion: 'v1', kind: 'Pod', metadata: { name: `${app}-${i}`, namespace: 'default', labels: { app } }, spec: { containers: [{ name: 'c', image: 'busybox' }] },
        });
        await c.client.patch(R.pods, `${app}-${i}`, { status: runningStatus(pod, `10.244.0.${i + 10}`, '10.10.0.2', true) }, 'merge', { namespace: 'default', subresource: 'status' });
      }
    }
    await c.kubectlOk(['create', 'service', 'clusterip', 'web', '--tcp=80:8080']);
    ext.setCustomMetric('default', 'pods', 'api-0', 'http_requests', '30');
    ext.setCustomMetric('default', 'pods', 'api-1', 'http_requests', '50');
    ext.setCustomMetric('default', 'services', 'web', 'requests_per_second', '250');
    const hpa = (name: string, metric: string) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ${name}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${name}}
  minReplicas: 1
  maxReplicas: 10
  metrics:
${metric}`;
    await c.kubectlOk(['apply', '-f', '-'], { input: hpa('api', `  - type: Pods
    pods:
      metric: {name: http_requests}
      target: {type: AverageValue, averageValue: "20"}
`) });
    await c.kubectlOk(['apply', '-f', '-'], { input: hpa('web', `  - type: Object
    object:
      describedObject: {apiVersion: v1, kind: Service, name: web}
      metric: {name: requests_per_second}
      target: {type: Value, value: "100"}
`) });
    // api: 40 a pod on average over 20 a pod, 2 pods: 4. web: 250 over 100 with 2 ready pods: ceil(2.5 × 2) = 5.
    const size = (name: string) => c.kubectlOk(['get', 'deployment', name, '-o', 'jsonpath={.spec.replicas}']);
    await waitFor(async () => (await size('api')) === '4', 'api scaled to 4', 30_000, 100);
    await waitFor(async () => (await size('web')) === '5', 'web scaled to 5', 30_000, 100);
    const asked = ext.requests.find((q) => q.path === '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/http_requests');
    expect(asked?.query).toEqual({ labelSelector: 'app=api' });
    expect(ext.requests.some((q) => q.path === '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/services/web/requests_per_second')).toBe(true);
    const status = async (name: string) => (JSON.parse(await c.kubectlOk(['get', 'hpa', name, '-o', 'json'])) as {
      status: { currentMetrics?: unknown[]; conditions: Array<{ type: string; reason: string; message: string }> };
    }).status;
    expect((await status('api')).currentMetrics).toEqual([{ type: 'Pods', pods: { metric: { name: 'http_requests' }, current: { averageValue: '40' } } }]);
    expect((await status('web')).currentMetrics).toEqual([{
      type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 'web' }, metric: { name: 'requests_per_second' }, current: { value: '250' } },
    }]);
    const events = await c.kubectlOk(['get', 'events', '--field-selector', 'reason=SuccessfulRescale', '-o', 'jsonpath={.items[*].message}']);
    expect(events).toContain('New size: 4; reason: pods metric http_requests above target');
    expect(events).toContain('New size: 5; reason: Service metric requests_per_second above target');
    // kubectl describes them as it does on a cluster with prometheus-adapter.
    expect(await c.kubectlOk(['get', 'hpa', 'api', 'web', '--no-headers'])).toMatch(/^api\s+Deployment\/api\s+40\/20\s+1\s+10\s+\d+\s+\S+\nweb\s+Deployment\/web\s+250\/100\s+1\s+10\s+\d+\s+\S+\n$/);
    // The Service's metric gone: kube's words (arguments in Go's order) and the size kept.
    ext.setCustomMetric('default', 'services', 'web', 'requests_per_second', undefined);
    const failed = await waitFor(async () => {
      const cond = (await status('web')).conditions.find((x) => x.type === 'ScalingActive');
      return cond?.reason === 'FailedGetObjectMetric' ? cond : undefined;
    }, 'ScalingActive False FailedGetObjectMetric', 30_000, 100);
    expect(failed.message).toBe('the HPA was unable to compute the replica count: unable to get metric requests_per_second: Service on default web/unable to fetch '
      + 'metrics from custom metrics API: the server could not find the metric requests_per_second for services web');
    const warnings = await c.kubectlOk(['get', 'events', '--field-selector', 'involvedObject.name=web,reason=FailedComputeMetricsReplicas', '-o', 'jsonpath={.items[*].message}']);
    expect(warnings).toContain('invalid metrics (1 invalid out of 1), first error is: failed to get object metric value: unable to get metric requests_per_second: Service on default web/');
    expect(await size('web')).toBe('5');
    for (const app of ['api', 'web']) await c.kubectlOk(['delete', 'hpa,deployment', app]);
    await c.kubectlOk(['delete', 'pods,services', '-l', 'app in (api,web)']);
    await c.kubectlOk(['delete', 'apiservice', 'v1beta2.custom.metrics.k8s.io']);
  });

  it('answers 503 while its server is down, and says why in its condition', async () => {
    await ext.stop();
    // What a dying server's pod does to its endpoints (here, a touch of the slice) has the server checked again at once.
    await c.kubectlOk(['annotate', 'endpointslice', 'wardle-1', 'touched=yes']);
    const svc = JSON.parse(await c.kubectlOk(['get', 'service', 'wardle', '-o', 'json'])) as { spec: { clusterIP: string } };
    const reason = await waitFor(async () => (await available()).startsWith('False FailedDiscoveryCheck') && available(), 'FailedDiscoveryCheck', 60_000, 250);
    expect(reason).toContain(`failing or missing response from https://${svc.spec.clusterIP}:443/apis/${WARDLE_GROUP}/v1alpha1: `);
    expect(reason).toContain(`dial tcp ${svc.spec.clusterIP}:443: connect: connection refused`);
    const r = await c.kubectl(['get', 'flunders']);
    expect(r.stderr).toContain('Error from server (ServiceUnavailable): the server is currently unable to handle the request');
    // The UI's resource browser still counts everything else.
    const counts = await bridge.ok('countResources', {});
    expect(counts['apps/deployments']).toBe(0);
    expect(counts[`${WARDLE_GROUP}/flunders`]).toBeUndefined();
    // Back again, it is found and used again.
    ext = await startExtensionApiServer({
      requestHeaderCaPem: (await c.client.get<ConfigMap>(R.configmaps, 'extension-apiserver-authentication', 'kube-system')).data!['requestheader-client-ca-file'],
      allowedNames: ['front-proxy-client'], dnsNames: ['wardle.default.svc'],
    });
    extPort = ext.port;
    await c.kubectlOk(['apply', '-f', '-'], { input: apiService(ext.caBundle) });
    expect(await waitFor(async () => (await available()).startsWith('True') && available(), 'Available again', 60_000, 250)).toBe('True Passed: all checks passed');
    expect(await c.kubectlOk(['get', 'flunders', '-o', 'name'])).toBe('');
  });
});
