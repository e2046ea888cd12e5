// The resource browser's bridge calls against a real API server, each compared with what real
// kubectl says or does on the same cluster: discovery (a CRD appearing), Tables with `kubectl get`'s
// columns (a CRD's printer columns), rollout history, undo and restart, scale, and a CronJob's job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CronJob, Deployment, Job, KObject } from '../../../main/api/types';
import type { Table } from '../../../main/api/table';
import { semantic } from '../../../main/api/semantic';
import type { BridgeEvents, EventName } from '../../../main/bridge/contract';
import { bridgeDepsOf, createBridgeSession } from '../../../main/bridge/handlers';
import type { BridgeSession } from '../../../main/bridge/handlers';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { crdManifest, defineCrd, PRESERVE_UNKNOWN_FIELDS, storedVersion } from '../../helpers/crd';
import { bridgeCalls } from '../../helpers/bridge-calls';

let c: TestCluster;
let session: BridgeSession;
const events: Array<{ name: EventName; payload: unknown }> = [];

beforeAll(async () => {
  c = await startTestCluster();
  session = createBridgeSession(bridgeDepsOf(c.core), (name, payload) => events.push({ name, payload }));
});
afterAll(async () => {
  session?.dispose();
  await c?.stop();
});

const { call, ok } = bridgeCalls(() => session);
const kubectl = (args: string[], input?: string) => c.kubectlOk(args, { input });

/** kubectl get's lines as cells (split where kubectl pads with two spaces or more). */
const printed = (out: string) => out.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));
/** A Table as kubectl prints it without -o wide: the priority-0 columns, headers upper-cased, cells with %v. */
function asKubectlPrints(t: Table): string[][] {
  const cols = (t.columnDefinitions ?? []).map((d, i) => ({ d, i })).filter(({ d }) => d.priority === 0);
  const header = cols.map(({ d }) => d.name.toUpperCase());
  const rows = t.rows.map((r) => cols.map(({ i }) => (r.cells[i] === null ? '' : String(r.cells[i]))).filter((s, k, a) => s !== '' || k < a.length - 1));
  return [header, ...rows];
}

const DEPLOYMENT = (name: string, image = 'docker.io/flotilla/hello:1') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default, labels: {app: ${name}}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: hello, image: ${image}}]}
`;
const ref = (name: string) => ({ group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default', name });

async function deployment(name: string): Promise<Deployment> {
  return JSON.parse(await kubectl(['get', 'deployment', name, '-o', 'json'])) as Deployment;
}

/** A deployment with three revisions (hello:1, :2, :3), each recorded in its ReplicaSet. */
async function threeRevisions(name: string): Promise<void> {
  await kubectl(['apply', '-f', '-'], DEPLOYMENT(name));
  for (const v of [2, 3]) {
    await waitFor(async () => (await deployment(name)).metadata?.annotations?.['deployment.kubernetes.io/revision'] === String(v - 1), `revision ${v - 1}`);
    await kubectl(['set', 'image', `deployment/${name}`, `hello=docker.io/flotilla/hello:${v}`]);
    await kubectl(['annotate', `deployment/${name}`, `kubernetes.io/change-cause=to hello:${v}`, '--overwrite']);
  }
  await waitFor(async () => (await deployment(name)).metadata?.annotations?.['deployment.kubernetes.io/revision'] === '3', 'revision 3');
}

describe('discovery', () => {
  it('lists every listable kind in its preferred version, and a CRD once it is established', async () => {
    const types = await ok('discover', null);
    const key = (t: { group: string; resource: string }) => `${t.group}/${t.resource}`;
    expect(types.find((t) => key(t) === 'apps/deployments')).toMatchObject({ version: 'v1', kind: 'Deployment', namespaced: true });
    expect(types.find((t) => key(t) === 'apps/deployments')?.subresources).toEqual(expect.arrayContaining(['scale', 'status']));
    expect(types.find((t) => key(t) === '/nodes')).toMatchObject({ kind: 'Node', namespaced: false });
    // The same resource types `kubectl api-resources --verbs=list` names.
    const kubectlNames = printed(await kubectl(['api-resources', '--verbs=list', '--no-headers', '-o', 'name'])).map((l) => l[0]).sort();
    expect(types.map((t) => (t.group ? `${t.resource}.${t.group}` : t.resource)).sort()).toEqual(kubectlNames);
    expect(types.some((t) => t.group === 'browse.example.com')).toBe(false);

    await defineCrd(c, crdManifest({ group: 'browse.example.com', plural: 'gadgets', kind: 'Gadget' }, storedVersion(PRESERVE_UNKNOWN_FIELDS,
      '    additionalPrinterColumns:\n    - {name: Size, type: integer, jsonPath: .spec.size}\n    - {name: Colour, type: string, jsonPath: .spec.colour}\n')),
    'gadgets.browse.example.com');
    const after = await ok('discover', null);
    expect(after.find((t) => t.group === 'browse.example.com')).toMatchObject({ version: 'v1', resource: 'gadgets', kind: 'Gadget', namespaced: true });
  });

  it('refuses a resource type the server does not have, and a namespaced object without namespace', async () => {
    const r = await call('listTable', { group: 'apps', version: 'v1', resource: 'gizmos' });
    expect(r).toEqual({ ok: false, error: { code: 404, reason: 'NotFound', message: 'the server doesn\'t have a resource type "gizmos"' } });
    const g = await call('getObject', { group: 'apps', version: 'v1', resource: 'deployments', name: 'x' });
    expect(g.ok ? undefined : g.error).toMatchObject({ code: 400, message: 'deployments are namespaced: the request needs a namespace' });
  });
});

describe('tables', () => {
  it('have the columns and cells kubectl get prints, for a built-in kind and a CRD', async () => {
    await kubectl(['apply', '-f', '-'], DEPLOYMENT('table-a') + '---\n' + DEPLOYMENT('table-b'));
    await kubectl(['apply', '-f', '-'], `apiVersion: browse.example.com/v1
