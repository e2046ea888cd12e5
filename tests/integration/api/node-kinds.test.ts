// Kinds a kind-created cluster serves that charts carry, with real kubectl: PodTemplate, RuntimeClass (and the
// RuntimeClass admission of pods), CSIDriver and CSINode — their columns, defaults and Kubernetes' messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { R } from '../../../main/client/refs';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;

beforeAll(async () => {
  // Pod admission (RuntimeClass among it) runs with the serviceaccount loop.
  c = await startTestCluster({ controllers: { controllers: ['serviceaccount'], scheduler: false } });
  await waitFor(() => c.client.get(R.serviceaccounts, 'default', 'default').then(() => true, () => undefined), 'the default ServiceAccount', 20_000);
});
afterAll(async () => {
  await c?.stop();
});

const pod = (name: string, runtimeClass: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  runtimeClassName: ${runtimeClass}
  containers: [{name: c, image: busybox}]
${extra}`;

describe('kinds charts carry', () => {
  it('kubectl api-resources lists them', async () => {
    const out = await c.kubectlOk(['api-resources', '--no-headers']);
    expect(out).toMatch(/^podtemplates\s+v1\s+true\s+PodTemplate$/m);
    expect(out).toMatch(/^runtimeclasses\s+node\.k8s\.io\/v1\s+false\s+RuntimeClass$/m);
    expect(out).toMatch(/^csidrivers\s+storage\.k8s\.io\/v1\s+false\s+CSIDriver$/m);
    expect(out).toMatch(/^csinodes\s+storage\.k8s\.io\/v1\s+false\s+CSINode$/m);
  });

  it('RuntimeClass: columns, handler rules; pods naming one get its overhead and scheduling, naming none that exists are refused', async () => {
    const bad = await c.kubectl(['create', '-f', '-'], { input: 'apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: bad}\nhandler: Not_A_Label\n' });
    expect(bad.stderr).toContain('The RuntimeClass "bad" is invalid: handler: Invalid value: "Not_A_Label": a lowercase RFC 1123 label must consist of');
    await c.kubectlOk(['apply', '-f', '-'], {
      input: `apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: sandboxed}
handler: runsc
overhead: {podFixed: {cpu: 250m, memory: 64Mi}}
scheduling:
  nodeSelector: {sandbox: "yes"}
  tolerations: [{key: sandbox, operator: Exists, effect: NoSchedule}]
`,
    });
    const table = await c.kubectlOk(['get', 'runtimeclass']);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+HANDLER\s+AGE$/);
    expect(table).toMatch(/^sandboxed\s+runsc\s+\d+s$/m);
    const immutable = await c.kubectl(['patch', 'runtimeclass', 'sandboxed', '--type=merge', '-p', '{"handler":"runc"}']);
    expect(immutable.stderr).toContain('handler: Invalid value: "runc": field is immutable');

    const refused = await c.kubectl(['create', '-f', '-'], { input: pod('nope', 'missing') });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('pods "nope" is forbidden: pod rejected: RuntimeClass "missing" not found');
    const conflict = await c.kubectl(['create', '-f', '-'], { input: pod('conflict', 'sandboxed', '  nodeSelector: {sandbox: "no"}\n') });
    expect(conflict.stderr).toContain('pods "conflict" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[sandbox] = yes; pod.spec.nodeSelector[sandbox] = no');

    await c.kubectlOk(['create', '-f', '-'], { input: pod('sandboxed', 'sandboxed') });
    const spec = JSON.parse(await c.kubectlOk(['get', 'pod', 'sandboxed', '-o', 'jsonpath={.spec}'])) as Record<string, unknown>;
    expect(spec.overhead).toEqual({ cpu: '250m', memory: '64Mi' });
    expect(spec.nodeSelector).toEqual({ sandbox: 'yes' });
    expect(spec.tolerations).toContainEqual({ key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' });
  });

  it('PodTemplate: stored with pod defaults, listed with its containers and labels', async () => {
    await c.kubectlOk(['apply', '-f', '-'], {
      input: `apiVersion: v1
kind: PodTemplate
metadata: {name: worker}
template:
  metadata: {labels: {app: worker, tier: back}}
  spec: {containers: [{name: w, image: "busybox:1.36"}, {name: s, image: nginx}]}
`,
    });
    const table = await c.kubectlOk(['get', 'podtemplates']);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+CONTAINERS\s+IMAGES\s+POD LABELS$/);
    expect(table).toMatch(/^worker\s+w,s\s+busybox:1\.36,nginx\s+app=worker,tier=back$/m);
    expect(await c.kubectlOk(['get', 'podtemplate', 'worker', '-o', 'jsonpath={.template.spec.containers[1].imagePullPolicy} {.template.spec.restartPolicy}'])).toBe('Always Always');
    const bad = await c.kubectl(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: PodTemplate\nmetadata: {name: bad}\ntemplate: {spec: {containers: []}}\n' });
    expect(bad.stderr).toContain('The PodTemplate "bad" is invalid: template.spec.containers: Required value');
  });

  it('CSIDriver and CSINode: defaults and columns', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: 'apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata: {name: hostpath.csi.k8s.io}\nspec: {podInfoOnMount: true}\n' });
    const drivers = await c.kubectlOk(['get', 'csidrivers']);
    expect(drivers.split('\n')[0]).toMatch(/^NAME\s+ATTACHREQUIRED\s+PODINFOONMOUNT\s+STORAGECAPACITY\s+TOKENREQUESTS\s+REQUIRESREPUBLISH\s+MODES\s+AGE$/);
    expect(drivers).toMatch(/^hostpath\.csi\.k8s\.io\s+true\s+true\s+false\s+<unset>\s+false\s+Persistent\s+\d+s$/m);
    expect(await c.kubectlOk(['get', 'csidriver', 'hostpath.csi.k8s.io', '-o', 'jsonpath={.spec.fsGroupPolicy}'])).toBe('ReadWriteOnceWithFSType');
    await c.kubectlOk(['apply', '-f', '-'], {
      input: 'apiVersion: storage.k8s.io/v1\nkind: CSINode\nmetadata: {name: n1}\nspec: {drivers: [{name: hostpath.csi.k8s.io, nodeID: n1}]}\n',
    });
    const nodes = await c.kubectlOk(['get', 'csinodes']);
    expect(nodes.split('\n')[0]).toMatch(/^NAME\s+DRIVERS\s+AGE$/);
    expect(nodes).toMatch(/^n1\s+1\s+\d+s$/m);
  });
});
