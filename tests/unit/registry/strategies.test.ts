// The per-kind rules the registry takes from strategies: pods' graceful deletion, namespaces'
// termination and finalize, events in terminating namespaces, and metadata.generation.
import { afterEach, describe, expect, it } from 'vitest';
import { resourceFor } from '../../../main/api/resources';
import type { KObject, StoredObject } from '../../../main/api/types';
import { ApiError } from '../../../main/apiserver/status';
import { closeRegistry, openRegistry } from './fixture';

const PODS = resourceFor('', 'v1', 'pods')!;
const NAMESPACES = resourceFor('', 'v1', 'namespaces')!;
const CONFIGMAPS = resourceFor('', 'v1', 'configmaps')!;
const EVENTS = resourceFor('', 'v1', 'events')!;
const DEPLOYMENTS = resourceFor('apps', 'v1', 'deployments')!;

const T0 = Date.parse('2030-01-01T00:00:00Z');
let clock = T0;
const opts = { now: () => new Date(clock) };
const FM = { fieldManager: 'test' };

afterEach(() => {
  closeRegistry();
  clock = T0;
});

function pod(name: string, spec: Record<string, unknown> = {}): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } };
}

function deployment(replicas: number): KObject {
  const labels = { app: 'web' };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
  };
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  if (!(e instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(e)}`);
  return e;
}

describe('pod graceful deletion', () => {
  it('a pod on a node is only marked; it stays through updates until its node confirms with grace period 0', async () => {
    const reg = await openRegistry(opts);
    await reg.create(PODS, 'default', pod('p', { nodeName: 'n1' }), FM);
    const first = await reg.delete(PODS, 'default', 'p', {});
    expect(first.deleted).toBe(false);
    expect(first.object.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(first.object.metadata.deletionTimestamp).toBe('2030-01-01T00:00:30Z');
    // An update that leaves no finalizers does not end a running grace period.
    await reg.mutate(PODS, 'default', 'p', (o) => { o.metadata.labels = { touched: 'yes' }; });
    expect(reg.get(PODS, 'default', 'p').metadata.labels).toEqual({ touched: 'yes' });
    // Deleting again with no shorter period changes nothing.
    clock += 5000;
    const again = await reg.delete(PODS, 'default', 'p', {});
    expect(again.deleted).toBe(false);
    expect(again.object.metadata.resourceVersion).toBe(reg.get(PODS, 'default', 'p').metadata.resourceVersion);
    expect(again.object.metadata.deletionTimestamp).toBe('2030-01-01T00:00:30Z');
    // A shorter one shortens it: the deadline moves back by the difference (30 s → 10 s after the first delete).
    const shorter = await reg.delete(PODS, 'default', 'p', { gracePeriodSeconds: 10 });
    expect(shorter.object.metadata.deletionGracePeriodSeconds).toBe(10);
    expect(shorter.object.metadata.deletionTimestamp).toBe('2030-01-01T00:00:10Z');
    // Never into the past: a graceful period that has already run out keeps 1 s, from now.
    clock += 7000;
    const spent = await reg.delete(PODS, 'default', 'p', { gracePeriodSeconds: 2 });
    expect(spent.object.metadata.deletionGracePeriodSeconds).toBe(1);
    expect(spent.object.metadata.deletionTimestamp).toBe('2030-01-01T00:00:12Z');
    // The node's confirmation.
    const gone = await reg.delete(PODS, 'default', 'p', { gracePeriodSeconds: 0 });
    expect(gone.deleted).toBe(true);
    expect(reg.tryGet(PODS, 'default', 'p')).toBeUndefined();
  });

  it('the pod spec grace period is used, and 0 there still waits for the node', async () => {
    const reg = await openRegistry(opts);
    await reg.create(PODS, 'default', pod('slow', { nodeName: 'n1', terminationGracePeriodSeconds: 120 }), FM);
    expect((await reg.delete(PODS, 'default', 'slow', {})).object.metadata.deletionGracePeriodSeconds).toBe(120);
    await reg.create(PODS, 'default', pod('quick', { nodeName: 'n1', terminationGracePeriodSeconds: 0 }), FM);
    const marked = await reg.delete(PODS, 'default', 'quick', {});
    expect(marked.deleted).toBe(false);
    expect(marked.object.metadata.deletionGracePeriodSeconds).toBe(0);
    expect((await reg.delete(PODS, 'default', 'quick', { gracePeriodSeconds: 0 })).deleted).toBe(true);
  });

  it('a marked pod a finalizer holds takes grace period 0 and goes when the finalizer is removed', async () => {
    const reg = await openRegistry(opts);
    await reg.create(PODS, 'default', { ...pod('held', { nodeName: 'n1' }), metadata: { name: 'held', finalizers: ['example.com/hold'] } }, FM);
    expect((await reg.delete(PODS, 'default', 'held', {})).object.metadata.deletionGracePeriodSeconds).toBe(30);
    clock += 3000;
    // The node's confirmation arrives while the finalizer is still there: it is recorded, not lost.
    const confirmed = await reg.delete(PODS, 'default', 'held', { gracePeriodSeconds: 0 });
    expect(confirmed.deleted).toBe(false);
    expect(confirmed.object.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(confirmed.object.metadata.deletionTimestamp).toBe('2030-01-01T00:00:03Z');
    expect(reg.get(PODS, 'default', 'held').metadata.deletionGracePeriodSeconds).toBe(0);
    await reg.mutate(PODS, 'default', 'held', (o) => { o.metadata.finalizers = undefined; });
    expect(reg.tryGet(PODS, 'default', 'held')).toBeUndefined();
  });

  it('a pod marked with grace period 0 and nothing holding it goes on the next delete', async () => {
    const reg = await openRegistry(opts);
    await reg.create(PODS, 'default', pod('quick', { nodeName: 'n1', terminationGracePeriodSeconds: 0 }), FM);
    expect((await reg.delete(PODS, 'default', 'quick', {})).deleted).toBe(false);
    expect((await reg.delete(PODS, 'default', 'quick', {})).deleted).toBe(true);
    expect(reg.tryGet(PODS, 'default', 'quick')).toBeUndefined();
  });

  it('a pod no node runs is deleted at once', async () => {
    const reg = await openRegistry(opts);
    await reg.create(PODS, 'default', pod('unscheduled'), FM);
    expect((await reg.delete(PODS, 'default', 'unscheduled', {})).deleted).toBe(true);
    expect(reg.tryGet(PODS, 'default', 'unscheduled')).toBeUndefined();
  });

  it('other kinds are deleted at once, whatever grace period is asked for', async () => {
    const reg = await openRegistry(opts);
    await reg.create(CONFIGMAPS, 'default', { metadata: { name: 'cm' } }, FM);
    expect((await reg.delete(CONFIGMAPS, 'default', 'cm', { gracePeriodSeconds: 30 })).deleted).toBe(true);
  });
});

describe('namespace termination', () => {
  it('a deleted namespace goes Terminating with the kubernetes finalizer, refuses new content but events, and goes when finalized', async () => {
    const reg = await openRegistry(opts);
    await reg.create(NAMESPACES, undefined, { metadata: { name: 'team' } }, FM);
    const marked = await reg.delete(NAMESPACES, undefined, 'team', {});
    expect(marked.deleted).toBe(false);
    const ns = reg.get(NAMESPACES, undefined, 'team') as StoredObject & { spec?: { finalizers?: string[] }; status?: { phase?: string } };
    expect(ns.status?.phase).toBe('Terminating');
    expect(ns.spec?.finalizers).toEqual(['kubernetes']);
    expect(ns.metadata.deletionTimestamp).toBe('2030-01-01T00:00:00Z');

    const refused = await rejection(reg.create(CONFIGMAPS, 'team', { metadata: { name: 'late' } }, FM));
    expect(refused.code).toBe(403);
    expect(refused.message).toBe('configmaps "late" is forbidden: unable to create new content in namespace team because it is being terminated');
    const event = { metadata: { name: 'ev' }, involvedObject: { kind: 'ConfigMap', namespace: 'team', name: 'x' }, reason: 'Deleting', message: 'm', type: 'Normal' };
    await reg.create(EVENTS, 'team', event, FM);

    // The main resource changes neither spec.finalizers nor status; finalize does.
    await reg.update(NAMESPACES, undefined, 'team', { ...ns, spec: { finalizers: [] }, status: { phase: 'Active' } }, FM);
    const kept = reg.get(NAMESPACES, undefined, 'team') as typeof ns;
    expect(kept.spec?.finalizers).toEqual(['kubernetes']);
    expect(kept.status?.phase).toBe('Terminating');
    await reg.update(NAMESPACES, undefined, 'team', { ...kept, spec: { finalizers: [] } }, { ...FM, subresource: 'finalize' });
    expect(reg.tryGet(NAMESPACES, undefined, 'team')).toBeUndefined();
  });

  it('a created namespace gets the kubernetes finalizer beside its own, and one finalized to none keeps none', async () => {
    const reg = await openRegistry(opts);
    await reg.create(NAMESPACES, undefined, { metadata: { name: 'own' }, spec: { finalizers: ['example.com/x'] } }, FM);
    const own = reg.get(NAMESPACES, undefined, 'own');
    expect(own.spec).toEqual({ finalizers: ['example.com/x', 'kubernetes'] });
    const out = await reg.update(NAMESPACES, undefined, 'own', { ...own, spec: { finalizers: [] } }, { ...FM, subresource: 'finalize' });
    // An empty list is not stored (omitempty), and no default puts `kubernetes` back on an update.
    expect(out.object.spec).toEqual({});
    const finalized = reg.get(NAMESPACES, undefined, 'own');
    const again = await reg.update(NAMESPACES, undefined, 'own', { ...finalized, metadata: { ...finalized.metadata, labels: { a: 'b' } } }, FM);
    expect(again.object.spec).toEqual({});
  });

  it('finalize changes spec.finalizers but not status', async () => {
    const reg = await openRegistry(opts);
    const ns = (await reg.create(NAMESPACES, undefined, { metadata: { name: 'keep' }, spec: { finalizers: ['kubernetes', 'example.com/x'] } }, FM)).object;
    const out = await reg.update(NAMESPACES, undefined, 'keep', { ...ns, spec: { finalizers: ['example.com/x'] }, status: { phase: 'Terminating' } }, { ...FM, subresource: 'finalize' });
    expect(out.object.spec).toEqual({ finalizers: ['example.com/x'] });
    expect(out.object.status).toEqual({ phase: 'Active' });
  });
});

describe('metadata.generation', () => {
  it('counts spec changes of kinds that track it, not metadata or status changes', async () => {
    const reg = await openRegistry(opts);
    const created = (await reg.create(DEPLOYMENTS, 'default', deployment(1), FM)).object;
    expect(created.metadata.generation).toBe(1);
    const labelled = (await reg.update(DEPLOYMENTS, 'default', 'web', { ...created, metadata: { ...created.metadata, labels: { a: 'b' } } }, FM)).object;
    expect(labelled.metadata.generation).toBe(1);
    const status = (await reg.update(DEPLOYMENTS, 'default', 'web', { ...labelled, status: { replicas: 1, observedGeneration: 1 } }, { ...FM, subresource: 'status' })).object;
    expect(status.metadata.generation).toBe(1);
    expect(status.status).toMatchObject({ replicas: 1 });
    const scaled = (await reg.patch(DEPLOYMENTS, 'default', 'web', { spec: { replicas: 3 } }, 'merge', FM)).object;
    expect(scaled.metadata.generation).toBe(2);
    const twice = (await reg.patch(DEPLOYMENTS, 'default', 'web', { spec: { replicas: 4 } }, 'merge', FM)).object;
    expect(twice.metadata.generation).toBe(3);
  });

  it('is not set on kinds that do not track it, even if the body has one', async () => {
    const reg = await openRegistry(opts);
    const cm = (await reg.create(CONFIGMAPS, 'default', { metadata: { name: 'cm', generation: 7 }, data: { a: '1' } }, FM)).object;
    expect(cm.metadata.generation).toBeUndefined();
    const changed = (await reg.update(CONFIGMAPS, 'default', 'cm', { ...cm, data: { a: '2' } }, FM)).object;
    expect(changed.metadata.generation).toBeUndefined();
    expect((await reg.create(PODS, 'default', pod('p'), FM)).object.metadata.generation).toBeUndefined();
  });
});

describe('status subresource validation', () => {
  it('checks metadata and the kind status rules, not the rest of the stored object again', async () => {
    const reg = await openRegistry(opts);
    const ns = (await reg.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, FM)).object;
    const bad = await rejection(reg.update(NAMESPACES, undefined, 'shop', { ...ns, status: { phase: 'Terminating' } }, { ...FM, subresource: 'status' }));
    expect(bad.code).toBe(422);
    expect(bad.message).toContain("status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty");
    // A status write cannot change a pod's spec: a spec sent with it is dropped, not validated.
    const p = (await reg.create(PODS, 'default', pod('p'), FM)).object;
    const out = (await reg.update(PODS, 'default', 'p', { ...p, spec: { containers: [] }, status: { phase: 'Running' } }, { ...FM, subresource: 'status' })).object;
    expect(out.status).toMatchObject({ phase: 'Running' });
    expect((out.spec as { containers: unknown[] }).containers).toHaveLength(1);
  });
});
