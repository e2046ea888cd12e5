// The node authorizer with real kubectl and a node's token: a node reads the secrets, configmaps,
// claims and volumes of the pods bound to it and nothing else (Kubernetes' 403 with "no relationship
// found"), lists or watches one object by metadata.name but not the collection, gets tokens only for
// its pods' service accounts, and its own Lease only. A binding counts for the very next request. NodeRestriction
// keeps its writes to its own Node and the pods bound to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';
import { HttpClient } from '../../../main/client/http';

let c: TestCluster;
let n1: string;
let n2: string;

const forbidden = (what: string, verb: string, resource: string, where: string, reason: string, user = 'n1') =>
  `Error from server (Forbidden): ${what} is forbidden: User "system:node:${user}" cannot ${verb} resource "${resource}" in API group "" ${where}: ${reason}`;
const noRelation = (node = 'n1') => `no relationship found between node '${node}' and this object`;

const objects = `
apiVersion: v1
kind: Secret
metadata: { name: vol-secret }
stringData: { a: b }
---
apiVersion: v1
kind: Secret
metadata: { name: pull }
type: kubernetes.io/dockerconfigjson
stringData: { .dockerconfigjson: '{"auths":{}}' }
---
apiVersion: v1
kind: Secret
metadata: { name: unrelated }
stringData: { a: b }
---
apiVersion: v1
kind: Secret
metadata: { name: later }
stringData: { a: b }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: env-cm }
data: { A: b }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: robot }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data }
spec: { accessModes: [ReadWriteOnce], storageClassName: manual, resources: { requests: { storage: 1Gi } }, volumeName: vol }
---
apiVersion: v1
kind: PersistentVolume
metadata: { name: vol }
spec:
  capacity: { storage: 1Gi }
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  hostPath: { path: /tmp/vol }
  claimRef: { namespace: default, name: data }
---
apiVersion: v1
kind: Pod
metadata: { name: web }
spec:
  nodeName: n1
  serviceAccountName: robot
  imagePullSecrets: [{ name: pull }]
  containers:
  - name: c
    image: busybox
    envFrom: [{ configMapRef: { name: env-cm } }]
  volumes:
  - { name: s, secret: { secretName: vol-secret } }
  - { name: d, persistentVolumeClaim: { claimName: data } }
`;

beforeAll(async () => {
  c = await startTestCluster({ controllers: false });
  n1 = c.core.auth.nodeToken('n1');
  n2 = c.core.auth.nodeToken('n2');
  await c.kubectlOk(['apply', '-f', '-'], { input: objects });
}, 60_000);
afterAll(async () => {
  await c?.stop();
});

