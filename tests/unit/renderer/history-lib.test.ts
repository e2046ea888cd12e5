import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import { agoText, clampRevision, intervalText, pastEvents, pastMap, previousChange, windowText } from '../../../renderer/src/lib/history';

const W = { oldest: 10, current: 50, intervalMs: 300_000 };

describe('the History view helpers', () => {
  it('says how the compaction window works, as kube-apiserver keeps it', () => {
    expect(intervalText(300_000)).toBe('5 min');
    expect(intervalText(90_000)).toBe('2 min');
    expect(intervalText(30_000)).toBe('30 s');
    expect(intervalText(5_400_000)).toBe('1 h 30 min');
    expect(intervalText(3_600_000)).toBe('1 h');
    expect(intervalText(0)).toBe('never');
    expect(windowText(W)).toBe('Every 5 min the store compacts to the revision of 5 min before, as kube-apiserver does: between 5 min and 10 min of history stay readable.');
    expect(windowText({ ...W, intervalMs: 0 })).toContain('Compaction is off');
    expect(agoText(1000, 61_000)).toBe('1 min ago');
    expect(agoText(undefined, 0)).toBe('');
  });

  it('puts the pods of a snapshot on their nodes, the rest waiting, with the Ready condition then', () => {
    const node = (name: string, ready: string) => ({ metadata: { name }, status: { conditions: [{ type: 'Ready', status: ready }] } });
    const pod = (name: string, nodeName?: string) => ({ metadata: { name, namespace: 'default' }, spec: { containers: [], nodeName } });
    const m = pastMap({ nodes: [node('n-10', 'True'), node('n-2', 'False')], pods: [pod('b', 'n-2'), pod('a', 'n-2'), pod('c'), pod('d', 'gone')] });
    expect(m.nodes.map((n) => [n.name, n.ready, n.pods.map((p) => p.metadata?.name)])).toEqual([['n-2', 'False', ['a', 'b']], ['n-10', 'True', []]]);
    expect(m.unscheduled.map((p) => p.metadata?.name)).toEqual(['c', 'd']);
  });

  it('orders the events newest first, those of one second by resourceVersion', () => {
    const ev = (name: string, at: string, rv: string): KObject => ({ metadata: { name, uid: name, resourceVersion: rv }, reason: 'R', lastTimestamp: at, involvedObject: { kind: 'Pod', name: 'p' } });
    const list = pastEvents([ev('a', '2026-01-01T10:00:00Z', '5'), ev('b', '2026-01-01T10:00:01Z', '6'), ev('c', '2026-01-01T10:00:01Z', '9')], 2);
    expect(list.map((e) => [e.uid, e.object])).toEqual([['c', 'pod/p'], ['b', 'pod/p']]);
  });

  it('starts a diff just before the object\'s last change, and keeps typed revisions inside the window', () => {
    expect(previousChange({ metadata: { resourceVersion: '42' } }, 45, 10)).toBe(41);
    expect(previousChange({ metadata: { resourceVersion: '10' } }, 45, 10)).toBe(10);
    expect(previousChange(undefined, 45, 10)).toBe(44);
    expect(clampRevision('7', W)).toBe(10);
    expect(clampRevision(' 30 ', W)).toBe(30);
    expect(clampRevision('99', W)).toBe(50);
    expect(clampRevision('abc', W)).toBeUndefined();
    expect(clampRevision(' ', W)).toBeUndefined();
    expect(clampRevision('3.5', W)).toBeUndefined();
  });
});
