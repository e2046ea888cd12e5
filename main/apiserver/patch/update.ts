// Ownership for ordinary writes (create, update, patch): the fields a write changes become owned by
// its manager's Update entry and leave every other manager's set, so that a later apply of a
// different value conflicts with this manager (structured-merge-diff Updater.Update together with
// the API server's managedFieldsUpdater, stripMeta and skipNonApplied managers).
import type { KObject } from '../../api/types';
import { FieldSet } from './fieldpath';
import { decodeManagedFields, encodeManagedFields, isResetManagedFields, managerId, type ManagerRecord } from './managed-fields';
import type { PatchMeta } from './patchmeta';
import { compare } from './typed-fields';
import { ignoredFields, STRIPPED } from './ignored-fields';
import { capUpdateManagers } from './cap-managers';
import { createdFields } from './created-fields';

export interface UpdateInput {
  old: KObject | undefined;
  updated: KObject;
  manager: string;
  operation: 'Update';
  now: string;
  meta: PatchMeta;
  /** 'status', 'scale', … when the write went through a subresource. */
  subresource?: string;
}

export function withoutManagedFields(obj: KObject | undefined): KObject {
  if (!obj) return {};
  const m = obj.metadata;
  if (!m || !Object.prototype.hasOwnProperty.call(m, 'managedFields')) return obj;
  // Copied key by key rather than spread and `delete`d: a deleted key turns the copy into a slow dictionary object.
  const metadata: Record<string, unknown> = {};
  for (const k in m) {
    if (k !== 'managedFields' && Object.prototype.hasOwnProperty.call(m, k)) metadata[k] = m[k as keyof typeof m];
  }
  return { ...obj, metadata };
}

function safeDecode(entries: unknown): Map<string, ManagerRecord> | undefined {
  try {
    return decodeManagedFields(entries);
  } catch {
    return undefined;
  }
}

/** Managed fields sent with the write win (a client may set them), unless empty, invalid or via a subresource. */
function startingManagers(input: UpdateInput): Map<string, ManagerRecord> {
  const sent = input.updated.metadata?.managedFields;
  if (!input.subresource) {
    if (isResetManagedFields(sent)) return new Map();
    const fromNew = safeDecode(sent);
    if (fromNew && fromNew.size > 0) return fromNew;
  }
  return safeDecode(input.old?.metadata?.managedFields) ?? new Map<string, ManagerRecord>();
}

export interface Writer { manager: string; apiVersion: string; subresource?: string }

/** The fields a write set or changed, and those it removed (none when `before` is empty). */
function changes(before: KObject, after: KObject, writer: Writer, meta: PatchMeta): { changed: FieldSet; removed: FieldSet } {
  const ignored = ignoredFields(writer.subresource);
  const c = compare(withoutManagedFields(before), withoutManagedFields(after), meta);
  // Server-owned metadata (resourceVersion, generation, …) changing alone is not a change by this manager.
  const changed = c.modified.union(c.added).recursiveDifference(ignored).difference(STRIPPED);
  const removed = c.removed.recursiveDifference(ignored);
  return { changed, removed };
}

function isEmptyObject(o: KObject): boolean {
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) return false;
  return true;
}

/** Moves the fields changed from `before` to `after` to `writer`'s Update entry (managers is modified). */
export function trackUpdate(managers: Map<string, ManagerRecord>, before: KObject, after: KObject, writer: Writer, now: string, meta: PatchMeta): void {
  const { changed, removed } = isEmptyObject(before)
    ? { changed: createdFields(withoutManagedFields(after), meta, writer.subresource, () => changes({}, after, writer, meta).changed), removed: new FieldSet() }
    : changes(before, after, writer, meta);
  for (const rec of managers.values()) rec.set = rec.set.difference(changed).difference(removed);
  if (!changed.isEmpty()) {
    const id = managerId({ ...writer, operation: 'Update' });
    const previous = managers.get(id);
    managers.set(id, { ...writer, operation: 'Update', time: now, set: (previous?.set ?? new FieldSet()).union(changed) });
  }
  for (const [id, rec] of managers) if (rec.set.isEmpty()) managers.delete(id);
}

/**
 * The object to store: `updated` with managed fields recorded. The result shares nested values
 * with `updated`, which the caller must not change afterwards.
 */
export function recordUpdate(input: UpdateInput): KObject {
  const { updated, manager, now, meta, subresource } = input;
  const managers = startingManagers(input);
  // The caller hands `updated` over: only the levels changed here are copied (the top level and
  // metadata); everything below is shared with `updated`.
  const base = withoutManagedFields(updated);
  const out: KObject = base.metadata ? { ...base, metadata: { ...base.metadata } } : { ...base };
  // An existing object without managed fields is not tracked until its first apply (skipNonApplied).
  if (managers.size === 0 && input.old?.metadata?.uid) return out;
  const apiVersion = String(updated.apiVersion ?? input.old?.apiVersion ?? '');
  trackUpdate(managers, input.old ?? {}, updated, { manager, apiVersion, subresource }, now, meta);
  capUpdateManagers(managers);
  const entries = encodeManagedFields(managers.values());
  if (entries.length > 0) out.metadata = { ...out.metadata, managedFields: entries };
  return out;
}
