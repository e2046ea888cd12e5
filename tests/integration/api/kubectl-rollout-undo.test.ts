// kubectl rollout undo with real kubectl: the template it writes back (the old ReplicaSet's, as Go
// encodes it: `creationTimestamp: null`, `resources: {}`) is the same template, so the deployment
// controller reuses that ReplicaSet and scales it back up instead of creating a third one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import type { ReplicaSet } from '../../../main/api/types';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => {
  await c?.stop();
});

const ok = (args: string[], input?: string): Promise<string> => c.kubectlOk(args, { input });

async function replicaSets(app: string): Promise<ReplicaSet[]> {
  return (JSON.parse(await ok(['get', 'rs', '-l', `app=${app}`, '-o', 'json'])) as { items: ReplicaSet[] }).items;
}

const imageOf = (rs: ReplicaSet) => rs.spec?.template?.spec?.containers?.[0]?.image;

/** set image, then undo: exactly two ReplicaSets, the first scaled back up and the second down. */
async function setImageThenUndo(app: string): Promise<void> {
  // No nodes run the pods: let the rollout replace the one replica without waiting for availability.
  await ok(['patch', 'deployment', app, '-p', '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":1}}}}']);
  const [first] = await waitFor(async () => { const l = await replicaSets(app); return l.length === 1 ? l : undefined; }, 'the first ReplicaSet');
  await ok(['set', 'image', `deployment/${app}`, 'hello=docker.io/flotilla/hello:2']);
  await waitFor(async () => {
    const l = await replicaSets(app);
    const byName = new Map(l.map((rs) => [rs.metadata!.name!, rs]));
    const second = l.find((rs) => rs.metadata!.name !== first.metadata!.name);
    return l.length === 2 && byName.get(first.metadata!.name!)?.spec?.replicas === 0 && second?.spec?.replicas === 1;
  }, 'the rollout to hello:2');

  expect(await ok(['rollout', 'undo', `deployment/${app}`])).toContain(`deployment.apps/${app} rolled back`);
  const after = await waitFor(async () => {
    const l = await replicaSets(app);
    const back = l.find((rs) => rs.metadata!.name === first.metadata!.name);
    return back?.spec?.replicas === 1 && l.every((rs) => rs === back || rs.spec?.replicas === 0) ? l : undefined;
  }, 'the first ReplicaSet scaled back up');
  expect(after.map((rs) => [imageOf(rs), rs.spec?.replicas]).sort()).toEqual([['docker.io/flotilla/hello:1', 1], ['docker.io/flotilla/hello:2', 0]]);
  const back = after.find((rs) => rs.metadata!.name === first.metadata!.name)!;
  expect(back.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
  expect(back.metadata?.labels?.['pod-template-hash']).toBe(first.metadata?.labels?.['pod-template-hash']);
}

describe('kubectl rollout undo', () => {
  it('reuses the old ReplicaSet of a deployment made by kubectl create deployment', async () => {
    expect(await ok(['create', 'deployment', 'undo-a', '--image=docker.io/flotilla/hello:1'])).toContain('deployment.apps/undo-a created');
    await setImageThenUndo('undo-a');
  });

  it('reuses the old ReplicaSet of a deployment applied from a manifest without resources', async () => {
    const manifest = `apiVersion: apps/v1
kind: Deployment
metadata: {name: undo-b}
spec:
  replicas: 1
  selector: {matchLabels: {app: undo-b}}
  template:
    metadata: {labels: {app: undo-b}}
    spec:
      containers:
      - {name: hello, image: docker.io/flotilla/hello:1}
`;
    expect(await ok(['apply', '-f', '-'], manifest)).toContain('deployment.apps/undo-b created');
    await setImageThenUndo('undo-b');
  });
});
