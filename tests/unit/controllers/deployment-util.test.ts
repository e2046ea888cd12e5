// Deployment helpers: template hashing, equality ignoring the hash label, surge/unavailable
// resolution; the order in which a ReplicaSet gives up pods.
import { describe, expect, it } from 'vitest';
import type { Deployment, Pod } from '../../../main/api/types';
import { computeHash, equalIgnoreHash, surgeAndUnavailable } from '../../../main/controllers/deployment-util';
import { appendRevisionHistory } from '../../../main/controllers/deployment-replicasets';
import { compareForDeletion } from '../../../main/controllers/pod-ranking';

describe('deployment util', () => {
  it('hashes templates stably and compares them without the hash label', () => {
    const t = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    const h = computeHash(t);
    expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(computeHash(structuredClone(t))).toBe(h);
    expect(computeHash(t, 1)).not.toBe(h);
    expect(equalIgnoreHash(t, { ...t, metadata: { labels: { app: 'a', 'pod-template-hash': h } } })).toBe(true);
    expect(equalIgnoreHash(t, { ...t, spec: { containers: [{ name: 'c', image: 'y' }] } })).toBe(false);
  });

  it('compares templates as Go structs compare: null, empty and absent fields are alike', () => {
    const t = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    // What kubectl rollout undo writes back: the ReplicaSet's template as Go encodes it.
    const asGoEncodes = { metadata: { creationTimestamp: null, labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'x', resources: {}, env: [] }] } };
    expect(equalIgnoreHash(t, asGoEncodes as never)).toBe(true);
    expect(equalIgnoreHash(t, { ...t, spec: { containers: [{ name: 'c', image: 'x', args: ['a'] }] } })).toBe(false);
  });

  it('resolves maxSurge up and maxUnavailable down', () => {
    const d = (ru: Record<string, unknown> | undefined, replicas = 10): Deployment => ({ spec: { replicas, selector: {}, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: ru } } });
    expect(surgeAndUnavailable(d(undefined))).toEqual({ maxSurge: 3, maxUnavailable: 2 });
    expect(surgeAndUnavailable(d({ maxSurge: 0, maxUnavailable: 0 }))).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(surgeAndUnavailable(d({ maxSurge: '50%', maxUnavailable: 0 }, 3))).toEqual({ maxSurge: 2, maxUnavailable: 0 });
  });

  it('deletes unassigned, pending, not ready and newer pods first', () => {
    const p = (name: string, node: string | undefined, phase: string, ready: boolean, created: string): Pod => ({
      metadata: { name, creationTimestamp: created },
      spec: { containers: [], ...(node ? { nodeName: node } : {}) },
      status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: created }] },
    });
    const pods = [
      p('old-ready', 'n', 'Running', true, '2024-01-01T00:00:00Z'),
      p('new-ready', 'n', 'Running', true, '2024-01-02T00:00:00Z'),
      p('not-ready', 'n', 'Running', false, '2024-01-01T00:00:00Z'),
      p('pending', 'n', 'Pending', false, '2024-01-01T00:00:00Z'),
      p('unassigned', undefined, 'Pending', false, '2024-01-01T00:00:00Z'),
    ];
    expect(pods.sort(compareForDeletion).map((x) => x.metadata!.name)).toEqual(['unassigned', 'pending', 'not-ready', 'new-ready', 'old-ready']);
  });
});

describe('appendRevisionHistory', () => {
  it('appends the revision a ReplicaSet had, dropping the oldest past 2,000 characters as kube-controller-manager does', () => {
    expect(appendRevisionHistory(undefined, '1')).toBe('1');
    expect(appendRevisionHistory('', '3')).toBe('3');
    expect(appendRevisionHistory('1,3', '5')).toBe('1,3,5');
    // 399 revisions of 5 digits: 2,393 characters; with ",99999" 2,399, so the 67 oldest (6 characters each) go.
    const long = Array.from({ length: 399 }, (_, i) => String(10_000 + i)).join(',');
    const out = appendRevisionHistory(long, '99999')!;
    expect(out.length).toBe(1997);
    expect(out.endsWith(',99999')).toBe(true);
    expect(out.split(',')[0]).toBe('10067');
  });
});
