// StatefulSets, DaemonSets and their ControllerRevisions through real kubectl, on hollow nodes that
// run the pods: get columns, scale, rollout status / history / undo / restart, validation messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHollowCluster, waitFor, type HollowCluster } from '../../helpers/cluster';
import type { Pod, StatefulSet } from '../../../main/api/types';

let c: HollowCluster;

beforeAll(async () => {
  c = await startHollowCluster(1);
});
afterAll(async () => {
  await c?.stop();
});

const ok = (args: string[], input?: string): Promise<string> => c.kubectlOk(args, { input, timeoutMs: 90_000 });

const manifest = (name: string, replicas: number) => `apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  clusterIP: None
  selector: {app: ${name}}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}}
spec:
  serviceName: ${name}
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: app, image: docker.io/flotilla/hello:1}]
`;

async function images(app: string): Promise<string[]> {
  const l = JSON.parse(await ok(['get', 'pods', '-l', `app=${app}`, '-o', 'json'])) as { items: Pod[] };
  return l.items.filter((p) => !p.metadata?.deletionTimestamp).sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!))
    .map((p) => `${p.metadata!.name!}=${p.spec!.containers[0].image ?? ''}`);
}

const sts = async (name: string) => JSON.parse(await ok(['get', 'sts', name, '-o', 'json'])) as StatefulSet;

describe('StatefulSets with kubectl', () => {
  it('comes up, shows its columns, scales, and rolls out, back and restarts', async () => {
    await ok(['apply', '-f', '-'], manifest('web', 2));
    expect(await ok(['rollout', 'status', 'sts/web', '--timeout=60s'])).toContain('partitioned roll out complete: 2 new pods have been updated...');
    const table = (await ok(['get', 'sts', 'web'])).trim().split('\n');
    expect(table[0].split(/\s+/)).toEqual(['NAME', 'READY', 'AGE']);
    expect(table[1]).toMatch(/^web\s+2\/2\s+\d+s$/);
    expect((await ok(['get', 'sts', 'web', '-o', 'wide'])).split('\n')[0].split(/\s+/)).toEqual(['NAME', 'READY', 'AGE', 'CONTAINERS', 'IMAGES']);
    const revs = (await ok(['get', 'controllerrevisions'])).trim().split('\n');
    expect(revs[0].split(/\s+/)).toEqual(['NAME', 'CONTROLLER', 'REVISION', 'AGE']);
    expect(revs[1]).toMatch(/^web-[a-z0-9]+\s+statefulset\.apps\/web\s+1\s+\d+s$/);

    expect(await ok(['scale', 'sts/web', '--replicas=3'])).toContain('statefulset.apps/web scaled');
    await ok(['rollout', 'status', 'sts/web', '--timeout=60s']);
    expect(await images('web')).toEqual(['web-0=docker.io/flotilla/hello:1', 'web-1=docker.io/flotilla/hello:1', 'web-2=docker.io/flotilla/hello:1']);

    await ok(['set', 'image', 'sts/web', 'app=docker.io/flotilla/hello:2']);
    expect(await ok(['rollout', 'status', 'sts/web', '--timeout=60s'])).toContain('partitioned roll out complete: 3 new pods have been updated...');
    expect(await images('web')).toEqual(['web-0=docker.io/flotilla/hello:2', 'web-1=docker.io/flotilla/hello:2', 'web-2=docker.io/flotilla/hello:2']);
    expect((await ok(['rollout', 'history', 'sts/web'])).trim().split('\n').map((l) => l.trim().split(/\s+/))).toEqual([
      ['statefulset.apps/web'], ['REVISION', 'CHANGE-CAUSE'], ['1', '<none>'], ['2', '<none>'],
    ]);
    expect(await ok(['rollout', 'history', 'sts/web', '--revision=1'])).toContain('docker.io/flotilla/hello:1');

    expect(await ok(['rollout', 'undo', 'sts/web'])).toContain('statefulset.apps/web rolled back');
    await ok(['rollout', 'status', 'sts/web', '--timeout=60s']);
    await waitFor(async () => JSON.stringify(await images('web')) === JSON.stringify(
      ['web-0=docker.io/flotilla/hello:1', 'web-1=docker.io/flotilla/hello:1', 'web-2=docker.io/flotilla/hello:1']), 'pods back at hello:1', 60_000);
    expect((await ok(['rollout', 'history', 'sts/web'])).trim().split('\n').slice(2).map((l) => l.trim().split(/\s+/)[0])).toEqual(['2', '3']);

    const before = (await sts('web')).status?.updateRevision;
    expect(await ok(['rollout', 'restart', 'sts/web'])).toContain('statefulset.apps/web restarted');
    const after = await waitFor(async () => { const s = await sts('web'); return s.status?.updateRevision !== before ? s : undefined; }, 'a new revision');
    expect(after.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
    await ok(['rollout', 'status', 'sts/web', '--timeout=60s']);
    const done = await sts('web');
    expect(done.status).toMatchObject({ replicas: 3, readyReplicas: 3, updatedReplicas: 3, currentRevision: done.status?.updateRevision });
  });

  it('rejects invalid StatefulSets with Kubernetes messages', async () => {
    const bad = manifest('bad', 1).split('---\n')[1].replace('  serviceName: bad\n', '  serviceName: bad\n  podManagementPolicy: Sometimes\n');
    const r = await c.kubectl(['apply', '-f', '-'], { input: bad });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The StatefulSet "bad" is invalid: spec.podManagementPolicy: Invalid value: "Sometimes": must be \'OrderedReady\' or \'Parallel\'');
    await ok(['apply', '-f', '-'], manifest('fixed', 1));
    const r2 = await c.kubectl(['patch', 'sts', 'fixed', '-p', '{"spec":{"serviceName":"other"}}']);
    expect(r2.stderr).toContain('spec: Forbidden: updates to statefulset spec for fields other than');
  });
});

