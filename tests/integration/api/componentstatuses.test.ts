// `kubectl get componentstatuses` with real kubectl: v1 ComponentStatus (deprecated in v1.19, still served) lists the
// scheduler, the controller manager and etcd-0 (the store), each checked when read, in the API server's columns; every
// answer carries the deprecation warning; get and list only, a field selector on metadata.name, and kube-apiserver's
// 500 for a name it does not know; the UI's resource browser counts and opens them. A control plane running without its scheduler and controllers says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';
import type { ComponentStatus } from '../../../main/api/types';
import { bridgeDepsOf, createBridgeSession } from '../../../main/bridge/handlers';
import { bridgeCalls } from '../../helpers/bridge-calls';

const WARNING = 'Warning: v1 ComponentStatus is deprecated in v1.19+';

describe('componentstatuses', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startTestCluster();
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('lists the healthy components in kubectl get cs, with the deprecation warning', async () => {
    const r = await c.kubectl(['get', 'cs']);
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe(WARNING);
    expect(r.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/))).toEqual([
      ['NAME', 'STATUS', 'MESSAGE', 'ERROR'],
      ['scheduler', 'Healthy', 'ok'],
      ['controller-manager', 'Healthy', 'ok'],
      ['etcd-0', 'Healthy', 'ok'],
    ]);
  });

  it('serves one by name as Go encodes it, and the list as ComponentStatusList', async () => {
    const one = JSON.parse(await c.kubectlOk(['get', 'componentstatus', 'etcd-0', '-o', 'json'])) as ComponentStatus;
    expect(one).toEqual({
      kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name: 'etcd-0', creationTimestamp: null },
      conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }],
    });
    const list = JSON.parse(await c.kubectlOk(['get', '--raw', '/api/v1/componentstatuses'])) as { kind: string; items: ComponentStatus[] };
    expect(list.kind).toBe('ComponentStatusList');
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['scheduler', 'controller-manager', 'etcd-0']);
  });

  it('are counted and opened in the UI\'s resource browser as kubectl shows them', async () => {
    const session = createBridgeSession(bridgeDepsOf(c.core), () => undefined);
    try {
      const { ok } = bridgeCalls(() => session);
      expect((await ok('countResources', {}))['/componentstatuses']).toBe(3);
      expect(await ok('getObject', { group: '', version: 'v1', resource: 'componentstatuses', name: 'etcd-0' }))
        .toMatchObject({ kind: 'ComponentStatus', conditions: [{ type: 'Healthy', status: 'True' }] });
    } finally {
      session.dispose();
    }
  });

  it('selects by metadata.name, refuses other field labels, answers 500 for an unknown name and 405 for writes', async () => {
    expect((await c.kubectlOk(['get', 'cs', '--field-selector', 'metadata.name=scheduler', '-o', 'name'])).trim()).toBe('componentstatus/scheduler');
    const bad = await c.kubectl(['get', 'cs', '--field-selector', 'foo=bar']);
    expect(bad.stderr).toContain('field label not supported: foo');
    const missing = await c.kubectl(['get', 'cs', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error from server (InternalError): Internal error occurred: Component not found: nope');
    const del = await c.kubectl(['delete', 'cs', 'scheduler']);
    expect(del.stderr).toContain('Error from server (MethodNotAllowed): the server does not allow this method on the requested resource');
  });
});

describe('componentstatuses of a control plane without its scheduler and controllers', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startTestCluster({ controllers: false });
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('reports them Unhealthy, saying why, and the store Healthy', async () => {
    const r = await c.kubectlOk(['get', 'cs', '--no-headers']);
    expect(r.trim().split('\n').map((l) => l.trim().split(/\s{2,}/))).toEqual([
      ['scheduler', 'Unhealthy', 'the scheduler is not running in this control plane'],
      ['controller-manager', 'Unhealthy', 'the controller-manager is not running in this control plane'],
      ['etcd-0', 'Healthy', 'ok'],
    ]);
  });
});
