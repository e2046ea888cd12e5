import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import { conflictCauses, conflictMessage, recordUpdate, serverSideApply, type ApplyResult } from '../../../main/apiserver/patch/apply';
import { patchMetaFor } from '../../../main/apiserver/patch/patchmeta';
import { PatchError } from '../../../main/apiserver/patch/errors';
import { managerOrUserAgent } from '../../../main/apiserver/patch/manager-name';

const meta = patchMetaFor('apps/v1', 'Deployment');
const T0 = '2026-11-26T10:00:00Z';
const T1 = '2026-11-26T11:00:00Z';

function manifest(spec: Record<string, unknown>, labels: Record<string, string> = { app: 'web' }): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      ...spec,
    },
  };
}

function stored(obj: KObject): KObject {
  return { ...obj, metadata: { ...obj.metadata, uid: 'u1', resourceVersion: '5', creationTimestamp: T0 } };
}

function object(r: ApplyResult): KObject {
  if ('conflicts' in r) throw new Error(`unexpected conflicts: ${conflictMessage(r.conflicts)}`);
  return r.object;
}

function entries(obj: KObject): Array<Record<string, unknown>> {
  return (obj.metadata?.managedFields ?? []) as unknown as Array<Record<string, unknown>>;
}

describe('server-side apply', () => {
  it('creates the object and records an Apply entry without server-owned metadata', () => {
    const out = object(serverSideApply({ live: undefined, applied: manifest({ replicas: 2 }), manager: 'kubectl', force: false, now: T0, meta }));
    expect(out.spec).toMatchObject({ replicas: 2 });
    const [e] = entries(out);
    expect(e).toMatchObject({ manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: T0, fieldsType: 'FieldsV1' });
    const fields = e.fieldsV1 as Record<string, Record<string, unknown>>;
    expect(fields['f:metadata']).toEqual({ 'f:labels': { 'f:app': {} } });
    expect(fields['f:apiVersion']).toBeUndefined();
    expect(fields['f:spec']['f:replicas']).toEqual({});
  });

  it('removes a field the same manager no longer applies, keeping fields owned by others', () => {
    const first = stored(object(serverSideApply({ live: undefined, applied: manifest({ replicas: 2, paused: false }), manager: 'kubectl', force: false, now: T0, meta })));
    const withLabel = recordUpdate({ old: first, updated: { ...first, metadata: { ...first.metadata, labels: { app: 'web', team: 'x' } } }, manager: 'kubectl-label', operation: 'Update', now: T0, meta });
    const second = object(serverSideApply({ live: withLabel, applied: manifest({ replicas: 2 }, {}), manager: 'kubectl', force: false, now: T1, meta }));
    expect(second.spec).not.toHaveProperty('paused');
    expect(second.metadata?.labels).toEqual({ team: 'x' });
    expect(second.metadata?.uid).toBe('u1');
    expect(second.metadata?.name).toBe('web');
  });

  it('reports a conflict with the Update manager that set replicas, and force takes ownership', () => {
    const created = stored(recordUpdate({ old: undefined, updated: manifest({ replicas: 1 }), manager: 'kubectl-client-side-apply', operation: 'Update', now: T0, meta }));
    const r = serverSideApply({ live: created, applied: manifest({ replicas: 3 }), manager: 'other', force: false, now: T1, meta });
    expect('conflicts' in r && r.conflicts).toEqual([{ manager: 'kubectl-client-side-apply', field: '.spec.replicas', operation: 'Update', apiVersion: 'apps/v1' }]);
    if (!('conflicts' in r)) return;
    expect(conflictMessage(r.conflicts)).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    expect(conflictCauses(r.conflicts)).toEqual([{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }]);

    const forced = object(serverSideApply({ live: created, applied: manifest({ replicas: 3 }), manager: 'other', force: true, now: T1, meta }));
    expect(forced.spec).toMatchObject({ replicas: 3 });
    const byManager = Object.fromEntries(entries(forced).map((e) => [String(e.manager), e.fieldsV1 as Record<string, Record<string, unknown>>]));
    expect(byManager.other['f:spec']).toHaveProperty('f:replicas');
    expect(byManager['kubectl-client-side-apply']['f:spec']).not.toHaveProperty('f:replicas');
  });

  it('does not conflict when the other manager holds the same value (shared ownership)', () => {
    const created = stored(recordUpdate({ old: undefined, updated: manifest({ replicas: 1 }), manager: 'kubectl-create', operation: 'Update', now: T0, meta }));
    const out = object(serverSideApply({ live: created, applied: manifest({ replicas: 1 }), manager: 'ci', force: false, now: T1, meta }));
    expect(entries(out).map((e) => e.manager).sort()).toEqual(['ci', 'kubectl-create']);
  });

  it('conflicts after kubectl scale (manager "kubectl" from the User-Agent, subresource scale)', () => {
    const manager = managerOrUserAgent(undefined, 'kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07');
    expect(manager).toBe('kubectl');
    const applied = stored(object(serverSideApply({ live: undefined, applied: manifest({ replicas: 2 }), manager: 'kubectl', force: false, now: T0, meta })));
    const scaled = recordUpdate({ old: applied, updated: { ...applied, spec: { ...(applied.spec as object), replicas: 5 } }, manager, operation: 'Update', now: T1, meta, subresource: 'scale' });
    expect(entries(scaled).map((e) => [e.manager, e.operation, e.subresource ?? ''])).toEqual([['kubectl', 'Apply', ''], ['kubectl', 'Update', 'scale']]);
    const r = serverSideApply({ live: scaled, applied: manifest({ replicas: 2 }), manager: 'kubectl', force: false, now: T1, meta });
    expect('conflicts' in r).toBe(true);
    if ('conflicts' in r) expect(conflictMessage(r.conflicts)).toBe('Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
  });

  it('words several conflicts per manager', () => {
    const msg = conflictMessage([
      { manager: 'b', field: '.spec.replicas', operation: 'Update', apiVersion: 'apps/v1' },
      { manager: 'a', field: '.spec.paused', operation: 'Apply', apiVersion: 'apps/v1' },
      { manager: 'b', field: '.spec.minReadySeconds', operation: 'Update', apiVersion: 'apps/v1' },
    ]);
    expect(msg).toBe('Apply failed with 3 conflicts: conflicts with "a":\n- .spec.paused\nconflicts with "b" using apps/v1:\n- .spec.replicas\n- .spec.minReadySeconds');
  });

  it('lets kubectl take over fields a client-side apply left as they are (last-applied upgrade)', () => {
    const m = manifest({ replicas: 2 });
    const withAnnotation: KObject = { ...m, metadata: { ...m.metadata, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify(m)}\n` } } };
    const created = stored(recordUpdate({ old: undefined, updated: withAnnotation, manager: 'kubectl-client-side-apply', operation: 'Update', now: T0, meta }));
    const ok = object(serverSideApply({ live: created, applied: manifest({ replicas: 4 }), manager: 'kubectl', force: false, now: T1, meta }));
    expect(ok.spec).toMatchObject({ replicas: 4 });
    const refreshed = ok.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '';
    expect(JSON.parse(refreshed)).toEqual(manifest({ replicas: 4 }));
    expect(refreshed.startsWith('{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"replicas":4,')).toBe(true);
    expect(refreshed.endsWith('}\n')).toBe(true);
    const r = serverSideApply({ live: created, applied: manifest({ replicas: 4 }), manager: 'someone', force: false, now: T1, meta });
    expect('conflicts' in r).toBe(true);
  });

  it('ignores status on the main resource and rejects managedFields or another version in the patch', () => {
    const applied: KObject = { ...manifest({ replicas: 1 }), status: { replicas: 9 } };
    const out = object(serverSideApply({ live: undefined, applied, manager: 'm', force: false, now: T0, meta }));
    expect(out.status).toBeUndefined();
    expect(JSON.stringify(out.metadata?.managedFields)).not.toContain('f:status');
    const live = stored(out);
    expect(() => serverSideApply({ live, applied: { ...manifest({}), apiVersion: 'apps/v1beta1' }, manager: 'm', force: false, now: T0, meta })).toThrow(PatchError);
    expect(() => serverSideApply({ live, applied: { ...manifest({}), metadata: { name: 'web', managedFields: [] } }, manager: 'm', force: false, now: T0, meta }))
      .toThrow('metadata.managedFields must be nil');
  });

  it('merges containers by name and keeps containers owned by another manager', () => {
    const first = stored(object(serverSideApply({ live: undefined, applied: manifest({}), manager: 'a', force: false, now: T0, meta })));
    const sidecar = manifest({});
    (sidecar.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers = [{ name: 'sidecar', image: 'busybox' }];
    const both = object(serverSideApply({ live: first, applied: sidecar, manager: 'b', force: false, now: T1, meta }));
    const names = ((both.spec as { template: { spec: { containers: Array<{ name: string }> } } }).template.spec.containers).map((c) => c.name);
    expect(names).toEqual(['nginx', 'sidecar']);
  });

  it('gives fields that existed before the first apply to "before-first-apply"', () => {
    const untracked = stored(manifest({ replicas: 1 }));
    const r = serverSideApply({ live: untracked, applied: manifest({ replicas: 2 }), manager: 'kubectl', force: false, now: T1, meta });
    expect('conflicts' in r && conflictMessage(r.conflicts)).toBe('Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
    const same = object(serverSideApply({ live: untracked, applied: manifest({ replicas: 1 }), manager: 'kubectl', force: false, now: T1, meta }));
    expect(entries(same).map((e) => [e.manager, e.operation])).toEqual([['kubectl', 'Apply'], ['before-first-apply', 'Update']]);
  });
});

describe('recording updates', () => {
  it('gives changed fields to the updater and takes them from the applier', () => {
    const applied = stored(object(serverSideApply({ live: undefined, applied: manifest({ replicas: 2 }), manager: 'kubectl', force: false, now: T0, meta })));
    const next = { ...applied, spec: { ...(applied.spec as object), replicas: 7 } };
    const out = recordUpdate({ old: applied, updated: next, manager: 'kubectl-edit', operation: 'Update', now: T1, meta });
    const byManager = Object.fromEntries(entries(out).map((e) => [String(e.manager), e]));
    expect(byManager['kubectl-edit']).toMatchObject({ operation: 'Update', apiVersion: 'apps/v1', time: T1, fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
    expect(byManager.kubectl.fieldsV1).not.toHaveProperty(['f:spec', 'f:replicas']);
    expect(entries(out).map((e) => e.operation)).toEqual(['Apply', 'Update']);
  });

  it('records a create with "." on added maps but not on always-present structs', () => {
    const out = recordUpdate({ old: undefined, updated: manifest({ replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }), manager: 'kubectl-create', operation: 'Update', now: T0, meta });
    const f = entries(out)[0].fieldsV1 as Record<string, Record<string, Record<string, unknown>>>;
    expect(f['f:metadata']['f:labels']).toEqual({ '.': {}, 'f:app': {} });
    expect(f['f:spec']['f:strategy']).toEqual({ 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {} }, 'f:type': {} });
    expect(f['f:spec']['f:selector']).toEqual({});
    expect(Object.keys(f['f:spec'])).not.toContain('.');
  });

  it('owns an empty non-pointer struct of a new list item, as Go compares it', () => {
    const m = manifest({});
    (m.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers = [{ name: 'nginx', image: 'nginx', resources: {} }];
    const out = recordUpdate({ old: undefined, updated: m, manager: 'kubectl-create', operation: 'Update', now: T0, meta });
    expect(entries(out)[0].fieldsV1).toMatchObject({ 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': {
      'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:resources': {} },
    } } } } });
  });

  it('does not start tracking an existing object that has no managed fields', () => {
    const untracked = stored(manifest({ replicas: 1 }));
    const out = recordUpdate({ old: untracked, updated: { ...untracked, spec: { ...(untracked.spec as object), replicas: 4 } }, manager: 'kubectl-edit', operation: 'Update', now: T1, meta });
    expect(out.metadata?.managedFields).toBeUndefined();
    expect(out.spec).toMatchObject({ replicas: 4 });
  });

  it('merges the oldest of more than 10 Update managers into "ancient-changes"', () => {
    let obj = stored(recordUpdate({ old: undefined, updated: manifest({ replicas: 0 }), manager: 'creator', operation: 'Update', now: '2026-11-26T00:00:00Z', meta }));
    for (let i = 1; i <= 11; i++) {
      const labels = { ...obj.metadata?.labels, [`l${i}`]: 'x' };
      obj = recordUpdate({ old: obj, updated: { ...obj, metadata: { ...obj.metadata, labels } }, manager: `m${i}`, operation: 'Update', now: `2026-11-26T00:00:${String(i).padStart(2, '0')}Z`, meta });
    }
    const managers = entries(obj).map((e) => e.manager);
    expect(managers).toHaveLength(10);
    expect(managers[0]).toBe('ancient-changes');
    expect(managers).not.toContain('creator');
    expect(managers).not.toContain('m1');
    expect(managers).not.toContain('m2');
    const ancient = entries(obj)[0];
    expect(ancient.time).toBe('2026-11-26T00:00:02Z');
    expect(ancient.fieldsV1).toMatchObject({ 'f:metadata': { 'f:labels': { 'f:app': {}, 'f:l1': {}, 'f:l2': {} } } });
  });

  it('keeps managedFields unchanged when nothing changed and resets them on []', () => {
    const created = stored(recordUpdate({ old: undefined, updated: manifest({}), manager: 'x', operation: 'Update', now: T0, meta }));
    const same = recordUpdate({ old: created, updated: created, manager: 'y', operation: 'Update', now: T1, meta });
    expect(same.metadata?.managedFields).toEqual(created.metadata?.managedFields);
    const reset = recordUpdate({ old: created, updated: { ...created, metadata: { ...created.metadata, managedFields: [] } }, manager: 'y', operation: 'Update', now: T1, meta });
    expect(reset.metadata?.managedFields).toBeUndefined();
  });
});
