// Deleting a deployment removes its ReplicaSets and pods: background (kubectl's default),
// foreground (--cascade=foreground) and orphan (--cascade=orphan) propagation. Deleting a StatefulSet removes
// its pods and ControllerRevisions, and a custom resource its dependents, in the background and the
// foreground (the collector once watched only a fixed list of kinds, so these stayed).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplicaSet } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { startHollowCluster, waitFor, type HollowCluster } from '../../helpers/cluster';
import { deploymentManifest, statefulSetManifest } from '../../helpers/manifests';
import { crdManifest, defineCrd, PRESERVE_UNKNOWN_FIELDS, storedVersion } from '../../helpers/crd';

let c: HollowCluster;

beforeAll(async () => {
  c = await startHollowCluster(2);
});
afterAll(async () => {
  await c?.stop();
});

async function count(app: string): Promise<{ rs: number; pods: number }> {
  const rs = await c.core.client.list(R.replicasets, { namespace: 'default', labelSelector: `app=${app}` });
  const pods = await c.core.client.list(R.pods, { namespace: 'default', labelSelector: `app=${app}` });
  return { rs: rs.items.length, pods: pods.items.length };
}

async function deploy(name: string): Promise<void> {
  const file = path.join(c.dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(deploymentManifest(name, 4)));
  expect((await c.kubectl(['apply', '-f', file])).code).toBe(0);
  await waitFor(async () => {
    const n = await count(name);
    return n.rs === 1 && n.pods === 4;
  }, `${name} up`, 20_000);
  await c.kubectl(['rollout', 'status', `deployment/${name}`, '--timeout=30s']);
}

