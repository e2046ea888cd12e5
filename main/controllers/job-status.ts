// How the job controller writes a Job's status: as a merge patch of the status subresource, sent only
// when something changed; what is to go is sent as null (an empty uncountedTerminatedPods list as well).
import type { JobStatus } from '../api/types';
import { compareCodePoints } from '../api/string-order';

/** The status as compared: unset fields and zero counts left out (the API stores `active: 0` as absent: omitempty). */
function normal(s: JobStatus): unknown {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s).sort(([a], [b]) => compareCodePoints(a, b))) if (v !== undefined && v !== null && v !== 0) out[k] = v;
  return out;
}

export function sameStatus(a: JobStatus, b: JobStatus): boolean {
  return JSON.stringify(normal(a)) === JSON.stringify(normal(b));
}

/** The merge patch body that makes the stored status `next`. */
export function statusPatch(next: JobStatus): Record<string, unknown> {
  const u = next.uncountedTerminatedPods;
  const uncountedTerminatedPods = { succeeded: u?.succeeded?.length ? u.succeeded : null, failed: u?.failed?.length ? u.failed : null };
  return {
    ...next, uncountedTerminatedPods, startTime: next.startTime ?? null, completionTime: next.completionTime ?? null, conditions: next.conditions ?? null,
  };
}
