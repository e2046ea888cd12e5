// A Job's status writes: status.completedIndexes and status.failedIndexes with Kubernetes' messages
// (pkg/apis/batch/validation validateJobStatus and the status strategy's options) — interval format,
// increasing order, indexes within completions, completedIndexes only for Indexed Jobs, failedIndexes only
// with backoffLimitPerIndex, no overlap — each checked only when the write changes it.
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import { validateStatusUpdate } from '../../../main/api/validation';
import { indexesFormatError } from '../../../main/api/validation/job-status';

function job(spec: Record<string, unknown>, status: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name: 'work', namespace: 'default', uid: 'u-1', resourceVersion: '5', creationTimestamp: '2026-12-03T10:00:00Z' },
    spec: { completions: 5, parallelism: 2, completionMode: 'Indexed', backoffLimitPerIndex: 1, template: {}, ...spec },
    status,
  };
}

/** The causes of writing `status` over `old` (both on `spec`). */
function write(spec: Record<string, unknown>, status: Record<string, unknown>, old: Record<string, unknown> = {}): Array<{ field: string; message: string }> {
  return validateStatusUpdate('Job', job(spec, status), job(spec, old)).map(({ field, message }) => ({ field, message }));
}

describe('Job status validation: completedIndexes and failedIndexes', () => {
  it('accepts increasing intervals within completions, disjoint failed and completed indexes', () => {
    expect(write({}, { completedIndexes: '0,2-3', failedIndexes: '1,4' })).toEqual([]);
    expect(write({}, { completedIndexes: '', failedIndexes: '' })).toEqual([]);
    expect(write({}, { completedIndexes: '0-4' })).toEqual([]);
  });

  it('refuses badly formed, unordered and out-of-range indexes with the parse error', () => {
    const cases: Array<[string, string]> = [
      ['0,0', 'non-increasing order, previous: 0, current: 0'],
      ['3,1', 'non-increasing order, previous: 3, current: 1'],
      ['0-2,2', 'non-increasing order, previous: 2, current: 2'],
      ['2-1', 'non-increasing order, previous: 2, current: 1'],
      ['2-2', 'non-increasing order, previous: 2, current: 2'],
      ['5', 'too large index: "5"'],
      ['1-7', 'too large index: "7"'],
      ['a', 'cannot convert string to integer for index: "a"'],
      ['1,', 'cannot convert string to integer for index: ""'],
      ['-1', 'cannot convert string to integer for index: ""'],
      ['0-1-2', 'the fragment "0-1-2" violates the requirement that an index interval can have at most two parts separated by \'-\''],
    ];
    for (const [value, err] of cases) {
      expect(write({}, { completedIndexes: value }), value).toEqual([
        { field: 'status.completedIndexes', message: `Invalid value: "${value}": error parsing completedIndexes: ${err}` },
      ]);
    }
    expect(write({}, { failedIndexes: '4,1' })).toEqual([
      { field: 'status.failedIndexes', message: 'Invalid value: "4,1": error parsing failedIndexes: non-increasing order, previous: 4, current: 1' },
    ]);
    expect(indexesFormatError('+1,03', 5)).toBeUndefined(); // as strconv.Atoi reads them
  });

  it('refuses completedIndexes on a non-Indexed Job and failedIndexes without backoffLimitPerIndex', () => {
    expect(write({ completionMode: 'NonIndexed', backoffLimitPerIndex: undefined }, { completedIndexes: '1', failedIndexes: '' })).toEqual([
      { field: 'status.completedIndexes', message: 'Invalid value: "1": cannot set non-empty completedIndexes when non-indexed completion mode' },
      { field: 'status.failedIndexes', message: 'Invalid value: "": cannot set non-null failedIndexes when backoffLimitPerIndex is null' },
    ]);
    expect(write({ backoffLimitPerIndex: undefined }, { failedIndexes: '2' })).toEqual([
      { field: 'status.failedIndexes', message: 'Invalid value: "2": cannot set non-null failedIndexes when backoffLimitPerIndex is null' },
    ]);
  });

  it('refuses failed indexes overlapping completed ones, naming the first shared index', () => {
    expect(write({}, { completedIndexes: '0,2-3', failedIndexes: '1,3-4' })).toEqual([
      { field: 'status.failedIndexes', message: 'Invalid value: "1,3-4": failedIndexes and completedIndexes overlap at index: 3' },
    ]);
    // A completed index added over a failed one counts too.
    expect(write({}, { completedIndexes: '1', failedIndexes: '1' }, { failedIndexes: '1' })).toEqual([
      { field: 'status.failedIndexes', message: 'Invalid value: "1": failedIndexes and completedIndexes overlap at index: 1' },
    ]);
  });

  it('checks only what the write changes: a status invalid before may be written again unchanged', () => {
    const bad = { completedIndexes: '3,1' };
    expect(write({}, { ...bad, active: 1 }, bad)).toEqual([]);
    expect(write({}, { completedIndexes: '9' }, bad)).toEqual([
      { field: 'status.completedIndexes', message: 'Invalid value: "9": error parsing completedIndexes: too large index: "9"' },
    ]);
  });
});