describe('garbage collector', () => {
  it('deletes ReplicaSets and pods in the background', async () => {
    await deploy('bg');
    const r = await c.kubectl(['delete', 'deployment', 'bg']);
    expect(r.code).toBe(0);
    await waitFor(async () => {
      const n = await count('bg');
      return n.rs === 0 && n.pods === 0;
    }, 'bg dependents gone', 20_000);
  });

  it('deletes in the foreground: the deployment stays until its dependents are gone', async () => {
    await deploy('fg');
    const r = await c.kubectl(['delete', 'deployment', 'fg', '--cascade=foreground', '--wait=false']);
    expect(r.code).toBe(0);
    const d = await c.core.client.get(R.deployments, 'fg', 'default').catch(() => undefined);
    if (d) expect(d.metadata?.finalizers).toContain('foregroundDeletion');
    await waitFor(async () => {
      const n = await count('fg');
      const gone = await c.core.client.get(R.deployments, 'fg', 'default').then(() => false, () => true);
      return n.rs === 0 && n.pods === 0 && gone;
    }, 'fg gone', 20_000);
  });

  it('orphans: dependents lose their ownerReference and stay', async () => {
    await deploy('orph');
    const r = await c.kubectl(['delete', 'deployment', 'orph', '--cascade=orphan']);
    expect(r.code).toBe(0);
    const rs = await waitFor(async () => {
      const l = (await c.core.client.list(R.replicasets, { namespace: 'default', labelSelector: 'app=orph' })).items as unknown as ReplicaSet[];
      return l.length === 1 && !l[0].metadata?.ownerReferences?.length ? l[0] : undefined;
    }, 'orphaned rs', 20_000);
    expect((await count('orph')).pods).toBe(4);
    await c.core.client.delete(R.replicasets, rs.metadata!.name!, { namespace: 'default' });
    await waitFor(async () => (await count('orph')).pods === 0, 'orphan pods gone with their rs', 20_000);
  });

  it('orphans a batch/v1 Job\'s pods on a delete that names no policy (its default), and deletes them with kubectl\'s', async () => {
    const job = (name: string) => JSON.stringify({
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' },
      spec: { parallelism: 2, completions: 2, template: { metadata: { labels: { app: name } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'docker.io/flotilla/hello:1', command: ['sleep', '1000'] }] } } },
    });
    const podsOf = async (app: string) => (await c.core.client.list(R.pods, { namespace: 'default', labelSelector: `app=${app}` })).items;
    for (const name of ['job-default', 'job-kubectl', 'job-no-orphan']) {
      await c.kubectlOk(['apply', '-f', '-'], { input: job(name) });
      await waitFor(async () => (await podsOf(name)).length === 2, `${name}'s 2 pods`, 20_000);
    }
    // A bare DELETE, as client libraries send one (python's delete_namespaced_job without a body): the pods stay.
    await c.kubectlOk(['delete', '--raw', '/apis/batch/v1/namespaces/default/jobs/job-default']);
    await waitFor(async () => c.core.client.get(R.jobs, 'job-default', 'default').then(() => false, () => true), 'job-default gone', 20_000);
    const orphans = await waitFor(async () => {
      const l = await podsOf('job-default');
      return l.length === 2 && l.every((p) => !p.metadata?.ownerReferences?.length) ? l : undefined;
    }, 'job-default\'s pods orphaned', 20_000);
    expect(orphans.every((p) => !p.metadata?.deletionTimestamp)).toBe(true);
    // kubectl asks for background propagation, and orphanDependents: false says not to orphan: the pods go.
    await c.kubectlOk(['delete', 'job', 'job-kubectl']);
    await c.kubectlOk(['delete', '--raw', '/apis/batch/v1/namespaces/default/jobs/job-no-orphan?orphanDependents=false']);
    await waitFor(async () => (await podsOf('job-kubectl')).length === 0 && (await podsOf('job-no-orphan')).length === 0, 'their pods deleted', 20_000);
    await c.kubectlOk(['delete', 'pods', '-l', 'app=job-default', '--wait=false']);
  });

  it('deletes a StatefulSet\'s pods and ControllerRevisions', async () => {
    const sts = JSON.stringify(statefulSetManifest('db', 2));
    await c.kubectlOk(['apply', '-f', '-'], { input: sts });
    await c.kubectlOk(['rollout', 'status', 'statefulset/db', '--timeout=30s']);
    const revisions = async () => (await c.core.client.list(R.controllerrevisions, { namespace: 'default', labelSelector: 'app=db' })).items.length;
    expect(await revisions()).toBe(1);
    await c.kubectlOk(['delete', 'statefulset', 'db']);
    await waitFor(async () => (await count('db')).pods === 0 && (await revisions()) === 0, 'the StatefulSet\'s pods and revisions gone', 20_000);
  });

  it('deletes a custom resource\'s dependents, in the background and in the foreground', async () => {
    const crd = crdManifest({ group: 'gc.example.com', plural: 'widgets', kind: 'Widget' }, storedVersion(PRESERVE_UNKNOWN_FIELDS));
    await defineCrd(c, crd, 'widgets.gc.example.com');
    const widget = async (name: string) => {
      await c.kubectlOk(['apply', '-f', '-'], { input: `apiVersion: gc.example.com/v1\nkind: Widget\nmetadata: {name: ${name}, namespace: default}\n` });
      return (await c.kubectlOk(['get', 'widget', name, '-o', 'jsonpath={.metadata.uid}'])).trim();
    };
    const ownedConfigMap = (name: string, owner: string, uid: string, finalizers = '') =>
      c.kubectlOk(['apply', '-f', '-'], { input: `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: default
  ${finalizers}
  ownerReferences: [{apiVersion: gc.example.com/v1, kind: Widget, name: ${owner}, uid: ${uid}, blockOwnerDeletion: true}]
` });
    const exists = async (kind: string, name: string) => (await c.kubectl(['get', kind, name])).code === 0;

    await ownedConfigMap('bg-config', 'bg', await widget('bg'));
    await c.kubectlOk(['delete', 'widget', 'bg']);
    await waitFor(async () => !(await exists('configmap', 'bg-config')), 'the Widget\'s ConfigMap gone', 20_000);

    await ownedConfigMap('fg-config', 'fg', await widget('fg'), 'finalizers: [example.com/hold]');
    await c.kubectlOk(['delete', 'widget', 'fg', '--cascade=foreground', '--wait=false']);
    await waitFor(async () => (await c.kubectlOk(['get', 'configmap', 'fg-config', '-o', 'jsonpath={.metadata.deletionTimestamp}'])) !== '', 'the ConfigMap being deleted', 20_000);
    expect(await c.kubectlOk(['get', 'widget', 'fg', '-o', 'jsonpath={.metadata.finalizers}'])).toBe('["foregroundDeletion"]');
    await c.kubectlOk(['patch', 'configmap', 'fg-config', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await waitFor(async () => !(await exists('widget', 'fg')), 'the Widget gone once its ConfigMap is', 20_000);
    await c.kubectlOk(['delete', 'crd', 'widgets.gc.example.com']);
  });
});