describe('node authorizer', () => {
  it('a node gets the secrets, configmaps, claim and volume of its pods; another node gets none of them', async () => {
    for (const obj of ['secret/vol-secret', 'secret/pull', 'configmap/env-cm', 'pvc/data', 'pv/vol']) {
      expect(await c.kubectlOk(['get', obj, '-o', 'name'], { token: n1 })).toContain(obj.split('/')[1]);
    }
    const other = await c.kubectl(['get', 'secret', 'vol-secret'], { token: n2 });
    expect(other.code).not.toBe(0);
    expect(other.stderr.trim()).toBe(forbidden('secrets "vol-secret"', 'get', 'secrets', 'in the namespace "default"', noRelation('n2'), 'n2'));
  });

  it('a secret no pod of the node names is forbidden with Kubernetes\' message', async () => {
    const r = await c.kubectl(['get', 'secret', 'unrelated'], { token: n1 });
    expect(r.stderr.trim()).toBe(forbidden('secrets "unrelated"', 'get', 'secrets', 'in the namespace "default"', noRelation()));
    const pv = await c.kubectl(['get', 'pvc', 'data'], { token: n2 });
    expect(pv.stderr.trim()).toBe(forbidden('persistentvolumeclaims "data"', 'get', 'persistentvolumeclaims', 'in the namespace "default"', noRelation('n2'), 'n2'));
  });

  it('list and watch only of one object by metadata.name; the collection is forbidden', async () => {
    const list = await c.kubectl(['get', 'secrets'], { token: n1 });
    expect(list.stderr.trim()).toBe(forbidden('secrets', 'list', 'secrets', 'in the namespace "default"', 'No Object name found'));
    const cms = await c.kubectl(['get', 'configmaps', '-A'], { token: n1 });
    expect(cms.stderr.trim()).toBe(forbidden('configmaps', 'list', 'configmaps', 'at the cluster scope', 'can only read namespaced object of this type'));
    expect(await c.kubectlOk(['get', 'secrets', '--field-selector', 'metadata.name=vol-secret', '-o', 'name'], { token: n1 })).toBe('secret/vol-secret\n');
    const one = await c.kubectl(['get', 'secrets', '--field-selector', 'metadata.name=unrelated'], { token: n1 });
    expect(one.stderr.trim()).toBe(forbidden('secrets "unrelated"', 'list', 'secrets', 'in the namespace "default"', noRelation()));
    // The agent's watch of one object (object-watches.ts) as the raw request: it answers (timeoutSeconds ends it).
    const watch = await c.kubectlOk(['get', '--raw', '/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Denv-cm&watch=1&timeoutSeconds=1'], { token: n1 });
    expect(watch).toContain('"name":"env-cm"');
    const writes = await c.kubectl(['delete', 'configmap', 'env-cm'], { token: n1 });
    expect(writes.stderr.trim()).toBe(forbidden('configmaps "env-cm"', 'delete', 'configmaps', 'in the namespace "default"', 'can only read resources of this type'));
  });

  it('binding a pod grants its secret for the very next request; deleting the pod takes it back', async () => {
    await c.kubectlOk(['run', 'late', '--image=busybox', '--restart=Never', '--overrides',
      JSON.stringify({ spec: { volumes: [{ name: 'l', secret: { secretName: 'later' } }] } })]);
    expect((await c.kubectl(['get', 'secret', 'later'], { token: n1 })).code).not.toBe(0);
    const bind = await c.client.request('POST', '/api/v1/namespaces/default/pods/late/binding',
      JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'late' }, target: { kind: 'Node', name: 'n1' } }));
    expect(bind.code).toBe(201);
    expect(await c.kubectlOk(['get', 'secret', 'later', '-o', 'name'], { token: n1 })).toBe('secret/later\n');
    await c.kubectlOk(['delete', 'pod', 'late', '--grace-period=0', '--force']);
    const after = await c.kubectl(['get', 'secret', 'later'], { token: n1 });
    expect(after.stderr.trim()).toBe(forbidden('secrets "later"', 'get', 'secrets', 'in the namespace "default"', noRelation()));
  });

  it('tokens only for the service account of a pod on the node, bound to that pod', async () => {
    const tok = await c.kubectlOk(['create', 'token', 'robot', '--bound-object-kind', 'Pod', '--bound-object-name', 'web'], { token: n1 });
    expect(tok.split('.')).toHaveLength(3);
    const other = await c.kubectl(['create', 'token', 'robot', '--bound-object-kind', 'Pod', '--bound-object-name', 'web'], { token: n2 });
    expect(other.stderr.trim()).toBe(forbidden('serviceaccounts "robot"', 'create', 'serviceaccounts/token', 'in the namespace "default"', noRelation('n2'), 'n2')
      .replace('Error from server (Forbidden)', 'error: failed to create token'));
    const read = await c.kubectl(['get', 'serviceaccount', 'robot'], { token: n1 });
    expect(read.stderr.trim()).toBe(forbidden('serviceaccounts "robot"', 'get', 'serviceaccounts', 'in the namespace "default"', 'can only create tokens for individual service accounts'));
  });

  it('its own Lease only, in kube-node-lease', async () => {
    const r = await c.kubectl(['get', 'lease', 'n2', '-n', 'kube-node-lease'], { token: n1 });
    expect(r.stderr.trim()).toBe('Error from server (Forbidden): leases.coordination.k8s.io "n2" is forbidden: User "system:node:n1" cannot get resource "leases" '
      + 'in API group "coordination.k8s.io" in the namespace "kube-node-lease": can only access node lease with the same name as the requesting node');
    const own = await c.kubectl(['get', 'lease', 'n1', '-n', 'kube-node-lease'], { token: n1 });
    expect(own.stderr).toContain('NotFound');
  });

  it('NodeRestriction: its own Node only, no restricted labels, no taints of its own', async () => {
    const node = (name: string, labels: Record<string, string>) => JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
    const other = await c.kubectl(['create', '-f', '-'], { token: n1, input: node('n2', {}) });
    expect(other.stderr.trim()).toBe('Error from server (Forbidden): error when creating "STDIN": nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"');
    const restricted = await c.kubectl(['create', '-f', '-'], { token: n1, input: node('n1', { 'node-restriction.kubernetes.io/pool': 'a', 'node-role.kubernetes.io/control-plane': '' }) });
    expect(restricted.stderr.trim()).toBe('Error from server (Forbidden): error when creating "STDIN": nodes "n1" is forbidden: node "n1" is not allowed to set the following labels: '
      + 'node-restriction.kubernetes.io/pool, node-role.kubernetes.io/control-plane');
    await c.kubectlOk(['create', '-f', '-'], { token: n1, input: node('n1', { 'kubernetes.io/hostname': 'n1', 'topology.kubernetes.io/zone': 'z', 'x.node.kubernetes.io/y': '1' }) });
    await c.kubectlOk(['label', 'node', 'n1', 'team=blue'], { token: n1 });
    const label = await c.kubectl(['label', 'node', 'n1', 'example.k8s.io/x=1'], { token: n1 });
    expect(label.stderr.trim()).toBe('Error from server (Forbidden): nodes "n1" is forbidden: node "n1" is not allowed to modify labels: example.k8s.io/x');
    const taint = await c.kubectl(['taint', 'node', 'n1', 'k=v:NoSchedule'], { token: n1 });
    expect(taint.stderr.trim()).toBe('Error from server (Forbidden): nodes "n1" is forbidden: node "n1" is not allowed to modify taints');
    // Another Node's status or the Node itself: NodeRules allow the request, NodeRestriction refuses it.
    await c.kubectlOk(['create', '-f', '-'], { input: node('n2', {}) });
    const client = new HttpClient({ server: c.core.api.url, token: n1, caCertPem: c.core.caCertPem });
    try {
      const patched = await client.request('PATCH', '/api/v1/nodes/n2/status', '{"status":{"phase":"Running"}}', 'application/merge-patch+json');
      expect([patched.code, (JSON.parse(patched.text) as { message: string }).message]).toEqual([403, 'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"']);
    } finally {
      client.close();
    }
    expect((await c.kubectl(['delete', 'node', 'n2', '--wait=false'], { token: n1 })).stderr.trim())
      .toBe('Error from server (Forbidden): nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"');
    // The admin is not restricted.
    await c.kubectlOk(['label', 'node', 'n1', 'node-restriction.kubernetes.io/pool=a']);
    await c.kubectlOk(['label', 'node', 'n1', 'team=red', '--overwrite'], { token: n1 });
  });

  it('NodeRestriction for pods: mirror pods only, and status, deletes and evictions of its own pods, in Kubernetes\' words', async () => {
    const err = (name: string, reason: string) => `Error from server (Forbidden): pods "${name}" is forbidden: ${reason}`;
    // A status patch as the kubelet sends it (kubectl would read pods/status first, which NodeRules do not grant).
    const status = async (token: string, patch: object): Promise<[number, string]> => {
      const client = new HttpClient({ server: c.core.api.url, token, caCertPem: c.core.caCertPem });
      try {
        const r = await client.request('PATCH', '/api/v1/namespaces/default/pods/web/status', JSON.stringify(patch), 'application/merge-patch+json');
        return [r.code, r.code === 200 ? '' : (JSON.parse(r.text) as { message: string }).message];
      } finally {
        client.close();
      }
    };
    expect(await status(n2, { status: { message: 'from n2' } })).toEqual([403, 'pods "web" is forbidden: node "n2" can only update pod status for pods with spec.nodeName set to itself']);
    expect(await status(n1, { status: { message: 'from n1' } })).toEqual([200, '']);
    const evict = await c.kubectl(['create', '--raw', '/api/v1/namespaces/default/pods/web/eviction', '-f', '-'], {
      token: n2, input: JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web', namespace: 'default' } }),
    });
    expect(evict.stderr.trim()).toBe(err('web', 'node n2 can only evict pods with spec.nodeName set to itself'));
    expect((await c.kubectl(['delete', 'pod', 'web', '--wait=false'], { token: n2 })).stderr.trim())
      .toBe(err('web', 'node "n2" can only delete pods with spec.nodeName set to itself'));
    const pod = (extra: object) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'static-n1', ...extra }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } });
    expect((await c.kubectl(['create', '-f', '-'], { token: n1, input: pod({}) })).stderr.trim())
      .toBe(`Error from server (Forbidden): error when creating "STDIN": ${err('static-n1', 'pod does not have "kubernetes.io/config.mirror" annotation, node "n1" can only create mirror pods').slice('Error from server (Forbidden): '.length)}`);
    expect((await c.kubectl(['create', '-f', '-'], { token: n1, input: pod({ annotations: { 'kubernetes.io/config.mirror': 'x' } }) })).stderr.trim())
      .toBe(`Error from server (Forbidden): error when creating "STDIN": ${err('static-n1', 'node "n1" can only create pods with an owner reference set to itself').slice('Error from server (Forbidden): '.length)}`);
    // The pod is still there, web's status as n1 wrote it.
    expect(await c.kubectlOk(['get', 'pod', 'web', '-o', 'jsonpath={.status.message}'])).toBe('from n1');
  });

  it("no node reaches a kubelet's proxy, a pod's logs or exec, even of its own pods (NodeRules grant no such subresource)", async () => {
    const logs = await c.kubectl(['logs', 'web'], { token: n1 });
    expect(logs.stderr.trim()).toBe('Error from server (Forbidden): pods "web" is forbidden: User "system:node:n1" cannot get resource "pods/log" in API group "" in the namespace "default"');
    const proxy = await c.kubectl(['get', '--raw', '/api/v1/nodes/n2/proxy/pods'], { token: n1 });
    expect(proxy.stderr.trim()).toBe('Error from server (Forbidden): nodes "n2" is forbidden: User "system:node:n1" cannot get resource "nodes/proxy" in API group "" at the cluster scope');
    // What a kubelet asks the API server before running another node's exec on its secure port.
    const review = (verb: string, resource: string, subresource: string, name: string, namespace = '') => c.kubectlOk(['create', '-f', '-', '-o', 'jsonpath={.status.allowed}'], {
      input: JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: {
        user: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'], resourceAttributes: { verb, resource, subresource, name, namespace },
      } }),
    });
    expect(await review('create', 'nodes', 'proxy', 'n2')).toBe('false');
    expect(await review('get', 'nodes', 'proxy', 'n1')).toBe('false');
    expect(await review('create', 'pods', 'exec', 'web', 'default')).toBe('false');
    // What a node does need stays: Nodes' status, pods' status, evictions, any pod read, the reviews a kubelet posts.
    // As Kubernetes' NodeRules these are allowed whichever Node or pod they name: NodeRestriction admission keeps a
    // node to its own (below), so the reviews say yes for another node's too.
    expect(await review('patch', 'nodes', 'status', 'n1')).toBe('true');
    expect(await review('patch', 'nodes', 'status', 'n2')).toBe('true');
    expect(await review('update', 'pods', 'status', 'web', 'default')).toBe('true');
    expect(await review('create', 'pods', 'eviction', 'web', 'default')).toBe('true');
    expect(await review('update', 'pods', '', 'web', 'default')).toBe('false');
    expect(await review('deletecollection', 'pods', '', '', 'default')).toBe('false');
    expect(await review('list', 'pods', '', '')).toBe('true');
    // (--validate=false: kubectl's validation lists CRDs, which a node may not, as on any cluster.)
    expect(await c.kubectlOk(['create', '--validate=false', '-f', '-', '-o', 'jsonpath={.status.authenticated}'], {
      token: n1, input: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: n2 } }),
    })).toBe('true');
  });
});
