// The namespace deleter's conditions: the ok variants when nothing remains, what remains by resource and finalizer
// (sorted), delete errors, transition times that move only with the status, and no update when nothing changed.
import { describe, expect, it } from 'vitest';
import { deletionConditions, type ContentTotals } from '../../../main/controllers/namespace-conditions';

const totals = (remaining: Array<[string, number]> = [], finalizers: Array<[string, number]> = [], deleteErrors: string[] = []): ContentTotals =>
  ({ remaining: new Map(remaining), finalizers: new Map(finalizers), deleteErrors });

describe('namespace deletion conditions', () => {
  it('sets all five, False with their ok reasons, when the content is gone', () => {
    const c = deletionConditions([], totals(), 'T0')!;
    expect(c.map((x) => [x.type, x.status, x.reason])).toEqual([
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
      ['NamespaceContentRemaining', 'False', 'ContentRemoved'],
      ['NamespaceFinalizersRemaining', 'False', 'ContentRemoved'],
    ]);
    expect(c.every((x) => x.lastTransitionTime === 'T0')).toBe(true);
    expect(deletionConditions(c, totals(), 'T1')).toBeUndefined();
  });

  it('says what remains, sorted, and moves a transition time only when the status changes', () => {
    const first = deletionConditions([], totals([['pods.', 2], ['configmaps.', 1], ['jobs.batch', 0]], [['b/f', 1], ['a/f', 3]]), 'T0')!;
    const remaining = first.find((x) => x.type === 'NamespaceContentRemaining')!;
    expect(remaining).toMatchObject({ status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: configmaps. has 1 resource instances, pods. has 2 resource instances' });
    expect(first.find((x) => x.type === 'NamespaceFinalizersRemaining')).toMatchObject({
      status: 'True', reason: 'SomeFinalizerRemain', message: 'Some finalizers are remaining: a/f in 3 resource instances, b/f in 1 resource instances',
    });
    const second = deletionConditions(first, totals([['pods.', 1]]), 'T1')!;
    expect(second.find((x) => x.type === 'NamespaceContentRemaining')).toMatchObject({ status: 'True', message: 'Some resources are remaining: pods. has 1 resource instances', lastTransitionTime: 'T0' });
    expect(second.find((x) => x.type === 'NamespaceFinalizersRemaining')).toMatchObject({ status: 'False', reason: 'ContentRemoved', lastTransitionTime: 'T1' });
  });

  it('reports failed deletes', () => {
    const c = deletionConditions([], totals([], [], ['webhook said no', 'another']), 'T0')!;
    expect(c.find((x) => x.type === 'NamespaceDeletionContentFailure')).toMatchObject({
      status: 'True', reason: 'ContentDeletionFailed', message: 'Failed to delete all resource types, 2 remaining: another, webhook said no',
    });
  });
});
