// kubectl rollout history with real kubectl: CHANGE-CAUSE comes from the kubernetes.io/change-cause annotation the
// controllers copy — a Deployment's to its current ReplicaSet on every sync (so an annotation written after the rollout
// shows too), a StatefulSet's and a DaemonSet's to each ControllerRevision when it is made.
import { describe, expect, it } from 'vitest';
import { testClusterAll, waitFor } from '../../helpers/cluster';

const c = testClusterAll();

const ok = (args: string[], input?: string): Promise<string> => c.kubectlOk(args, { input });

/** `kubectl rollout history` rows as [revision, change-cause]. */
async function history(ref: string): Promise<string[][]> {
  const out = await ok(['rollout', 'history', ref]);
  return out.trim().split('\n').slice(2).map((l) => l.trim().split(/\s{2,}/));
}

const workload = (kind: 'StatefulSet' | 'DaemonSet', name: string) => `apiVersion: apps/v1
kind: ${kind}
metadata: {name: ${name}, annotations: {kubernetes.io/change-cause: first}}
spec:
  ${kind === 'StatefulSet' ? `serviceName: ${name}\n  ` : ''}selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: docker.io/flotilla/hello:1}]}
`;

describe('kubectl rollout history', () => {
  it('shows a Deployment\'s change-cause, also one annotated after its rollout', async () => {
    await ok(['create', 'deployment', 'hist', '--image=docker.io/flotilla/hello:1']);
    await ok(['annotate', 'deployment/hist', 'kubernetes.io/change-cause=create']);
    await waitFor(async () => (await history('deployment/hist')).some((r) => r[1] === 'create') || undefined, 'revision 1 with its cause');
    await ok(['set', 'image', 'deployment/hist', 'hello=docker.io/flotilla/hello:2']);
    await waitFor(async () => (await history('deployment/hist')).length === 2 || undefined, 'revision 2');
    await ok(['annotate', '--overwrite', 'deployment/hist', 'kubernetes.io/change-cause=image 2']);
    const rows = await waitFor(async () => {
      const h = await history('deployment/hist');
      return h.find((r) => r[0] === '2')?.[1] === 'image 2' ? h : undefined;
    }, 'revision 2 with its cause');
    expect(rows).toEqual([['1', 'create'], ['2', 'image 2']]);
  });

  it('shows the change-cause a StatefulSet and a DaemonSet had when each revision was made', async () => {
    for (const [kind, name] of [['StatefulSet', 'hist-sts'], ['DaemonSet', 'hist-ds']] as const) {
      const ref = `${kind.toLowerCase()}/${name}`;
      await ok(['apply', '-f', '-'], workload(kind, name));
      await waitFor(async () => (await history(ref)).length === 1 || undefined, `${kind} revision 1`);
      await ok(['annotate', '--overwrite', ref, 'kubernetes.io/change-cause=second']);
      await ok(['set', 'image', ref, 'c=docker.io/flotilla/hello:2']);
      const rows = await waitFor(async () => { const h = await history(ref); return h.length === 2 ? h : undefined; }, `${kind} revision 2`);
      expect(rows, kind).toEqual([['1', 'first'], ['2', 'second']]);
    }
  });
});
