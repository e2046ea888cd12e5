// Service accounts, tokens and RBAC with the real kubectl (v1.32) against a real Flotilla API server:
// create sa / create token / auth whoami / auth can-i (--as, --list), a service-account kubeconfig
// refused with Kubernetes' exact 403 until a RoleBinding grants it, multi-document apply with
// kubectl's default validation, and the python3-kubernetes client with a service-account token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { runPython } from '../../helpers/python';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster({ controllers: { scheduler: false } });
});
afterAll(async () => {
  await c?.stop();
});

const ok = (args: string[], opts: { input?: string; token?: string } = {}): Promise<string> => c.kubectlOk(args, opts);

/** A kubeconfig that authenticates with `token` (TLS verified against the cluster CA). */
function tokenKubeconfig(token: string): string {
  const file = path.join(c.dir, `sa-${Math.random().toString(36).slice(2)}.kubeconfig`);
  fs.writeFileSync(file, `apiVersion: v1
kind: Config
clusters:
- name: flotilla
  cluster:
    server: ${c.core.api.url}
    certificate-authority-data: ${Buffer.from(c.core.caCertPem).toString('base64')}
users:
- name: robot
  user:
    token: ${token}
contexts:
- name: robot
  context: {cluster: flotilla, user: robot, namespace: shop}
current-context: robot
`);
  return file;
}

