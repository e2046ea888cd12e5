// The Job strategy (pkg/registry/batch/job/strategy.go): metadata.generation tracks the spec, and on
// create, unless spec.manualSelector, the selector is generated from the Job's uid and the pod
// template labelled to match (controller-uid and job-name, legacy and batch.kubernetes.io/ forms).
import {
  CONTROLLER_UID_LABEL, JOB_NAME_LABEL, LEGACY_CONTROLLER_UID_LABEL, LEGACY_JOB_NAME_LABEL,
} from '../../../api/batch';
import type { KObject } from '../../../api/types';
import type { Strategy } from '../strategy';

type Obj = Record<string, unknown>;

function objAt(o: Obj, k: string): Obj {
  const v = o[k];
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Obj;
  const n: Obj = {};
  o[k] = n;
  return n;
}

/** generateSelector: labels the template (keeping labels the user set; validation refuses wrong ones) and selects controller-uid. */
export function generateJobSelector(job: KObject): void {
  const spec = objAt(job, 'spec');
  if (spec.manualSelector === true) return;
  const uid = job.metadata?.uid ?? '';
  const name = job.metadata?.name ?? '';
  const labels = objAt(objAt(objAt(spec, 'template'), 'metadata'), 'labels');
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (!(key in labels)) labels[key] = name;
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) if (!(key in labels)) labels[key] = uid;
  const matchLabels = objAt(objAt(spec, 'selector'), 'matchLabels');
  if (!(CONTROLLER_UID_LABEL in matchLabels)) matchLabels[CONTROLLER_UID_LABEL] = uid;
}

export const jobStrategy: Strategy = { tracksGeneration: true, prepareForCreate: generateJobSelector, defaultGarbageCollectionPolicy: 'Orphan' };
