// At most 10 Update entries are kept: the oldest are merged, per apiVersion, into an
// "ancient-changes" entry (apimachinery capmanagers.go, DefaultMaxUpdateManagers).
import { managerId, type ManagerRecord } from './managed-fields';

export const MAX_UPDATE_MANAGERS = 10;
const BUCKET = 'ancient-changes';

function seconds(t: string | undefined): number {
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/** Modifies `managers` in place. */
export function capUpdateManagers(managers: Map<string, ManagerRecord>, max = MAX_UPDATE_MANAGERS): void {
  const updaters = [...managers].filter(([, r]) => r.operation === 'Update').map(([id]) => id);
  if (updaters.length <= max) return;
  updaters.sort((a, b) => {
    const d = seconds(managers.get(a)?.time) - seconds(managers.get(b)?.time);
    return d !== 0 ? d : a < b ? -1 : a > b ? 1 : 0;
  });
  const firstByVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const id = updaters[i];
    const rec = managers.get(id) as ManagerRecord;
    const bucketId = managerId({ manager: BUCKET, operation: 'Update', apiVersion: rec.apiVersion });
    const first = firstByVersion.get(rec.apiVersion);
    if (first === undefined) {
      firstByVersion.set(rec.apiVersion, id);
      continue;
    }
    if (!managers.has(bucketId)) {
      const firstRec = managers.get(first) as ManagerRecord;
      managers.delete(first);
      managers.set(bucketId, { ...firstRec, manager: BUCKET, operation: 'Update', subresource: undefined });
    }
    const bucket = managers.get(bucketId) as ManagerRecord;
    managers.set(bucketId, { ...bucket, set: rec.set.union(bucket.set), time: rec.time });
    managers.delete(id);
    length--;
  }
}
