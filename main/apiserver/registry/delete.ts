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

  const grace = graceStep(strategy, current, opts.gracePeriodSeconds, now);
  // A deletion already pending with a period no longer than this one stands, finalizers and all.
  if (grace.action === 'pending') return { action: 'none' };
  if (grace.action === 'mark' || grace.action === 'shortened') {
    meta.deletionTimestamp = grace.timestamp;
    meta.deletionGracePeriodSeconds = grace.seconds;
    changed = true;
  }
  // Propagation policy: the garbage collector honours these finalizers.
  const finalizers = new Set(meta.finalizers ?? []);
  // No policy asked for: a GC finalizer the object already has stands, else the kind's default (deletionFinalizersForGarbageCollection).
  const policy = opts.propagationPolicy
    ?? (finalizers.has('orphan') || finalizers.has('foregroundDeletion') ? undefined : strategy.defaultGarbageCollectionPolicy);
  if (policy === 'Orphan' && !finalizers.has('orphan')) {
    finalizers.add('orphan');
    changed = true;
  } else if (policy === 'Foreground' && !finalizers.has('foregroundDeletion')) {
    finalizers.add('foregroundDeletion');
    changed = true;
  }
  meta.finalizers = finalizers.size ? [...finalizers] : undefined;
  const held = finalizers.size > 0 || (strategy.kindFinalizers?.(next) ?? []).length > 0;
  // Nothing holds it and no grace period runs: the shortened period 0 of a marked object, or no mark at all.
  if (!held && (grace.action === 'shortened' ? grace.seconds === 0 : !changed)) return { action: 'remove' };
  if (!meta.deletionTimestamp) {
    meta.deletionTimestamp = timestamp(now);
    meta.deletionGracePeriodSeconds ??= 0;
    changed = true;
  }
  if (strategy.markTerminating?.(next)) changed = true;
  return changed ? { action: 'mark', object: next } : { action: 'none' };
}

/** What a delete does to the grace period (Kubernetes' rest.BeforeDelete). */
type GraceStep =
  /** The kind deletes at once, or the object's pending period is 0: finalizers alone decide. */
  | { action: 'none' }
  /** First graceful deletion: marked to go at `timestamp`. */
  | { action: 'mark'; seconds: number; timestamp: string }
  /** A marked object's period made shorter (only shorter: 0 is the confirmation that it may go now). */
  | { action: 'shortened'; seconds: number; timestamp: string }
  /** Already marked with a period no longer than the one asked for, or none asked for. */
  | { action: 'pending' };

function graceStep(strategy: Strategy, current: StoredObject, requested: number | undefined, now: Date): GraceStep {
  if (!strategy.gracefulDeletion) return { action: 'none' };
  const meta = current.metadata;
  if (meta.deletionTimestamp) {
    const period = meta.deletionGracePeriodSeconds;
    if (!period) return { action: 'none' };
    if (requested === undefined || requested >= period) return { action: 'pending' };
    // The deadline moves back by the difference, never into the past; a graceful request whose whole
    // period has passed keeps 1 s, so that the one running the object still confirms.
    let at = Date.parse(meta.deletionTimestamp) - (period - requested) * 1000;
    let seconds = requested;
    if (at < now.getTime()) {
      at = now.getTime();
      if (seconds !== 0) seconds = 1;
    }
    return { action: 'shortened', seconds, timestamp: timestamp(new Date(at)) };
  }
  const seconds = strategy.gracefulDeletion(current, requested);
  if (seconds === undefined) return { action: 'none' };
  return { action: 'mark', seconds, timestamp: timestamp(new Date(now.getTime() + seconds * 1000)) };
}