describe('service accounts and RBAC with kubectl', () => {
  it('every namespace gets a default ServiceAccount and kube-root-ca.crt; default has the kubernetes Service', async () => {
    await ok(['create', 'namespace', 'shop']);
    await waitFor(async () => (await c.kubectl(['get', 'sa', 'default', '-n', 'shop'])).code === 0, 'default serviceaccount in shop', 10_000);
    const out = await ok(['get', 'serviceaccounts', '-n', 'shop']);
    expect(out).toMatch(/^NAME\s+SECRETS\s+AGE\n/);
    expect(out).toMatch(/\ndefault\s+0\s+\S+\n/);
    await waitFor(async () => (await c.kubectl(['get', 'configmap', 'kube-root-ca.crt', '-n', 'shop'])).code === 0, 'kube-root-ca.crt in shop', 10_000);
    const ca = await ok(['get', 'configmap', 'kube-root-ca.crt', '-n', 'shop', '-o', 'jsonpath={.data.ca\\.crt}']);
    expect(ca).toBe(c.core.caCertPem);
    await waitFor(async () => (await c.kubectl(['get', 'svc', 'kubernetes'])).code === 0, 'kubernetes service', 10_000);
    expect(await ok(['get', 'svc', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}:{.spec.ports[0].port}'])).toBe('10.96.0.1:443');
  });

  it('create sa, create token, whoami, and the exact 403 until a RoleBinding grants list pods', async () => {
    expect(await ok(['create', 'serviceaccount', 'robot', '-n', 'shop'])).toBe('serviceaccount/robot created\n');
    const token = (await ok(['create', 'token', 'robot', '-n', 'shop', '--duration', '20m'])).trim();
    expect(token.split('.')).toHaveLength(3);
    const kc = tokenKubeconfig(token);
    const as = (args: string[]) => c.kubectl(['--kubeconfig', kc, ...args]);
    const who = await as(['auth', 'whoami']);
    expect(who.stdout).toMatch(/Username\s+system:serviceaccount:shop:robot/);
    expect(who.stdout).toMatch(/Groups\s+\[system:serviceaccounts system:serviceaccounts:shop system:authenticated\]/);
    const denied = await as(['get', 'pods']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:shop:robot" cannot list resource "pods" in API group "" in the namespace "shop"');
    expect((await as(['auth', 'can-i', 'list', 'pods'])).stdout.trim()).toBe('no');
    expect((await c.kubectl(['auth', 'can-i', 'list', 'pods', '-n', 'shop', '--as', 'system:serviceaccount:shop:robot'])).stdout.trim()).toBe('no');
    await ok(['create', 'rolebinding', 'robot-view', '-n', 'shop', '--clusterrole', 'view', '--serviceaccount', 'shop:robot']);
    const rb = await ok(['get', 'rolebinding', 'robot-view', '-n', 'shop', '-o', 'wide']);
    expect(rb).toMatch(/^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS\n/);
    expect(rb).toMatch(/robot-view\s+ClusterRole\/view\s+\S+\s+shop\/robot\n/);
    await waitFor(async () => (await as(['get', 'pods'])).code === 0, 'robot may list pods (view aggregated)', 10_000);
    expect((await c.kubectl(['auth', 'can-i', 'list', 'pods', '-n', 'shop', '--as', 'system:serviceaccount:shop:robot'])).stdout.trim()).toBe('yes');
    expect((await c.kubectl(['auth', 'can-i', 'delete', 'pods', '-n', 'shop', '--as', 'system:serviceaccount:shop:robot'])).stdout.trim()).toBe('no');
    expect((await as(['auth', 'can-i', 'list', 'pods', '-n', 'default'])).stdout.trim()).toBe('no');
    const list = await as(['auth', 'can-i', '--list']);
    expect(list.stdout).toMatch(/pods\s+\[\]\s+\[\]\s+\[get list watch\]/);
  });

  it('Role, ClusterRole, ClusterRoleBinding tables, and RBAC validation messages', async () => {
    await ok(['create', 'role', 'pod-reader', '-n', 'shop', '--verb', 'get,list', '--resource', 'pods,pods/log']);
    expect(await ok(['get', 'roles', '-n', 'shop'])).toMatch(/^NAME\s+CREATED AT\npod-reader\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n/);
    expect(await ok(['get', 'clusterroles', 'view', 'edit', 'admin', 'cluster-admin'])).toMatch(/^NAME\s+CREATED AT\n/);
    const crb = await ok(['get', 'clusterrolebinding', 'cluster-admin', '-o', 'wide']);
    expect(crb).toMatch(/cluster-admin\s+ClusterRole\/cluster-admin\s+\S+\s+system:masters\s/);
    const bad = await c.kubectl(['apply', '-f', '-'], { input: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: metrics, namespace: shop}\nrules:\n- nonResourceURLs: ["/metrics"]\n  verbs: ["get"]\n' });
    expect(bad.stderr).toContain('The Role "metrics" is invalid: rules[0].nonResourceURLs: Invalid value: []string{"/metrics"}: namespaced rules cannot apply to non-resource URLs');
  });

  it('applies a multi-document file with a ServiceAccount under the default validation', async () => {
    const out = await ok(['apply', '-f', '-'], { input: `apiVersion: v1
kind: Namespace
metadata: {name: app}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: app-sa, namespace: app}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: app-reader, namespace: app}
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: app-reader, namespace: app}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app-reader}
subjects:
- kind: ServiceAccount
  name: app-sa
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, namespace: app}
data: {greeting: hello}
` });
    expect(out).toBe('namespace/app created\nserviceaccount/app-sa created\nrole.rbac.authorization.k8s.io/app-reader created\nrolebinding.rbac.authorization.k8s.io/app-reader created\nconfigmap/app-config created\n');
    expect((await c.kubectl(['auth', 'can-i', 'get', 'configmaps', '-n', 'app', '--as', 'system:serviceaccount:app:app-sa'])).stdout.trim()).toBe('yes');
    expect((await c.kubectl(['auth', 'can-i', 'get', 'secrets', '-n', 'app', '--as', 'system:serviceaccount:app:app-sa'])).stdout.trim()).toBe('no');
  });

  it('a pod naming a missing ServiceAccount is refused; others get the token volume', async () => {
    const missing = await c.kubectl(['run', 'lost', '-n', 'shop', '--image', 'docker.io/flotilla/hello:1', '--overrides', '{"spec":{"serviceAccountName":"ghost"}}']);
    expect(missing.stderr).toContain('Error from server (Forbidden): pods "lost" is forbidden: error looking up service account shop/ghost: serviceaccount "ghost" not found');
    await ok(['run', 'found', '-n', 'shop', '--image', 'docker.io/flotilla/hello:1', '--overrides', '{"spec":{"serviceAccountName":"robot"}}']);
    const pod = JSON.parse(await ok(['get', 'pod', 'found', '-n', 'shop', '-o', 'json'])) as { spec: { serviceAccount: string; volumes: Array<{ name: string; projected?: { sources: unknown[] } }>; containers: Array<{ volumeMounts: Array<{ name: string; mountPath: string; readOnly: boolean }> }> } };
    expect(pod.spec.serviceAccount).toBe('robot');
    const vol = pod.spec.volumes.find((v) => v.name.startsWith('kube-api-access-'));
    expect(vol?.name).toMatch(/^kube-api-access-[a-z0-9]{5}$/);
    expect(vol?.projected?.sources).toHaveLength(3);
    expect(pod.spec.containers[0].volumeMounts).toContainEqual({ name: vol!.name, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true });
  });

  it('create token --bound-object-kind Pod: works until the pod is deleted; another audience is not the API\'s', async () => {
    const other = (await ok(['create', 'token', 'robot', '-n', 'shop', '--audience', 'vault'])).trim();
    const refused = await c.kubectl(['--kubeconfig', tokenKubeconfig(other), 'get', 'pods']);
    expect(refused.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
    const mismatch = await c.kubectl(['create', 'token', 'default', '-n', 'shop', '--bound-object-kind', 'Pod', '--bound-object-name', 'found']);
    expect(mismatch.stderr).toContain('cannot bind token for serviceaccount "default" to pod running with different serviceaccount name.');
    const bound = (await ok(['create', 'token', 'robot', '-n', 'shop', '--bound-object-kind', 'Pod', '--bound-object-name', 'found'])).trim();
    const kc = tokenKubeconfig(bound);
    expect((await c.kubectl(['--kubeconfig', kc, 'get', 'pods', '-o', 'name'])).stdout).toContain('pod/found');
    await ok(['delete', 'pod', 'found', '-n', 'shop', '--wait=true']);
    expect((await c.kubectl(['--kubeconfig', kc, 'get', 'pods'])).stderr).toContain('error: You must be logged in to the server (Unauthorized)');
    await ok(['run', 'found', '-n', 'shop', '--image', 'docker.io/flotilla/hello:1', '--overrides', '{"spec":{"serviceAccountName":"robot"}}']);
  });

  it('create clusterrole / clusterrolebinding (protobuf bodies) grant across namespaces', async () => {
    await ok(['create', 'clusterrole', 'secret-reader', '--verb', 'get,list', '--resource', 'secrets']);
    await ok(['create', 'clusterrolebinding', 'robot-secrets', '--clusterrole', 'secret-reader', '--serviceaccount', 'shop:robot', '--group', 'auditors']);
    expect(await ok(['get', 'clusterrolebinding', 'robot-secrets', '-o', 'wide'])).toMatch(/robot-secrets\s+ClusterRole\/secret-reader\s+\S+\s+auditors\s+shop\/robot\n/);
    expect((await c.kubectl(['auth', 'can-i', 'list', 'secrets', '-n', 'default', '--as', 'system:serviceaccount:shop:robot'])).stdout.trim()).toBe('yes');
    expect((await c.kubectl(['auth', 'can-i', 'list', 'secrets', '-n', 'default', '--as', 'jane', '--as-group', 'auditors'])).stdout.trim()).toBe('yes');
    expect((await c.kubectl(['auth', 'can-i', 'list', 'secrets', '-n', 'default', '--as', 'jane'])).stdout.trim()).toBe('no');
    await ok(['delete', 'clusterrolebinding', 'robot-secrets']);
  });

  it('the python3 kubernetes client lists pods with a service-account token', async () => {
    const token = (await ok(['create', 'token', 'robot', '-n', 'shop'])).trim();
    const kc = tokenKubeconfig(token);
    const script = `
import kubernetes, sys
kubernetes.config.load_kube_config(config_file=sys.argv[1])
v1 = kubernetes.client.CoreV1Api()
print(",".join(sorted(p.metadata.name for p in v1.list_namespaced_pod("shop").items)))
try:
    v1.list_namespaced_secret("shop")
except kubernetes.client.exceptions.ApiException as e:
    print(e.status, e.reason)
`;
    const r = await runPython(['-c', script, kc], c.dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('found\n403 Forbidden\n');
  });
});