describe('DaemonSet history with kubectl', () => {
  const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: app, image: docker.io/flotilla/hello:1}]
`;
  const podImages = async () => (JSON.parse(await ok(['get', 'pods', '-l', 'app=agent', '-o', 'json'])) as { items: Pod[] }).items
    .filter((p) => !p.metadata?.deletionTimestamp).map((p) => p.spec!.containers[0].image);

  it('rollout history lists its revisions and rollout undo brings the previous template back', async () => {
    await ok(['apply', '-f', '-'], ds);
    await ok(['rollout', 'status', 'ds/agent', '--timeout=60s']);
    await ok(['set', 'image', 'ds/agent', 'app=docker.io/flotilla/hello:2']);
    expect(await ok(['rollout', 'status', 'ds/agent', '--timeout=60s'])).toContain('daemon set "agent" successfully rolled out');
    expect((await ok(['rollout', 'history', 'ds/agent'])).trim().split('\n').map((l) => l.trim().split(/\s+/))).toEqual([
      ['daemonset.apps/agent'], ['REVISION', 'CHANGE-CAUSE'], ['1', '<none>'], ['2', '<none>'],
    ]);
    expect(await ok(['rollout', 'history', 'ds/agent', '--revision=2'])).toContain('docker.io/flotilla/hello:2');
    expect(await ok(['rollout', 'undo', 'ds/agent'])).toContain('daemonset.apps/agent rolled back');
    await ok(['rollout', 'status', 'ds/agent', '--timeout=60s']);
    await waitFor(async () => (await podImages()).join() === 'docker.io/flotilla/hello:1', 'the pod back at hello:1', 60_000);
    expect((await ok(['rollout', 'history', 'ds/agent'])).trim().split('\n').slice(2).map((l) => l.trim().split(/\s+/)[0])).toEqual(['2', '3']);
    const revs = (await ok(['get', 'controllerrevisions', '-l', 'app=agent'])).trim().split('\n').slice(1);
    expect(revs.every((l) => /\sdaemonset\.apps\/agent\s/.test(l))).toBe(true);
  });
});
