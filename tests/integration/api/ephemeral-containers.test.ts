// pods/ephemeralcontainers with real kubectl: kubectl debug adds an ephemeral container with the strategic
// merge patch it sends there; the subresource changes nothing but spec.ephemeralContainers, and Kubernetes'
// rules hold (never on create, no removal or change, no ports). Running them is the node's job (see
// tests/integration/nodes/kubectl-debug.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod, Status } from '../../../main/api/types';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;
const POD = '/api/v1/namespaces/default/pods/p';
const EPH = `${POD}/ephemeralcontainers`;

async function getPod(): Promise<Pod> {
  const r = await c.client.request('GET', POD);
  return JSON.parse(r.text) as Pod;
}

beforeAll(async () => {
  c = await startTestCluster({ controllers: false });
  const r = await c.client.request('POST', '/api/v1/namespaces/default/pods', JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'docker.io/flotilla/hello:1' }] },
  }));
  expect(r.code).toBe(201);
});
afterAll(async () => {
  await c?.stop();
});

describe('pods/ephemeralcontainers', () => {
  it('is in discovery with pods/attach', async () => {
    const r = await c.kubectl(['get', '--raw', '/api/v1']);
    const list = JSON.parse(r.stdout) as { resources: Array<{ name: string; kind: string; verbs: string[] }> };
    expect(list.resources.find((x) => x.name === 'pods/ephemeralcontainers')).toMatchObject({ kind: 'Pod', verbs: ['get', 'patch', 'update'] });
    expect(list.resources.find((x) => x.name === 'pods/attach')).toMatchObject({ kind: 'PodAttachOptions', verbs: ['create', 'get'] });
  });

  it('kubectl debug adds an ephemeral container targeting a container, defaulted; a second one is added beside it', async () => {
    const r = await c.kubectl(['debug', 'p', '--image=docker.io/flotilla/counter:1', '--target=app', '--container=dbg1', '--', 'sh', '-c', 'echo hi']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Targeting container "app"');
    const r2 = await c.kubectl(['debug', 'p', '--image=docker.io/flotilla/counter:1', '--', 'sh']);
    expect(r2.code, r2.stderr).toBe(0);
    const name = /Defaulting debug container name to (debugger-\w+)\./.exec(r2.stdout)?.[1];
    expect(name).toBeTruthy();
    const eph = (await getPod()).spec?.ephemeralContainers ?? [];
    expect(eph).toEqual([
      {
        name: 'dbg1', image: 'docker.io/flotilla/counter:1', command: ['sh', '-c', 'echo hi'], targetContainerName: 'app', resources: {},
        imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
      },
      expect.objectContaining({ name, command: ['sh'] }),
    ]);
    const got = await c.client.request('GET', EPH);
    expect((JSON.parse(got.text) as Pod).spec?.ephemeralContainers).toHaveLength(2);
  });

  it('changes nothing but spec.ephemeralContainers', async () => {
    const before = await getPod();
    const r = await c.client.request('PATCH', EPH, JSON.stringify({ metadata: { labels: { x: 'y' } }, spec: { activeDeadlineSeconds: 5, ephemeralContainers: [{ name: 'dbg3', image: 'busybox:1' }] } }), 'application/strategic-merge-patch+json');
    expect(r.code, r.text).toBe(200);
    const after = await getPod();
    expect(after.metadata?.labels).toEqual(before.metadata?.labels);
    expect(after.spec?.activeDeadlineSeconds).toBeUndefined();
    // A strategic merge patch without $setElementOrder puts a new list item first, as Kubernetes' does.
    expect(after.spec?.ephemeralContainers?.map((e) => e.name)).toEqual(['dbg3', 'dbg1', expect.stringMatching(/^debugger-/)]);
  });

  it('refuses a removal, a change, ports, and a duplicate name, as Invalid with causes', async () => {
    const current = await getPod();
    const removed = { ...current, spec: { ...current.spec, ephemeralContainers: current.spec?.ephemeralContainers?.slice(1) } };
    const rm = JSON.parse((await c.client.request('PUT', EPH, JSON.stringify(removed))).text) as Status;
    expect(rm).toMatchObject({ code: 422, reason: 'Invalid', details: { name: 'p', kind: 'Pod', causes: [{ field: 'spec.ephemeralContainers', message: 'Forbidden: existing ephemeral containers "dbg3" may not be removed\n' }] } });
    const changed = await c.client.request('PATCH', EPH, JSON.stringify({ spec: { ephemeralContainers: [{ name: 'dbg1', image: 'busybox:2' }] } }), 'application/strategic-merge-patch+json');
    expect((JSON.parse(changed.text) as Status).details?.causes?.map((x) => x.field)).toEqual(['spec.ephemeralContainers[dbg1]']);
    const k = await c.kubectl(['patch', 'pod', 'p', '--subresource=ephemeralcontainers', '-p', '{"spec":{"ephemeralContainers":[{"name":"web","image":"busybox:1","ports":[{"containerPort":80}]},{"name":"app","image":"busybox:1"}]}}']);
    expect(k.code).not.toBe(0);
    expect(k.stderr).toContain('The Pod "p" is invalid');
    expect(k.stderr).toContain('spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container');
    expect(k.stderr).toContain('spec.ephemeralContainers[1].name: Duplicate value: "app"');
  });

  it('a pod may not be created with ephemeral containers, nor get them by a plain update', async () => {
    const create = await c.kubectl(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q' }, spec: { containers: [{ name: 'a', image: 'x' }], ephemeralContainers: [{ name: 'e', image: 'x' }] } }) });
    expect(create.code).not.toBe(0);
    expect(create.stderr).toContain('spec.ephemeralContainers: Forbidden: cannot be set on create');
    const plain = await c.client.request('PATCH', POD, JSON.stringify({ spec: { ephemeralContainers: [{ name: 'dbg4', image: 'busybox:1' }] } }), 'application/strategic-merge-patch+json');
    expect(plain.code).toBe(422);
    expect((JSON.parse(plain.text) as Status).message).toContain('pod updates may not change fields');
  });

  it('kubectl debug of a missing pod is a plain NotFound', async () => {
    const r = await c.kubectl(['debug', 'nope', '--image=busybox:1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Error from server (NotFound): pods "nope" not found');
  });
});
