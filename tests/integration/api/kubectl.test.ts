// Real kubectl (v1.32, /usr/bin/kubectl) against a real Flotilla API server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigMap, Deployment, Pod, Scale, Secret, Service, Status } from '../../../main/api/types';
import { KUBECTL, startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { deploymentManifest } from '../../helpers/manifests';

let c: TestCluster;

beforeAll(async () => {
  expect(fs.existsSync(KUBECTL), 'kubectl must be installed at /usr/bin/kubectl').toBe(true);
  c = await startTestCluster();
});
afterAll(async () => {
  await c?.stop();
});

function deployment(replicas: number, withSidecar: boolean, image = 'docker.io/flotilla/hello:1'): string {
  const sidecar = withSidecar ? `
      - name: sidecar
        image: docker.io/flotilla/counter:1` : '';
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, tier: front}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 8080${sidecar}
`;
}

const ok = (args: string[], input?: string): Promise<string> => c.kubectlOk(args, { input });

/** `kubectl get … -o json` of one object. */
async function getJson<T>(...args: string[]): Promise<T> {
  return JSON.parse(await ok(['get', ...args, '-o', 'json'])) as T;
}

describe('kubectl against flotilla', () => {
  it('version and api-resources', async () => {
    const v = await ok(['version', '-o', 'json']);
    expect((JSON.parse(v) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion).toMatch(/^v1\.32/);
    const res = await ok(['api-resources']);
    for (const r of ['deployments', 'pods', 'services', 'machines', 'endpointslices', 'leases']) expect(res).toContain(r);
    expect(res).toMatch(/deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
  });

  it('create -f, then apply three times: created, configured (list entry removed), unchanged', async () => {
    const f = path.join(c.dir, 'web.yaml');
    fs.writeFileSync(f, deployment(2, true));
    expect(await ok(['create', '-f', f])).toContain('deployment.apps/web created');
    expect((await c.kubectl(['create', '-f', f])).stderr).toContain('(AlreadyExists): error when creating');
    await ok(['delete', '-f', f]);
    expect(await ok(['apply', '-f', f])).toContain('deployment.apps/web created');
    fs.writeFileSync(f, deployment(3, false));
    expect(await ok(['apply', '-f', f])).toContain('deployment.apps/web configured');
    const d = await getJson<Deployment>('deploy', 'web');
    expect(d.spec?.replicas).toBe(3);
    expect(d.spec?.template.spec?.containers.map((x) => x.name)).toEqual(['web']);
    expect(await ok(['apply', '-f', f])).toContain('deployment.apps/web unchanged');
  });

  it('apply --server-side creates and updates, and conflicts with another manager', async () => {
    const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {a: "${v}"}\n`;
    expect(await ok(['apply', '--server-side', '-f', '-'], cm('1'))).toContain('configmap/ssa serverside-applied');
    expect(await ok(['apply', '--server-side', '-f', '-'], cm('2'))).toContain('configmap/ssa serverside-applied');
    const r = await c.kubectl(['apply', '--server-side', '--field-manager', 'other', '-f', '-'], { input: cm('3') });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/conflict/i);
    expect(r.stderr).toContain('.data.a');
    expect(await ok(['apply', '--server-side', '--field-manager', 'other', '--force-conflicts', '-f', '-'], cm('3'))).toContain('serverside-applied');
    expect((await getJson<ConfigMap>('cm', 'ssa')).data?.a).toBe('3');
  });

  it('get shows the real column layout', async () => {
    await ok(['create', '-f', '-'], 'apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n');
    await ok(['create', '-n', 'other', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {k: v}\n');
    const table = await ok(['get', 'deploy']);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
    expect(table).toMatch(/web\s+\d\/3\s+\d\s+\d\s+\d+s/);
    const wide = await ok(['get', 'deploy', '-o', 'wide']);
    expect(wide.split('\n')[0]).toMatch(/CONTAINERS\s+IMAGES\s+SELECTOR/);
    expect(wide).toContain('app=web');
    const all = await ok(['get', 'configmaps', '-A']);
    expect(all.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+DATA\s+AGE/);
    expect(all).toMatch(/other\s+cfg\s+1/);
    const yaml = await ok(['get', 'deploy', 'web', '-o', 'yaml']);
    expect(yaml).toContain('kind: Deployment');
    expect(yaml).toMatch(/resourceVersion: "\d+"/);
    expect(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('docker.io/flotilla/hello:1');
    const sel = await ok(['get', 'deploy', '-l', 'tier in (front,back),app!=db', '-o', 'name']);
    expect(sel.trim()).toBe('deployment.apps/web');
    expect((await ok(['get', 'deploy', '-l', 'tier notin (front)', '-o', 'name'])).trim()).toBe('');
  });

  it('get -w receives an event', async () => {
    const child = spawn(KUBECTL, ['get', 'configmaps', '-w'], { env: { PATH: process.env.PATH ?? '', KUBECONFIG: c.core.kubeconfigPath, HOME: path.join(c.dir, 'home') } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitFor(() => out.includes('ssa'), 'the initial list');
      await ok(['create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: watched}\ndata: {x: "y"}\n');
      await waitFor(() => /watched\s+1\s+\d+s/.test(out), 'the watch event for the new configmap');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('describe, scale, label, annotate', async () => {
    const d = await ok(['describe', 'deployment', 'web']);
    expect(d).toMatch(/Name:\s+web/);
    expect(d).toMatch(/Replicas:\s+3 desired/);
    expect(await ok(['scale', 'deployment', 'web', '--replicas=5'])).toContain('deployment.apps/web scaled');
    expect((await getJson<Deployment>('deploy', 'web')).spec?.replicas).toBe(5);
    // The Scale subresource in its own columns (printScale): DESIRED the spec's replicas, AVAILABLE the status's.
    const scale = (await ok(['get', 'deployment', 'web', '--subresource=scale'])).split('\n');
    expect(scale[0]).toMatch(/^NAME\s+DESIRED\s+AVAILABLE\s+AGE$/);
    expect(scale[1]).toMatch(/^web\s+5\s+\d+\s+\d+s$/);
    expect(await ok(['patch', 'deployment', 'web', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":4}}'])).toContain('scale.autoscaling/web patched');
    expect(await ok(['scale', 'deployment', 'web', '--replicas=5'])).toContain('deployment.apps/web scaled');
    expect(await ok(['label', 'deployment', 'web', 'stage=test'])).toContain('deployment.apps/web labeled');
    expect(await ok(['annotate', 'deployment', 'web', 'note=hello'])).toContain('deployment.apps/web annotated');
    const obj = await getJson<Deployment>('deploy', 'web');
    expect(obj.metadata?.labels?.stage).toBe('test');
    expect(obj.metadata?.annotations?.note).toBe('hello');
    expect((await ok(['get', 'deploy', '-l', 'stage=test', '-o', 'name'])).trim()).toBe('deployment.apps/web');
  });

  it('every namespace carries its name as the kubernetes.io/metadata.name label, kept equal to the name', async () => {
    expect(await ok(['create', 'namespace', 'labelled'])).toContain('namespace/labelled created');
    expect((await ok(['get', 'ns', '-l', 'kubernetes.io/metadata.name=labelled', '-o', 'name'])).trim()).toBe('namespace/labelled');
    expect(await ok(['label', 'ns', 'labelled', 'kubernetes.io/metadata.name=other', '--overwrite'])).toContain('namespace/labelled');
    const ns = JSON.parse(await ok(['get', 'ns', 'labelled', '-o', 'json'])) as { metadata: { labels?: Record<string, string> } };
    expect(ns.metadata.labels?.['kubernetes.io/metadata.name']).toBe('labelled');
    const made = JSON.parse(await ok(['create', '-o', 'json', '-f', '-'], 'apiVersion: v1\nkind: Namespace\nmetadata: {generateName: gen-}\n')) as { metadata: { name: string; labels?: Record<string, string> } };
    expect(made.metadata.name).toMatch(/^gen-/);
    expect(made.metadata.labels?.['kubernetes.io/metadata.name']).toBe(made.metadata.name);
    expect((await ok(['get', 'ns', 'default', '-o', 'jsonpath={.metadata.labels}'])).trim()).toContain('"kubernetes.io/metadata.name":"default"');
  });

  it('replace with a stale resourceVersion is a conflict', async () => {
    const obj = await getJson<Deployment>('deploy', 'web');
    await ok(['label', 'deployment', 'web', 'bump=1']);
    const r = await c.kubectl(['replace', '-f', '-'], { input: JSON.stringify({ ...obj, spec: { ...obj.spec, replicas: 1 } }) });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again');
  });

  it('an invalid name gets the 422 message', async () => {
    const r = await c.kubectl(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of');
  });

  it('a Deployment spreading its pods with maxSkew 0 gets the 422 message', async () => {
    const d = deploymentManifest('x', 1, 'docker.io/flotilla/hello:1');
    d.spec!.template.spec!.topologySpreadConstraints = [
      { maxSkew: 0, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'x' } } },
    ];
    const manifest = JSON.stringify(d);
    const r = await c.kubectl(['apply', '-f', '-'], { input: manifest });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The Deployment "x" is invalid: spec.template.spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero');
    expect((await c.kubectl(['get', 'deployment', 'x'])).stderr).toContain('deployments.apps "x" not found');
  });

  it('unknown fields are rejected under strict validation', async () => {
    const r = await c.kubectl(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: typo}\ndatta: {a: b}\n' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unknown field "datta"');
  });

  it('a value of the wrong type gets encoding/json\'s words, whatever fieldValidation says, and nothing is created', async () => {
    // The mistakes real manifests make most: a quoted replica count, an unquoted port number as an env value.
    const manifest = (replicas: string, value: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: typed}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: typed}}
  template:
    metadata: {labels: {app: typed}}
    spec:
      containers:
      - name: web
        image: docker.io/flotilla/hello:1
        env:
        - {name: PORT, value: ${value}}
`;
    const quoted = await c.kubectl(['create', '-f', '-'], { input: manifest('"3"', '"8080"') });
    expect(quoted.code).toBe(1);
    expect(quoted.stderr).toContain('Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
    for (const validate of ['--validate=false', '--validate=strict']) {
      const env = await c.kubectl(['create', '-f', '-', validate], { input: manifest('3', '8080') });
      expect(env.code, validate).toBe(1);
      expect(env.stderr).toContain('json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string');
    }
    // The Status: 400 BadRequest, as kube-apiserver's decoding failure.
    const r = await c.client.request('POST', '/apis/apps/v1/namespaces/default/deployments?fieldValidation=Ignore',
      JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'typed' }, spec: { replicas: 1.5 } }), 'application/json');
    expect([r.code, (JSON.parse(r.text) as Status).reason]).toEqual([400, 'BadRequest']);
    expect((JSON.parse(r.text) as Status).message).toBe('Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32');
    expect((await c.kubectl(['get', 'deploy', 'typed'])).code).toBe(1);
    // A quantity whose suffix is none of Kubernetes' fails in resource.ParseQuantity's words while decoding (kubectl
    // itself refuses it first, so the request is sent as a client would without kubectl's typed decoding).
    const pod = await c.client.request('POST', '/api/v1/namespaces/default/pods',
      JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'suffix' }, spec: { containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '1MM' } } }] } }), 'application/json');
    expect([pod.code, (JSON.parse(pod.text) as Status).message]).toEqual([400, 'Pod in version "v1" cannot be handled as a Pod: unable to parse quantity\'s suffix']);
  });

  it('quantities are stored in canonical form, as the Go round trip writes them, and messages name them so', async () => {
    const pod = (cpu: string, memory: string, limit: string): string => `apiVersion: v1
kind: Pod
metadata: {name: sizes}
spec:
  containers:
  - name: c
    image: docker.io/flotilla/hello:1
    resources:
      requests: {cpu: "${cpu}", memory: "${memory}"}
      limits: {memory: "${limit}"}
  volumes:
  - {name: scratch, emptyDir: {sizeLimit: 0.5Gi}}
`;
    const r = await c.kubectl(['apply', '-f', '-'], { input: pod('1000m', '1024Mi', '2048Mi') });
    expect(r.code, r.stderr).toBe(0);
    const got = await getJson<{ spec: { containers: Array<{ resources: unknown }>; volumes: Array<{ emptyDir: { sizeLimit: string } }> } }>('pod', 'sizes');
    expect(got.spec.containers[0].resources).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '2Gi' } });
    expect(got.spec.volumes[0].emptyDir.sizeLimit).toBe('512Mi');
    // The same manifest shows no difference from what is stored.
    expect((await c.kubectl(['diff', '-f', '-'], { input: pod('1000m', '1024Mi', '2048Mi') })).code).toBe(0);
    const bad = await c.kubectl(['create', '-f', '-'], { input: pod('0.5', '3072Mi', '1024Mi').replace('name: sizes', 'name: too-big') });
    expect(bad.stderr).toContain('spec.containers[0].resources.requests: Invalid value: "3Gi": must be less than or equal to memory limit of 1Gi');
    await c.kubectl(['delete', 'pod', 'sizes', '--wait=false']);
    // Spaces around a quantity are trimmed before it is parsed (Quantity.UnmarshalJSON), inside one they are an error.
    const spaced = await c.kubectl(['create', '-f', '-'], { input: pod(' 250m', '64Mi ', '128Mi').replace('name: sizes', 'name: spaced') });
    expect(spaced.code, spaced.stderr).toBe(0);
    expect((await getJson<{ spec: { containers: Array<{ resources: unknown }> } }>('pod', 'spaced')).spec.containers[0].resources)
      .toEqual({ requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '128Mi' } });
    const inside = await c.kubectl(['create', '-f', '-'], { input: pod('250 m', '64Mi', '128Mi').replace('name: sizes', 'name: inside') });
    expect(inside.code).not.toBe(0);
    expect(inside.stderr).toContain("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    await c.kubectl(['delete', 'pod', 'spaced', '--wait=false']);
  });

  it('malformed input gets a clear error', async () => {
    const r = await c.client.request('POST', '/api/v1/namespaces/default/configmaps', '{"apiVersion": "v1", "kind": ', 'application/json');
    expect(r.code).toBe(400);
    expect((JSON.parse(r.text) as Status).message).toBe('couldn\'t get version/kind; json parse error: unexpected end of JSON input');
    const typo = await c.client.request('POST', '/api/v1/namespaces/default/configmaps', '{"apiVersion": "v1", kind: "ConfigMap"}', 'application/json');
    // Go's encoding/json's words, as kube-apiserver answers.
    expect((JSON.parse(typo.text) as Status).message).toBe('couldn\'t get version/kind; json parse error: invalid character \'k\' looking for beginning of object key string');
    // A patch that is not JSON, as each of kube-apiserver's patchers refuses it.
    await c.kubectlOk(['create', 'configmap', 'patched']);
    const path = '/api/v1/namespaces/default/configmaps/patched';
    const refusal = async (type: string, query = '', at = path) => {
      const p = await c.client.request('PATCH', `${at}${query}`, '{data: 1}', type);
      return [p.code, (JSON.parse(p.text) as Status).message];
    };
    const go = 'invalid character \'d\' looking for beginning of object key string';
    expect(await refusal('application/merge-patch+json')).toEqual([400, `error decoding patch: ${go}`]);
    expect(await refusal('application/merge-patch+json', '?fieldValidation=Ignore')).toEqual([400, 'Invalid JSON Patch']);
    expect(await refusal('application/strategic-merge-patch+json')).toEqual([400, go]);
    expect(await refusal('application/json-patch+json')).toEqual([400, go]);
    // The scale subresource's patches go through the same patchers.
    await c.kubectlOk(['create', 'deployment', 'scaled', '--image=docker.io/flotilla/hello:1']);
    const scale = '/apis/apps/v1/namespaces/default/deployments/scaled/scale';
    expect(await refusal('application/merge-patch+json', '', scale)).toEqual([400, `error decoding patch: ${go}`]);
    expect(await refusal('application/strategic-merge-patch+json', '', scale)).toEqual([400, go]);
    expect(await refusal('application/json-patch+json', '', scale)).toEqual([400, go]);
    // A Scale is decoded into Go's autoscaling/v1 Scale: a wrong type is a 400 in encoding/json's words, and a left-out
    // spec.replicas (a plain int32, omitted when zero in JSON and protobuf alike) is 0.
    const put = async (spec: string) => c.client.request('PUT', scale, `{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"scaled","namespace":"default"},"spec":${spec}}`);
    const wrong = await put('{"replicas":"3"}');
    expect([wrong.code, (JSON.parse(wrong.text) as Status).message]).toEqual([400, 'Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal string into Go struct field ScaleSpec.spec.replicas of type int32']);
    const zero = await put('{}');
    expect(zero.code, zero.text).toBe(200);
    expect((JSON.parse(zero.text) as Scale).spec).toEqual({});
    expect((await getJson<Deployment>('deploy', 'scaled')).spec?.replicas).toBe(0);
  });

  it('create generators and run (protobuf request bodies)', async () => {
    expect(await ok(['create', 'namespace', 'gen'])).toContain('namespace/gen created');
    expect(await ok(['create', 'configmap', 'gen-cm', '-n', 'gen', '--from-literal=a=b'])).toContain('configmap/gen-cm created');
    expect(await ok(['create', 'secret', 'generic', 'gen-s', '-n', 'gen', '--from-literal=p=q'])).toContain('secret/gen-s created');
    expect(await ok(['create', 'deployment', 'gen-d', '-n', 'gen', '--image=docker.io/flotilla/hello:1', '--replicas=2', '--port=8080'])).toContain('deployment.apps/gen-d created');
    expect(await ok(['run', 'gen-p', '-n', 'gen', '--image=docker.io/flotilla/hello:1', '--env=A=B', '--labels=x=y'])).toContain('pod/gen-p created');
    expect(await ok(['expose', 'deployment', 'gen-d', '-n', 'gen', '--port=80', '--target-port=8080', '--type=NodePort'])).toContain('service/gen-d exposed');
    const d = await getJson<Deployment>('deploy', 'gen-d', '-n', 'gen');
    expect(d.spec?.replicas).toBe(2);
    expect(d.spec?.template.spec?.containers[0]?.ports?.[0]?.containerPort).toBe(8080);
    expect((await getJson<Secret>('secret', 'gen-s', '-n', 'gen')).data?.p).toBe(Buffer.from('q').toString('base64'));
    const p = await getJson<Pod>('pod', 'gen-p', '-n', 'gen');
    expect(p.spec?.containers[0]?.env).toEqual([{ name: 'A', value: 'B' }]);
    expect(p.metadata?.labels).toEqual({ x: 'y' });
    const svc = await getJson<Service>('svc', 'gen-d', '-n', 'gen');
    expect(svc.spec?.ports?.[0]?.nodePort).toBeGreaterThanOrEqual(30000);
  });

  it('a missing object is NotFound', async () => {
    const r = await c.kubectl(['get', 'pod', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('Error from server (NotFound): pods "nope" not found');
  });

  it('delete returns once the object is gone', async () => {
    expect(await ok(['delete', 'deployment', 'web'])).toContain('deployment.apps "web" deleted');
    const r = await c.kubectl(['get', 'deploy', 'web']);
    expect(r.stderr).toContain('NotFound');
  });

  it('a bad token is Unauthorized', async () => {
    const r = await c.kubectl(['get', 'pods'], { token: 'not-the-token' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
  });
});
