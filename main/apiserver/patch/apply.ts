// Server-side apply (`application/apply-patch+yaml`), after structured-merge-diff's Updater.Apply as
// the API server wraps it: the applied config becomes the manager's Apply entry, fields it owned
// before and no longer applies are pruned unless someone else owns them, and fields owned by other
// managers that the apply changes are conflicts unless forced (forcing takes them over).
import type { KObject } from '../../api/types';
import { PatchError } from './errors';
import { deepEqual, isObject } from './json';
import { FieldSet, pathToString, type Path } from './fieldpath';
import { decodeManagedFields, encodeManagedFields, managerId, type ManagerRecord } from './managed-fields';
import type { PatchMeta } from './patchmeta';
import { compare, ensureNamedFieldsAreMembers, toFieldSet } from './typed-fields';
import { mergeTyped, removeItems } from './typed-merge';
import { ignoredFields, STRIPPED } from './ignored-fields';
import { allowedFromLastApplied, refreshLastApplied } from './last-applied';
import type { ApplyConflict } from './conflicts';
import { validateAppliedConfig } from './apply-validate';

export { conflictMessage, conflictCauses, type ApplyConflict } from './conflicts';
export { recordUpdate } from './update';
import { trackUpdate, withoutManagedFields } from './update';

export interface ApplyInput {
  live: KObject | undefined;
  applied: KObject;
  manager: string;
  force: boolean;
  now: string;
  meta: PatchMeta;
  /** 'status' when applying to the status subresource. */
  subresource?: string;
}

export type ApplyResult = { object: KObject } | { conflicts: ApplyConflict[] };

export function serverSideApply(input: ApplyInput): ApplyResult {
  const { live, applied, manager, meta } = input;
  validate(applied, live);
  validateAppliedConfig(applied, meta, `${String(applied.apiVersion)}, Kind=${String(applied.kind)} ${applied.metadata?.namespace ?? ''}/${applied.metadata?.name ?? ''}`);
  const first = applyOnce(input, input.force);
  if (!('conflicts' in first) || manager !== 'kubectl' || input.force || !live) return finish(first, input);
  const allowed = allowedFromLastApplied(live, meta);
  if (!allowed) return finish(first, input);
  const remaining = first.conflicts.filter((c) => !allowed.has(c.path));
  if (remaining.length > 0) return { conflicts: remaining.map((c) => c.conflict) };
  return finish(applyOnce(input, true), input);
}

function finish(r: Attempt, input: ApplyInput): ApplyResult {
  if ('conflicts' in r) return { conflicts: r.conflicts.map((c) => c.conflict) };
  return { object: input.manager === 'kubectl' ? refreshLastApplied(r.object, input.applied, input.live) : r.object };
}

function validate(applied: KObject, live: KObject | undefined): void {
  if (!isObject(applied)) throw new PatchError('the apply patch must be an object', 400);
  if (applied.metadata?.managedFields !== undefined && applied.metadata.managedFields !== null) {
    throw new PatchError('metadata.managedFields must be nil', 400);
  }
  if (live && live.apiVersion && applied.apiVersion !== live.apiVersion) {
    throw new PatchError(`Incorrect version specified in apply patch. Specified patch version: ${String(applied.apiVersion)}, expected: ${live.apiVersion}`, 400);
  }
  if (live && live.kind && applied.kind !== live.kind) {
    throw new PatchError(`Incorrect kind specified in apply patch. Specified patch kind: ${String(applied.kind)}, expected: ${live.kind}`, 400);
  }
}

type Attempt = { object: KObject } | { conflicts: Array<{ conflict: ApplyConflict; path: Path }> };

function applyOnce(input: ApplyInput, force: boolean): Attempt {
  const { live, applied, manager, now, meta, subresource } = input;
  const apiVersion = String(applied.apiVersion ?? live?.apiVersion ?? '');
  const ignored = ignoredFields(subresource);
  const config = (removeItems(applied, ignored, meta) ?? {}) as KObject;
  const liveObj: KObject = live ? withoutManagedFields(live) : {};
  const managers = decodeManagedFields(live?.metadata?.managedFields);
  if (live && managers.size === 0) {
    // Fields that exist before the first apply belong to "before-first-apply" (skipNonApplied).
    trackUpdate(managers, {}, liveObj, { manager: 'before-first-apply', apiVersion: String(live.apiVersion ?? apiVersion), subresource }, now, meta);
  }

  const id = managerId({ manager, operation: 'Apply', apiVersion, subresource });
  const previous = managers.get(id);
  const applierSet = toFieldSet(config, meta).recursiveDifference(ignored);
  managers.set(id, { manager, operation: 'Apply', apiVersion, subresource, time: previous?.time, set: applierSet });

  const merged = mergeTyped(liveObj, config, meta);
  const pruned = (previous ? prune(merged, managers, previous.set, meta) : merged) as KObject;

  const c = compare(liveObj, pruned, meta);
  const changed = c.modified.union(c.added).recursiveDifference(ignored);
  const removed = c.removed.recursiveDifference(ignored);
  const conflicts: Array<{ conflict: ApplyConflict; path: Path }> = [];
  for (const [mid, rec] of [...managers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (mid === id) continue;
    const overlap = rec.set.intersection(changed);
    if (overlap.isEmpty()) continue;
    for (const path of overlap.paths()) conflicts.push({ conflict: describe(rec, pathToString(path)), path });
  }
  if (conflicts.length > 0 && !force) return { conflicts };

  for (const [mid, rec] of managers) if (mid !== id) rec.set = rec.set.difference(changed).difference(removed);
  const self = managers.get(id) as ManagerRecord;
  self.set = self.set.difference(STRIPPED);
  if (!previous || !deepEqual(pruned, liveObj) || self.time === undefined) self.time = now;

  const object: KObject = { ...pruned, metadata: { ...(isObject(pruned.metadata) ? pruned.metadata : {}) } };
  const entries = encodeManagedFields(managers.values());
  if (entries.length > 0) object.metadata = { ...object.metadata, managedFields: entries };
  else delete object.metadata?.managedFields;
  return { object };
}

function describe(rec: ManagerRecord, field: string): ApplyConflict {
  return {
    manager: rec.manager, field, operation: rec.operation, apiVersion: rec.apiVersion,
    ...(rec.subresource ? { subresource: rec.subresource } : {}),
  };
}

/** Removes what the applier owned last time, no longer applies, and nobody else owns. */
function prune(merged: unknown, managers: Map<string, ManagerRecord>, lastSet: FieldSet, meta: PatchMeta): unknown {
  if (lastSet.isEmpty()) return merged;
  let managed = new FieldSet();
  for (const rec of managers.values()) managed = managed.union(rec.set);
  const toRemove = ensureNamedFieldsAreMembers(lastSet, meta)
    .difference(ensureNamedFieldsAreMembers(managed, meta))
    .difference(STRIPPED);
  return removeItems(merged, toRemove, meta) ?? {};
}