kind: Gadget
metadata: {name: g1, namespace: default}
spec: {size: 3, colour: blue}
`);
    await waitFor(async () => (await deployment('table-b')).status?.observedGeneration === 1, 'the deployments observed');
    const deployments = await ok('listTable', { group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default' });
    const fromKubectl = printed(await kubectl(['get', 'deployments', '-n', 'default']));
    const ours = asKubectlPrints(deployments);
    expect(ours[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    // AGE may tick between the two reads; every other cell is the same.
    const noAge = (rows: string[][]) => rows.map((r) => r.slice(0, 4));
    expect(noAge(ours).filter((r) => r[0].startsWith('table-') || r[0] === 'NAME')).toEqual(noAge(fromKubectl).filter((r) => r[0].startsWith('table-') || r[0] === 'NAME'));
    expect(deployments.rows[0].object?.metadata?.uid).toBeTruthy();

    const gadgets = await ok('listTable', { group: 'browse.example.com', version: 'v1', resource: 'gadgets', namespace: 'default' });
    expect(asKubectlPrints(gadgets).map((r) => r.slice(0, 3))).toEqual(printed(await kubectl(['get', 'gadgets'])).map((r) => r.slice(0, 3)));
    expect(asKubectlPrints(gadgets)[0]).toEqual(['NAME', 'SIZE', 'COLOUR']); // declared columns replace NAME AGE's AGE
  });

  it('filter by label selector, and a watch pings when the list changes', async () => {
    const one = await ok('listTable', { group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default', labelSelector: 'app=table-a' });
    expect(one.rows.map((r) => r.cells[0])).toEqual(['table-a']);
    const { watchId } = await ok('watchResource', {
      group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default', resourceVersion: one.metadata.resourceVersion ?? '0',
    });
    await kubectl(['scale', 'deployment/table-a', '--replicas=2']);
    await waitFor(() => events.some((e) => e.name === 'resourceChanged' && (e.payload as BridgeEvents['resourceChanged']).watchId === watchId), 'a resourceChanged event');
    await ok('unwatch', { watchId });
  });
});

describe('an object: events and owned objects', () => {
  it('finds the events about a deployment and the ReplicaSet it owns', async () => {
    await kubectl(['apply', '-f', '-'], DEPLOYMENT('linked'));
    const rs = await waitFor(async () => (await ok('ownedObjects', ref('linked'))).find((o) => o.kind === 'ReplicaSet'), 'the owned ReplicaSet');
    expect(rs).toMatchObject({ group: 'apps', version: 'v1', resource: 'replicasets', namespace: 'default', controller: true });
    const evs = await waitFor(async () => {
      const l = await ok('objectEvents', ref('linked'));
      return l.length ? l : undefined;
    }, 'the deployment\'s events');
    expect((evs[0] as KObject & { reason?: string }).reason).toBe('ScalingReplicaSet');
    expect(evs.every((e) => (e as KObject & { involvedObject?: { name?: string } }).involvedObject?.name === 'linked')).toBe(true);
  });
});

describe('workloads', () => {
  it('have the rollout history kubectl rollout history prints', async () => {
    await threeRevisions('hist');
    const history = await ok('rolloutHistory', ref('hist'));
    const lines = printed(await kubectl(['rollout', 'history', 'deployment/hist'])).slice(2); // deployment.apps/hist, REVISION CHANGE-CAUSE
    expect(history.map((h) => [String(h.revision), h.changeCause ?? '<none>'])).toEqual(lines);
    expect(history.map((h) => h.images[0])).toEqual(['docker.io/flotilla/hello:1', 'docker.io/flotilla/hello:2', 'docker.io/flotilla/hello:3']);
    expect(history.map((h) => h.current)).toEqual([false, false, true]);
  });

  it('roll back as kubectl rollout undo does: the same template and annotations', async () => {
    await threeRevisions('undo-ui');
    await threeRevisions('undo-kubectl');
    expect(await ok('rolloutUndo', { ...ref('undo-ui'), toRevision: 1 })).toEqual({ message: 'rolled back' });
    await kubectl(['rollout', 'undo', 'deployment/undo-kubectl', '--to-revision=1']);
    const ui = await deployment('undo-ui');
    const kc = await deployment('undo-kubectl');
    // kubectl writes Go's `resources: {}`: the same template to apimachinery's semantic equality.
    const norm = (d: Deployment) => semantic(d.spec?.template)?.replaceAll('undo-ui', 'X').replaceAll('undo-kubectl', 'X');
    expect(norm(ui)).toEqual(norm(kc));
    const annotations = (d: Deployment) => ({ ...d.metadata?.annotations, 'kubectl.kubernetes.io/last-applied-configuration': undefined });
    expect(annotations(ui)).toEqual(annotations(kc));
    expect(ui.spec?.template.spec?.containers[0].image).toBe('docker.io/flotilla/hello:1');
    // Back to what it runs: skipped, with kubectl's words; a revision that does not exist: kubectl's error.
    await waitFor(async () => (await deployment('undo-ui')).metadata?.annotations?.['deployment.kubernetes.io/revision'] === '4', 'revision 4');
    expect(await ok('rolloutUndo', { ...ref('undo-ui'), toRevision: 4 })).toEqual({ message: 'skipped rollback (current template already matches revision 4)' });
    const missing = await call('rolloutUndo', { ...ref('undo-ui'), toRevision: 9 });
    expect(missing.ok ? undefined : missing.error.message).toBe('unable to find specified revision 9 in history');
  });

  it('restart with the restartedAt annotation as kubectl rollout restart writes it', async () => {
    await kubectl(['apply', '-f', '-'], DEPLOYMENT('restart-ui') + '---\n' + DEPLOYMENT('restart-kubectl'));
    await ok('rolloutRestart', ref('restart-ui'));
    await kubectl(['rollout', 'restart', 'deployment/restart-kubectl']);
    const at = (d: Deployment) => d.spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'] ?? '';
    const ui = at(await deployment('restart-ui'));
    const kc = at(await deployment('restart-kubectl'));
    const shape = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/;
    expect(ui).toMatch(shape);
    expect(kc).toMatch(shape);
    expect(Math.abs(Date.parse(ui) - Date.parse(kc))).toBeLessThan(60_000);
    await kubectl(['rollout', 'pause', 'deployment/restart-ui']);
    const paused = await call('rolloutRestart', ref('restart-ui'));
    expect(paused.ok ? undefined : paused.error.message).toBe("can't restart paused deployment (run rollout resume first)");
  });

  it('scale through the scale subresource, refusing a bad count and a kind without scale', async () => {
    await kubectl(['apply', '-f', '-'], DEPLOYMENT('scaled'));
    await ok('scaleObject', { ...ref('scaled'), replicas: 3 });
    expect((await deployment('scaled')).spec?.replicas).toBe(3);
    const bad = await call('scaleObject', { ...ref('scaled'), replicas: -1 });
    expect(bad.ok ? undefined : bad.error).toMatchObject({ code: 422, message: 'replicas must be a whole number, 0 or more' });
    const cm = await call('scaleObject', { group: '', version: 'v1', resource: 'configmaps', namespace: 'default', name: 'x', replicas: 1 });
    expect(cm.ok ? undefined : cm.error.message).toBe('configmaps cannot be scaled: they have no scale subresource');
  });

  it('trigger a CronJob as kubectl create job --from=cronjob does', async () => {
    await kubectl(['create', 'cronjob', 'nightly', '--image=docker.io/flotilla/hello:1', '--schedule=0 3 * * *']);
    const { job } = await ok('triggerCronJob', { namespace: 'default', name: 'nightly' });
    expect(job).toMatch(/^nightly-manual-[a-z0-9]{5}$/);
    await kubectl(['create', 'job', 'by-kubectl', '--from=cronjob/nightly']);
    const get = async (n: string) => JSON.parse(await kubectl(['get', 'job', n, '-o', 'json'])) as Job;
    const [ui, kc] = [await get(job), await get('by-kubectl')];
    const cj = JSON.parse(await kubectl(['get', 'cronjob', 'nightly', '-o', 'json'])) as CronJob;
    expect(ui.metadata?.annotations).toEqual(kc.metadata?.annotations);
    expect(ui.metadata?.ownerReferences).toEqual(kc.metadata?.ownerReferences);
    expect(ui.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'nightly', uid: cj.metadata?.uid, controller: true });
    expect(ui.spec?.template.spec?.containers).toEqual(kc.spec?.template.spec?.containers);
    const missing = await call('triggerCronJob', { namespace: 'default', name: 'nope' });
    expect(missing.ok ? undefined : missing.error).toMatchObject({ code: 404 });
  });
});
