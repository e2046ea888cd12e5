// Ownership for ordinary writes (create, update, patch): the fields a write changes become owned by
// its manager's Update entry and leave every other manager's set, so that a later apply of a
// different value conflicts with this manager (structured-merge-diff Updater.Update together with
// the API server's managedFieldsUpdater and stripMeta managers).
import type { KObject } from '../../api/types';
import { deepClone } from './json';
import { FieldSet } from './fieldpath';
import { decodeManagedFields, encodeManagedFields, isResetManagedFields, managerId, type ManagerRecord } from './managed-fields';
import type { PatchMeta } from './patchmeta';
import { compare } from './typed-fields';
import { ignoredFields, STRIPPED } from './ignored-fields';

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

function stripManaged(obj: KObject | undefined): KObject {
  if (!obj) return {};
  const metadata = { ...obj.metadata };
  delete metadata.managedFields;
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
  return safeDecode(input.old?.metadata?.managedFields) ?? new Map();
}

export function recordUpdate(input: UpdateInput): KObject {
  const { updated, manager, now, meta, subresource } = input;
  const apiVersion = String(updated.apiVersion ?? input.old?.apiVersion ?? '');
  const ignored = ignoredFields(subresource);
  const managers = startingManagers(input);
  const c = compare(stripManaged(input.old), stripManaged(updated), meta);
  // Server-owned metadata (resourceVersion, generation, …) changing alone is not a change by this manager.
  const changed = c.modified.union(c.added).recursiveDifference(ignored).difference(STRIPPED);
  const removed = c.removed.recursiveDifference(ignored);

  for (const rec of managers.values()) rec.set = rec.set.difference(changed).difference(removed);
  if (!changed.isEmpty()) {
    const id = managerId({ manager, operation: 'Update', apiVersion, subresource });
    const previous = managers.get(id);
    const set = (previous?.set ?? new FieldSet()).union(changed);
    managers.set(id, { manager, operation: 'Update', apiVersion, subresource, time: now, set });
  }

  const out = deepClone(updated);
  const entries = encodeManagedFields(managers.values());
  out.metadata = { ...out.metadata };
  if (entries.length > 0) out.metadata.managedFields = entries;
  else delete out.metadata.managedFields;
  return out;
}
