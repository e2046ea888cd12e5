// A Job's status write (pkg/apis/batch/validation validateJobStatus, with the options the Job status strategy
// sets in getStatusValidationOptions): status.completedIndexes and status.failedIndexes, when the write changes
// them, must be increasing intervals ("1,3-5") of indexes below spec.completions, completedIndexes only for an
// Indexed Job, failedIndexes only with backoffLimitPerIndex, and the two must not overlap.
import type { KObject } from '../types';
import type { Cause } from './cause';
import { invalid } from './cause';
import { obj } from './read';

interface Interval {
  x: number;
  y: number;
}

/** strconv.Atoi: an optional sign and decimal digits, within int64. */
function atoi(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** parseIndexInterval: "x" or "x-y" with x < y, both below `completions`; the error as Kubernetes words it. */
function parseInterval(s: string, completions: number): Interval | string {
  const limits = s.split('-');
  if (limits.length > 2) return `the fragment "${s}" violates the requirement that an index interval can have at most two parts separated by '-'`;
  const x = atoi(limits[0]);
  if (x === undefined) return `cannot convert string to integer for index: "${limits[0]}"`;
  if (x >= completions) return `too large index: "${limits[0]}"`;
  if (limits.length === 1) return { x, y: x };
  const y = atoi(limits[1]);
  if (y === undefined) return `cannot convert string to integer for index: "${limits[1]}"`;
  if (y >= completions) return `too large index: "${limits[1]}"`;
  if (x >= y) return `non-increasing order, previous: ${x}, current: ${y}`;
  return { x, y };
}

/** validateIndexesFormat: the first error of an interval list, if any (the empty list is valid). */
export function indexesFormatError(indexes: string, completions: number): string | undefined {
  if (!indexes) return undefined;
  let last: number | undefined;
  for (const part of indexes.split(',')) {
    const iv = parseInterval(part, completions);
    if (typeof iv === 'string') return iv;
    if (last !== undefined && last >= iv.x) return `non-increasing order, previous: ${last}, current: ${iv.x}`;
    last = iv.y;
  }
  return undefined;
}

/** validateFailedIndexesNotOverlapCompleted: walks both lists in order, skipping intervals that do not parse. */
function overlapError(completed: string, failed: string, completions: number): string | undefined {
  if (!completed || !failed) return undefined;
  const cs = completed.split(',');
  const fs = failed.split(',');
  let ci = 0;
  let fi = 0;
  let c = parseInterval(cs[0], completions);
  let f = parseInterval(fs[0], completions);
  while (ci < cs.length && fi < fs.length) {
    if (typeof c === 'string') {
      if (++ci < cs.length) c = parseInterval(cs[ci], completions);
    } else if (typeof f === 'string') {
      if (++fi < fs.length) f = parseInterval(fs[fi], completions);
    } else {
      if (c.x <= f.y && f.x <= c.y) return `failedIndexes and completedIndexes overlap at index: ${Math.max(c.x, f.x)}`;
      if (c.x <= f.x) {
        if (++ci < cs.length) c = parseInterval(cs[ci], completions);
      } else if (++fi < fs.length) f = parseInterval(fs[fi], completions);
    }
  }
  return undefined;
}

function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function validateJobStatusUpdate(next: KObject, prev: KObject): Cause[] {
  const spec = obj(next.spec);
  const status = obj(next.status);
  const old = obj(prev.status);
  const completions = typeof spec.completions === 'number' ? spec.completions : undefined;
  const perIndex = spec.backoffLimitPerIndex !== undefined && spec.backoffLimitPerIndex !== null;
  const indexed = spec.completionMode === 'Indexed';
  const completed = optionalString(status.completedIndexes) ?? '';
  const failed = optionalString(status.failedIndexes);
  // Each rule applies only when the write changes what it checks, so a status valid before stays writable.
  const completedChanged = completed !== (optionalString(old.completedIndexes) ?? '');
  const failedChanged = failed !== optionalString(old.failedIndexes);
  const causes: Cause[] = [];
  if (completedChanged && completions !== undefined) {
    const err = indexesFormatError(completed, completions);
    if (err) causes.push(invalid('status.completedIndexes', completed, `error parsing completedIndexes: ${err}`));
  }
  if (failedChanged && completions !== undefined && perIndex && failed !== undefined) {
    const err = indexesFormatError(failed, completions);
    if (err) causes.push(invalid('status.failedIndexes', failed, `error parsing failedIndexes: ${err}`));
  }
  if (completedChanged && completed && !indexed) {
    causes.push(invalid('status.completedIndexes', completed, 'cannot set non-empty completedIndexes when non-indexed completion mode'));
  }
  if (failedChanged && !perIndex && failed !== undefined) {
    causes.push(invalid('status.failedIndexes', failed, 'cannot set non-null failedIndexes when backoffLimitPerIndex is null'));
  }
  if ((failedChanged || completedChanged) && completions !== undefined && failed !== undefined) {
    const err = overlapError(completed, failed, completions);
    if (err) causes.push(invalid('status.failedIndexes', failed, err));
  }
  return causes;
}
