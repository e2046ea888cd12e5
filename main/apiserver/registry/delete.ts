// What a delete does to an object: remove it now, or only mark it (deletionTimestamp) because a grace
// period runs (the kind's graceful deletion), finalizers hold it (its own, or the garbage collector's
// for the propagation policy), or the kind keeps finalizers of its own.
import type { StoredObject } from '../../api/types';
import { clone, timestamp } from './objects';
import type { DeleteOptions } from './options';
import type { Strategy } from './strategy';

export type DeletionPlan =
  | { action: 'remove' }
  | { action: 'mark'; object: StoredObject }
  /** Already marked as this delete would mark it. */
  | { action: 'none' };

export function planDeletion(strategy: Strategy, current: StoredObject, opts: DeleteOptions, now: Date): DeletionPlan {
  const next = clone(current);
  const meta = next.metadata;
  let changed = false;

  const grace = strategy.gracefulDeletion?.(current, opts.gracePeriodSeconds);
  if (grace !== undefined) {
    // Marked already with a period no longer than this one: the pending deletion stands.
    if (meta.deletionTimestamp && meta.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds <= grace) return { action: 'none' };
    meta.deletionTimestamp = timestamp(new Date(now.getTime() + grace * 1000));
    meta.deletionGracePeriodSeconds = grace;
    changed = true;
  }
  // Propagation policy: the garbage collector honours these finalizers.
  const finalizers = new Set(meta.finalizers ?? []);
  const policy = opts.propagationPolicy;
  if (policy === 'Orphan' && !finalizers.has('orphan')) {
    finalizers.add('orphan');
    changed = true;
  } else if (policy === 'Foreground' && !finalizers.has('foregroundDeletion')) {
    finalizers.add('foregroundDeletion');
    changed = true;
  }
  meta.finalizers = finalizers.size ? [...finalizers] : undefined;
  if (!finalizers.size && !(strategy.kindFinalizers?.(next) ?? []).length && !changed) return { action: 'remove' };
  if (!meta.deletionTimestamp) {
    meta.deletionTimestamp = timestamp(now);
    meta.deletionGracePeriodSeconds ??= 0;
    changed = true;
  }
  if (strategy.markTerminating?.(next)) changed = true;
  return changed ? { action: 'mark', object: next } : { action: 'none' };
}
