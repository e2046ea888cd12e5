// The generic part of an update (PUT, PATCH, a subresource write, an in-process mutate): what of the
// new object is kept, the fields the server owns, defaults, and metadata.generation — and whether the
// update finishes a pending deletion.
import type { ResourceInfo } from '../../api/resources';
import { apiVersionOf } from '../../api/resources';
import type { KObject, ObjectMeta, StoredObject } from '../../api/types';
import { applyDefaults } from '../../api/defaults';
import type { DefaultingOptions } from '../../api/defaults';
import { canonicalStatusQuantities, roundTripAsGo } from '../../api/schema/go-round-trip';
import { errors } from '../status';
import { clone, deepEqual, specPart } from './objects';
import type { Strategy } from './strategy';

function withoutMetadata(o: KObject): KObject {
  const { metadata: _, ...rest } = o;
  return rest;
}

export function hasStatusSubresource(r: ResourceInfo): boolean {
  return r.subresources.some((s) => s.name === 'status');
}

/** What of `next` a write through `subresource` (or the main resource) takes over `current`. */
function admittedChanges(r: ResourceInfo, strategy: Strategy, current: StoredObject, next: KObject, subresource: string | undefined): KObject {
  // The status subresource changes only status; everything else stays as stored.
  if (subresource === 'status') return { ...current, metadata: { ...current.metadata }, status: next.status };
  // A subresource of the kind's own changes only what its strategy lets through.
  const own = subresource ? strategy.subresourceUpdates?.[subresource] : undefined;
  if (own) return own(current, next);
  // The main resource does not change status (it has its own subresource), nor what the kind keeps.
  if (hasStatusSubresource(r)) {
    if (current.status === undefined) delete next.status;
    else next.status = clone(current.status);
  }
  strategy.prepareForUpdate?.(next, current);
  return next;
}

/**
 * `next` as written over `current` (same name), ready for validation: the changes the write may make,
 * the server's own metadata, defaults, and the generation. Throws if it adds a finalizer to an
 * object being deleted.
 */
export function prepareUpdate(
  r: ResourceInfo, strategy: Strategy, current: StoredObject, input: KObject, subresource: string | undefined, defaulting: DefaultingOptions = {},
): KObject {
  const cur = current.metadata;
  input.metadata ??= {};
  input.apiVersion = apiVersionOf(r);
  input.kind = r.kind;
  const next = admittedChanges(r, strategy, current, input, subresource);
  const nm = next.metadata as ObjectMeta;
  // Fields the server owns.
  nm.uid = cur.uid;
  nm.creationTimestamp = cur.creationTimestamp;
  nm.namespace = cur.namespace;
  nm.name = cur.name;
  nm.deletionTimestamp = cur.deletionTimestamp;
  nm.deletionGracePeriodSeconds = cur.deletionGracePeriodSeconds;
  if (nm.deletionTimestamp === undefined) delete nm.deletionTimestamp;
  if (nm.deletionGracePeriodSeconds === undefined) delete nm.deletionGracePeriodSeconds;
  if (cur.deletionTimestamp && (nm.finalizers ?? []).some((f) => !(cur.finalizers ?? []).includes(f))) {
    throw errors.invalid(r.kind, r.group, cur.name, `${r.kind} "${cur.name}" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted`, [
      { reason: 'FieldValueForbidden', message: 'Forbidden: no new finalizers can be added if the object is being deleted', field: 'metadata.finalizers' },
    ]);
  }
  if (subresource === 'status') {
    canonicalStatusQuantities(apiVersionOf(r), r.kind, next); // a Node's capacity, a claim's: stored as Go writes them
  } else {
    roundTripAsGo(apiVersionOf(r), r.kind, next);
    strategy.normalize?.(next);
    applyDefaults(r.kind, next, defaulting);
  }
  if (strategy.tracksGeneration) {
    const generation = cur.generation ?? 1;
    // A CRD's object without a status subresource counts every change but metadata (its status too).
    const part = r.crd && !hasStatusSubresource(r) ? withoutMetadata : specPart;
    nm.generation = deepEqual(part(current), part(next)) ? generation : generation + 1;
  } else {
    delete nm.generation;
  }
  return next;
}

/**
 * An update of an object being deleted removes it when nothing holds it any more: no finalizer of
 * either kind left and no grace period running (Kubernetes' ShouldDeleteDuringUpdate).
 */
export function finishesDeletion(strategy: Strategy, current: StoredObject, next: KObject): boolean {
  const cur = current.metadata;
  if (!cur.deletionTimestamp || (cur.deletionGracePeriodSeconds ?? 0) > 0) return false;
  return !(next.metadata?.finalizers ?? []).length && !(strategy.kindFinalizers?.(next) ?? []).length;
}
