// The YAML editor's bridge calls on a real API server: server-side apply dry-runs store nothing and return the live
// object to diff against, a 422's causes arrive intact per document, an edit made meanwhile is a conflict, and the
// OpenAPI v3 schemas of a group-version (a CRD's included) come through.
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import type { CallName, CallReq, CallRes } from '../../../main/bridge/contract';
import { bridgeDepsOf, createBridgeSession } from '../../../main/bridge/handlers';
import { testClusterAll } from '../../helpers/cluster';

const c = testClusterAll();
const DEPLOYMENTS = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };

async function call<K extends CallName>(name: K, req: CallReq<K>): Promise<CallRes<K>> {
  const s = createBridgeSession(bridgeDepsOf(c.core), () => undefined);
  try {
    const r = await s.call(name, req);
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
    return r.value as CallRes<K>;
  } finally {
    s.dispose();
  }
}

function deployment(name: string, replicas: number | string, extra = ''): string {
  return [
    'apiVersion: apps/v1', 'kind: Deployment', `metadata: {name: ${name}}`, 'spec:', `  replicas: ${replicas}`,
    `  selector: {matchLabels: {app: ${name}}}`, '  template:', `    metadata: {labels: {app: ${name}}}`, '    spec:',
    `      containers: [{name: web, image: docker.io/flotilla/hello:1}]${extra}`, '',
  ].join('\n');
}

describe('applyDocuments', () => {
  it('dry-runs without storing anything, with the live object (none yet) and the result', async () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dry-cm}\ndata: {a: "1"}\n---\n${deployment('dry-dep', 2)}`;
    const { documents } = await call('applyDocuments', { yaml: text, dryRun: true });
    expect(documents.map((d) => [d.document, d.key?.kind, d.error?.message])).toEqual([[0, 'ConfigMap', undefined], [1, 'Deployment', undefined]]);
    expect(documents[1].live).toBeNull();
    expect((documents[1].result?.spec as { replicas: number }).replicas).toBe(2);
    expect(documents[1].result?.metadata?.managedFields).toBeUndefined();
    expect(await c.kubectl(['get', 'deployment', 'dry-dep'])).toMatchObject({ code: 1, stderr: expect.stringContaining('NotFound') as string });
    expect(await c.kubectl(['get', 'configmap', 'dry-cm'])).toMatchObject({ code: 1 });
  });

  it('returns the live object and the would-be result for a change, and applies it for real', async () => {
    await call('applyDocuments', { yaml: deployment('edit-dep', 1), dryRun: false });
    const dry = (await call('applyDocuments', { yaml: deployment('edit-dep', 3), dryRun: true })).documents[0];
    expect((dry.live?.spec as { replicas: number }).replicas).toBe(1);
    expect((dry.result?.spec as { replicas: number }).replicas).toBe(3);
    expect(await c.kubectlOk(['get', 'deployment', 'edit-dep', '-o', 'jsonpath={.spec.replicas}'])).toBe('1');
    const applied = (await call('applyDocuments', { yaml: deployment('edit-dep', 3), dryRun: false })).documents[0];
    expect(applied.error).toBeUndefined();
    expect(await c.kubectlOk(['get', 'deployment', 'edit-dep', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
  });

  it("returns a 422's causes intact, for the document that has them only", async () => {
    const text = `${deployment('good-dep', 1)}---\n${deployment('bad-dep', -1)}`;
    const { documents } = await call('applyDocuments', { yaml: text, dryRun: true });
    expect(documents[0].error).toBeUndefined();
    expect(documents[1]).toMatchObject({ document: 1, error: { code: 422, reason: 'Invalid' } });
    expect(documents[1].error?.causes).toContainEqual({ reason: 'FieldValueInvalid', field: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0' });
  });

  it('refuses a field the schema does not declare (strict field validation) and a wrongly typed value', async () => {
    const unknown = (await call('applyDocuments', { yaml: deployment('strict-dep', 1, '\n  paused: true\n  replicaz: 2'), dryRun: true })).documents[0];
    expect(unknown.error).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(unknown.error?.message).toContain('unknown field "spec.replicaz"');
    const typed = (await call('applyDocuments', { yaml: deployment('typed-dep', '"x"'), dryRun: true })).documents[0];
    expect(typed.error).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(typed.error?.message).toContain('json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
  });

  it('reports a YAML syntax error and a document without kind in their own documents', async () => {
    const { documents } = await call('applyDocuments', { yaml: `metadata: {name: x}\n---\n${deployment('ok-dep', 1)}---\na: [b\n`, dryRun: true });
    expect(documents.map((d) => [d.document, d.error?.code])).toEqual([[0, 400], [1, undefined], [2, 400]]);
    expect(documents[0].error?.message).toBe('an object needs apiVersion and kind');
  });

  it('is a conflict when the object changed since it was read (resourceVersion) or another manager owns the field', async () => {
    await call('applyDocuments', { yaml: deployment('race-dep', 1), dryRun: false });
    const read = await call('getObjectByKind', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'race-dep', namespace: 'default' });
    expect(read.metadata?.managedFields).toBeUndefined();
    await c.kubectlOk(['scale', 'deployment', 'race-dep', '--replicas=4']);
    const stale = { ...read, spec: { ...(read.spec as object), replicas: 2 } } as KObject;
    // Forced (as the editor applies a live object's edit), the stale resourceVersion alone is the conflict, as in Kubernetes.
    const withRv = (await call('applyDocuments', { yaml: JSON.stringify(stale), dryRun: true, force: true })).documents[0];
    expect(withRv.error).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(withRv.error?.message).toContain('the object has been modified; please apply your changes to the latest version and try again');
    const { resourceVersion: _rv, ...meta } = read.metadata ?? {};
    const withoutRv = JSON.stringify({ ...stale, metadata: meta });
    const owned = (await call('applyDocuments', { yaml: withoutRv, dryRun: false })).documents[0];
    expect(owned.error).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(owned.error?.message).toContain('spec.replicas');
    const forced = (await call('applyDocuments', { yaml: withoutRv, dryRun: false, force: true })).documents[0];
    expect(forced.error).toBeUndefined();
    expect((await c.client.get(DEPLOYMENTS, 'race-dep', 'default')).spec).toMatchObject({ replicas: 2 });
  });
});

describe('openapiSchemas', () => {
  it("serves a group-version's schemas, with the kind's group-version-kind", async () => {
    const { schemas } = await call('openapiSchemas', { apiVersion: 'apps/v1' });
    const dep = schemas['io.k8s.api.apps.v1.Deployment'];
    expect(dep['x-kubernetes-group-version-kind']).toContainEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(Object.keys((await call('openapiSchemas', { apiVersion: 'v1' })).schemas)).toContain('io.k8s.api.core.v1.Pod');
  });

  it('refuses what is no apiVersion and says when a group-version is not served', async () => {
    const s = createBridgeSession(bridgeDepsOf(c.core), () => undefined);
    expect(await s.call('openapiSchemas', { apiVersion: '../x' })).toMatchObject({ ok: false, error: { code: 400 } });
    expect(await s.call('openapiSchemas', { apiVersion: 'nope.example/v1' })).toMatchObject({ ok: false, error: { code: 404, message: 'the server has no OpenAPI schemas for nope.example/v1' } });
    s.dispose();
  });
});
