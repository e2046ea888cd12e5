// Turns a queue of write requests into log rows, events and results, checking each request in
// order against the state as the batch goes (so two CAS updates with one expected revision: the
// first wins, the second gets Conflict). Pure: nothing is applied until the caller commits.
import type { LogRow } from './log-db';
import { StoreError, type KV, type StoreEvent } from './types';

export type WriteRequest =
  | { op: 'create'; key: string; value: string }
  | { op: 'update'; key: string; value: string; expectedRevision?: number }
  | { op: 'delete'; key: string; expectedRevision?: number };

export interface PlannedBatch {
  rows: LogRow[];
  events: StoreEvent[];
  /** Per request, in order: the KV to resolve with, or the error to reject with. */
  outcomes: (KV | StoreError)[];
  /** Key → new KV, or null when deleted; apply after commit. */
  changes: Map<string, KV | null>;
  /** The revision of the last row (= `revision` when nothing was written). */
  revision: number;
}

export function planBatch(
  requests: readonly WriteRequest[],
  current: (key: string) => KV | undefined,
  revision: number,
): PlannedBatch {
  const changes = new Map<string, KV | null>();
  const rows: LogRow[] = [];
  const events: StoreEvent[] = [];
  const outcomes: (KV | StoreError)[] = [];
  const lookup = (key: string): KV | undefined => {
    const changed = changes.get(key);
    return changed === undefined ? current(key) : (changed ?? undefined);
  };

  for (const req of requests) {
    const cur = lookup(req.key);
    const problem = check(req, cur);
    if (problem) {
      outcomes.push(problem);
      continue;
    }
    const rev = ++revision;
    if (req.op === 'delete' && cur) {
      const kv: KV = { key: req.key, value: cur.value, createRevision: cur.createRevision, modRevision: rev };
      rows.push({ id: rev, key: req.key, value: cur.value, createRevision: cur.createRevision, prevRevision: cur.modRevision, deleted: true });
      events.push(Object.freeze<StoreEvent>({ type: 'DELETE', key: req.key, revision: rev, createRevision: cur.createRevision, value: cur.value, prevValue: cur.value, created: false }));
      changes.set(req.key, null);
      outcomes.push(Object.freeze(kv));
    } else if (req.op !== 'delete') {
      const createRevision = cur ? cur.createRevision : rev;
      const kv: KV = { key: req.key, value: req.value, createRevision, modRevision: rev };
      rows.push({ id: rev, key: req.key, value: req.value, createRevision, prevRevision: cur ? cur.modRevision : 0, deleted: false });
      const event: StoreEvent = { type: 'PUT', key: req.key, revision: rev, createRevision, value: req.value, created: !cur };
      if (cur) {
        event.prevValue = cur.value;
        event.prevRevision = cur.modRevision;
      }
      events.push(Object.freeze(event));
      Object.freeze(kv);
      changes.set(req.key, kv);
      outcomes.push(kv);
    }
  }
  return { rows, events, outcomes, changes, revision };
}

function check(req: WriteRequest, cur: KV | undefined): StoreError | undefined {
  if (req.op === 'create') {
    return cur ? new StoreError('AlreadyExists', `key ${req.key} already exists`, cur.modRevision) : undefined;
  }
  if (!cur) return new StoreError('NotFound', `key ${req.key} not found`);
  if (req.expectedRevision !== undefined && req.expectedRevision !== cur.modRevision) {
    return new StoreError(
      'Conflict',
      `key ${req.key}: expected revision ${req.expectedRevision}, current is ${cur.modRevision}`,
      cur.modRevision,
    );
  }
  return undefined;
}
