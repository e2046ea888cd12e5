// kubectl diff with real kubectl: an unchanged manifest shows no difference (exit 0) and a changed one shows only the
// change (exit 1), whoever made the object. kubectl's patch for the diff sets `metadata.annotations` to the map it has
// stripped its own annotation from, an empty one for an object without annotations (made by server-side apply,
// `kubectl create`, a controller): the API server drops it as Kubernetes' Go round trip does (omitempty), or every
// such object looked changed. Empty omitempty lists and maps in a manifest (`labels: {}`, `env: []`) are not stored either.
import { describe, expect, it } from 'vitest';
import { testClusterAll } from '../../helpers/cluster';

const c = testClusterAll();

const configMap = (name: string, v: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}, labels: {app: d}}
data: {k1: v1, k2: ${v}}
`;

describe('kubectl diff', () => {
  it('shows nothing for an unchanged manifest of an object made by server-side apply, and only the change otherwise', async () => {
    await c.kubectlOk(['apply', '--server-side', '-f', '-'], { input: configMap('ssa', 'v2') });
    const same = await c.kubectl(['diff', '-f', '-'], { input: configMap('ssa', 'v2') });
    expect({ code: same.code, out: same.stdout, err: same.stderr }).toEqual({ code: 0, out: '', err: '' });

    const changed = await c.kubectl(['diff', '-f', '-'], { input: configMap('ssa', 'v3') });
    expect(changed.code).toBe(1);
    const lines = changed.stdout.split('\n').filter((l) => /^[-+] /.test(l));
    expect(lines).toEqual(['-  k2: v2', '+  k2: v3']);
  });

  it('shows nothing for an unchanged manifest of an object made by kubectl create', async () => {
    await c.kubectlOk(['create', '-f', '-'], { input: configMap('created', 'v2') });
    const same = await c.kubectl(['diff', '-f', '-'], { input: configMap('created', 'v2') });
    expect({ code: same.code, out: same.stdout }).toEqual({ code: 0, out: '' });
  });

  it('stores no empty omitempty lists or maps, and keeps the ones Kubernetes keeps', async () => {
    await c.kubectlOk(['create', '-f', '-'], { input: `apiVersion: v1
kind: Pod
metadata: {name: empties, labels: {}, annotations: {}, finalizers: []}
spec:
  containers: [{name: c, image: docker.io/flotilla/hello:1, env: [], args: [], ports: []}]
  tolerations: []
  nodeSelector: {}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: kubectl-diff-empty-rules}
rules: []
` });
    const pod = JSON.parse(await c.kubectlOk(['get', 'pod', 'empties', '-o', 'json'])) as {
      metadata: Record<string, unknown>; spec: { nodeSelector?: unknown; tolerations?: unknown[]; containers: Array<Record<string, unknown>> };
    };
    expect(Object.keys(pod.metadata)).not.toContain('labels');
    expect(Object.keys(pod.metadata)).not.toContain('finalizers');
    expect(pod.metadata.annotations).toBeUndefined();
    expect(pod.spec.nodeSelector).toBeUndefined();
    expect(Object.keys(pod.spec.containers[0]).filter((k) => ['env', 'args', 'ports'].includes(k))).toEqual([]);
    // The defaulting's own tolerations are there; the manifest's empty list did not stop them.
    expect(pod.spec.tolerations?.length).toBe(2);
    const role = JSON.parse(await c.kubectlOk(['get', 'clusterrole', 'kubectl-diff-empty-rules', '-o', 'json'])) as { rules?: unknown[] };
    expect(role.rules).toEqual([]);
  });
});
