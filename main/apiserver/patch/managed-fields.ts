// managedFields entries: decoding them into field sets per manager, encoding them back in the order
// Kubernetes keeps them, and the identity of a manager (name, operation, subresource, and for
// updaters the apiVersion — appliers keep one entry whatever version they apply).
import { PatchError } from './errors';
import { deepEqual, isObject, type JsonObject } from './json';
import { FieldSet } from './fieldpath';
import { decodeFieldsV1 } from './fieldsv1-cache';

export type Operation = 'Apply' | 'Update';

export interface ManagedFieldsEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonObject;
  subresource?: string;
}

export interface ManagerRecord {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

export function managerId(r: Pick<ManagerRecord, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify([r.manager, r.operation, r.subresource ?? '', r.operation === 'Apply' ? '' : r.apiVersion]);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Decodes `metadata.managedFields`; throws PatchError on a malformed entry. */
export function decodeManagedFields(entries: unknown): Map<string, ManagerRecord> {
  const out = new Map<string, ManagerRecord>();
  if (entries === undefined || entries === null) return out;
  if (!Array.isArray(entries)) throw new PatchError('metadata.managedFields must be a list');
  entries.forEach((e, i) => {
    if (!isObject(e)) throw new PatchError(`managed fields entry ${i} is not an object`);
    const operation = e.operation;
    if (operation !== 'Apply' && operation !== 'Update') throw new PatchError('operation must be `Apply` or `Update`');
    const apiVersion = str(e.apiVersion);
    if (!apiVersion) throw new PatchError('apiVersion must not be empty');
    if (e.fieldsType === undefined || e.fieldsType === '') throw new PatchError(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new PatchError(`invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`);
    const rec: ManagerRecord = {
      manager: str(e.manager) ?? '', operation, apiVersion,
      subresource: str(e.subresource) || undefined,
      time: str(e.time),
      set: e.fieldsV1 === undefined || e.fieldsV1 === null ? new FieldSet() : decodeFieldsV1(e.fieldsV1),
    };
    out.set(managerId(rec), rec);
  });
  return out;
}

function seconds(t: string | undefined): number {
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

function cmp(a: string, b: string): number { return a < b ? -1 : a > b ? 1 : 0; }

/**
 * Encodes the records, dropping empty ones, sorted by operation, time, manager, apiVersion, subresource.
 * Each entry's fieldsV1 is its set's frozen encoding, shared: copy an entry before changing it.
 */
export function encodeManagedFields(records: Iterable<ManagerRecord>): ManagedFieldsEntry[] {
  const kept: Array<{ r: ManagerRecord; s: number }> = [];
  for (const r of records) if (!r.set.isEmpty()) kept.push({ r, s: seconds(r.time) });
  return kept
    .sort(({ r: p, s: ps }, { r: q, s: qs }) => cmp(p.operation, q.operation) || ps - qs || cmp(p.manager, q.manager)
      || cmp(p.apiVersion, q.apiVersion) || cmp(p.subresource ?? '', q.subresource ?? ''))
    .map(({ r }) => {
      const e: ManagedFieldsEntry = {
        manager: r.manager, operation: r.operation, apiVersion: r.apiVersion,
        ...(r.time !== undefined ? { time: r.time } : {}),
        fieldsType: 'FieldsV1', fieldsV1: r.set.frozenFieldsV1(),
        ...(r.subresource ? { subresource: r.subresource } : {}),
      };
      return e;
    });
}

/** `[]` or `[{}]` sent in an update asks to reset managedFields. */
export function isResetManagedFields(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  return entries.length === 1 && isObject(entries[0]) && Object.keys(entries[0]).length === 0;
}

/**
 * Do two managedFields lists differ only in their entries' times? Such a change alone is no change
 * (Kubernetes' IgnoreManagedFieldsTimestampsTransformer); a manager gained, lost or owning other fields is.
 */
export function sameManagedFieldsIgnoringTime(a: unknown, b: unknown): boolean {
  const x = Array.isArray(a) ? a : [];
  const y = Array.isArray(b) ? b : [];
  if (x.length !== y.length) return false;
  const untimed = (e: unknown): unknown => {
    if (!isObject(e)) return e;
    const { time: _time, ...rest } = e;
    return rest;
  };
  return x.every((e, i) => deepEqual(untimed(e), untimed(y[i])));
}
