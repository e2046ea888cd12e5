// The map's app grouping (renderer/src/lib/app-groups.ts): a pod's app through its owner chain, by label when bare,
// "standalone" otherwise; a stable colour per app from the palette (standalone grey); the legend's counts; a pin read
// from the Deployment's required node affinity.
import { describe, expect, it } from 'vitest';
import type { Deployment, Pod } from '../../../main/api/types';
import { APP_PALETTE, STANDALONE_COLOUR, appColour, appLabel, appOf, pinnedNode, summarizeApps, type OwnerIndex } from '../../../renderer/src/lib/app-groups';

const owned = (kind: string, name: string) => ({ metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind, name, uid: `uid-${name}`, controller: true }] } });

const index: OwnerIndex = {
  replicaSet: (k) => ({ 'default/web-7d9c': owned('Deployment', 'web'), 'default/loose': { metadata: {} } } as Record<string, ReturnType<OwnerIndex['replicaSet']>>)[k],
  job: (k) => ({ 'default/backup-2901': owned('CronJob', 'backup'), 'default/once': { metadata: {} } } as Record<string, ReturnType<OwnerIndex['job']>>)[k],
};

const pod = (name: string, owner?: [string, string], labels?: Record<string, string>): Pod => ({
  metadata: { name, namespace: 'default', labels, ...(owner ? owned(owner[0], owner[1]).metadata : {}) },
});

describe('appOf', () => {
  it('follows the owner chain to the workload a person made', () => {
    expect(appOf(pod('web-7d9c-x', ['ReplicaSet', 'web-7d9c']), index)).toEqual({ key: 'default/Deployment/web', namespace: 'default', kind: 'Deployment', name: 'web' });
    expect(appOf(pod('loose-x', ['ReplicaSet', 'loose']), index).key).toBe('default/ReplicaSet/loose');
    expect(appOf(pod('db-0', ['StatefulSet', 'db']), index).key).toBe('default/StatefulSet/db');
    expect(appOf(pod('agent-x', ['DaemonSet', 'agent']), index).key).toBe('default/DaemonSet/agent');
    expect(appOf(pod('backup-2901-x', ['Job', 'backup-2901']), index).key).toBe('default/CronJob/backup');
    expect(appOf(pod('once-x', ['Job', 'once']), index).key).toBe('default/Job/once');
  });

  it('names a ReplicaSet not (yet) known by itself, not by a guess from its name', () => {
    expect(appOf(pod('other-5f-x', ['ReplicaSet', 'other-5f']), index).key).toBe('default/ReplicaSet/other-5f');
  });

  it('groups bare pods by app.kubernetes.io/name, then app, else as standalone', () => {
    expect(appOf(pod('a', undefined, { 'app.kubernetes.io/name': 'shop', app: 'x' }), index).key).toBe('default/Label/shop');
    expect(appOf(pod('b', undefined, { app: 'shop' }), index).key).toBe('default/Label/shop');
    expect(appOf(pod('c'), index)).toMatchObject({ kind: 'Standalone', name: 'standalone' });
    expect(appLabel(appOf(pod('c'), index))).toBe('standalone pods');
    expect(appLabel(appOf(pod('b', undefined, { app: 'shop' }), index))).toBe('app shop');
  });
});

describe('colours', () => {
  it('gives an app the same palette colour every time, standalone pods grey', () => {
    const web = appOf(pod('web-7d9c-x', ['ReplicaSet', 'web-7d9c']), index);
    expect(APP_PALETTE).toContain(appColour(web));
    expect(appColour({ ...web })).toBe(appColour(web));
    expect(appColour(appOf(pod('c'), index))).toBe(STANDALONE_COLOUR);
    expect(APP_PALETTE).not.toContain(STANDALONE_COLOUR);
  });

  it('spreads apps over the palette', () => {
    const colours = new Set(Array.from({ length: 40 }, (_, i) => appColour({ key: `default/Deployment/app-${i}`, namespace: 'default', kind: 'Deployment', name: `app-${i}` })));
    expect(colours.size).toBeGreaterThanOrEqual(8);
  });
});

describe('summarizeApps', () => {
  it('counts pods per app, by name, standalone last', () => {
    const s = summarizeApps([pod('c'), pod('web-7d9c-x', ['ReplicaSet', 'web-7d9c']), pod('web-7d9c-y', ['ReplicaSet', 'web-7d9c']), pod('db-0', ['StatefulSet', 'db'])], index);
    expect(s.map((e) => [e.app.name, e.pods])).toEqual([['db', 1], ['web', 2], ['standalone', 1]]);
  });
});

describe('pinnedNode', () => {
  const pinned = (exprs: object[], terms = 1): Deployment => ({
    spec: { selector: {}, template: { spec: { containers: [], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: Array.from({ length: terms }, () => ({ matchExpressions: exprs })) } } } } } },
  } as Deployment);

  it('reads the pin a drop on a node writes, and nothing else', () => {
    expect(pinnedNode(pinned([{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }]))).toBe('node-1');
    expect(pinnedNode(pinned([{ key: 'kubernetes.io/hostname', operator: 'In', values: ['a', 'b'] }]))).toBeUndefined();
    expect(pinnedNode(pinned([{ key: 'zone', operator: 'In', values: ['a'] }]))).toBeUndefined();
    expect(pinnedNode(pinned([{ key: 'kubernetes.io/hostname', operator: 'In', values: ['a'] }], 2))).toBeUndefined();
    expect(pinnedNode(undefined)).toBeUndefined();
  });
});
