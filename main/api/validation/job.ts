// Job validation (pkg/apis/batch/validation: ValidateJob, ValidateJobSpecUpdate): the generated
// selector and labels, the spec, and what an update may change.
import type { KObject } from '../types';
import { selectorFromLabelSelector } from '../labels';
import {
  CONTROLLER_UID_LABEL as CONTROLLER_UID, JOB_NAME_LABEL as JOB_NAME,
  LEGACY_CONTROLLER_UID_LABEL as LEGACY_CONTROLLER_UID, LEGACY_JOB_NAME_LABEL as LEGACY_JOB_NAME,
} from '../batch';
import type { Cause } from './cause';
import { immutable, invalid, required } from './cause';
import { GoRepr, goLabelSelector, goStringMap } from './gofmt';
import { validateJobSpec } from './job-spec';
import { isDNS1123Label } from './names';
import { isObj, obj, semanticEqual, strMap } from './read';
import { validateLabelSelector } from './selector';
import { selectorImmutable } from './workload';

function hasLabel(labels: Record<string, string> | undefined, key: string, want: string): Cause[] {
  const path = `spec.template.metadata.labels[${key}]`;
  if (!labels || !(key in labels)) return [required(path, `must be '${want}'`)];
  return labels[key] === want ? [] : [invalid(path, goStringMap(labels), `must be '${want}'`)];
}

/** validateGeneratedSelector: unless manualSelector, the template carries the generated labels and the selector selects them. */
function validateGeneratedSelector(job: KObject): Cause[] {
  const spec = obj(job.spec);
  if (spec.manualSelector === true || !isObj(spec.selector)) return [];
  const uid = job.metadata?.uid ?? '';
  const name = job.metadata?.name ?? '';
  const causes: Cause[] = uid ? [] : [required('metadata.uid')];
  const labels = strMap(obj(obj(spec.template).metadata).labels);
  causes.push(...hasLabel(labels, LEGACY_CONTROLLER_UID, uid), ...hasLabel(labels, LEGACY_JOB_NAME, name));
  causes.push(...hasLabel(labels, CONTROLLER_UID, uid), ...hasLabel(labels, JOB_NAME, name));
  const expected = { [CONTROLLER_UID]: uid, [JOB_NAME]: name, [LEGACY_CONTROLLER_UID]: uid, [LEGACY_JOB_NAME]: name };
  try {
    if (!selectorFromLabelSelector(spec.selector).matches(expected)) causes.push(invalid('spec.selector', goLabelSelector(spec.selector), '`selector` not auto-generated'));
  } catch {
    // an invalid selector is reported by the selector's own validation
  }
  return causes;
}

/** ValidateJobSpec: validateJobSpec plus a required selector that matches the template's labels. */
function validateJobSpecWithSelector(specIn: unknown): Cause[] {
  const spec = obj(specIn);
  const causes = validateJobSpec(spec, 'spec');
  if (!isObj(spec.selector)) {
    causes.push(required('spec.selector'));
    return causes;
  }
  causes.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  try {
    const labels = strMap(obj(obj(spec.template).metadata).labels);
    if (!selectorFromLabelSelector(spec.selector).matches(labels ?? {})) {
      causes.push(invalid('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
    }
  } catch {
    // reported above
  }
  return causes;
}

export function validateJob(job: KObject): Cause[] {
  const causes = [...validateGeneratedSelector(job), ...validateJobSpecWithSelector(job.spec)];
  const spec = obj(job.spec);
  if (spec.completionMode === 'Indexed' && typeof spec.completions === 'number' && spec.completions > 0) {
    const host = `${job.metadata?.name ?? ''}-${spec.completions - 1}`;
    if (isDNS1123Label(host).length) causes.push(invalid('metadata.name', job.metadata?.name ?? '', `will not able to create pod with invalid DNS label: ${host}`));
  }
  return causes;
}

/** The template of a suspended Job that never started may change its scheduling directives (AllowMutableSchedulingDirectives). */
function comparableTemplate(next: Record<string, unknown>, prev: Record<string, unknown>, mutableScheduling: boolean): unknown {
  if (!mutableScheduling) return prev;
  const old = structuredClone(prev);
  const n = obj(next);
  const oldMeta = obj(old.metadata);
  const newMeta = obj(n.metadata);
  old.metadata = { ...oldMeta, labels: newMeta.labels, annotations: newMeta.annotations };
  const oldSpec = obj(old.spec);
  const newSpec = obj(n.spec);
  const affinity = isObj(oldSpec.affinity) || isObj(newSpec.affinity)
    ? { ...obj(oldSpec.affinity), nodeAffinity: obj(newSpec.affinity).nodeAffinity } : undefined;
  old.spec = { ...oldSpec, nodeSelector: newSpec.nodeSelector, tolerations: newSpec.tolerations, schedulingGates: newSpec.schedulingGates, affinity };
  return old;
}

export function validateJobUpdate(next: KObject, prev: KObject): Cause[] {
  const spec = obj(next.spec);
  const old = obj(prev.spec);
  const causes: Cause[] = [];
  if (!semanticEqual(spec.completions, old.completions)) {
    if (spec.completionMode !== 'Indexed') causes.push(immutable('spec.completions', spec.completions ?? null));
    else if (typeof spec.completions === 'number' && spec.completions !== spec.parallelism) {
      causes.push(invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
    }
  }
  causes.push(...selectorImmutable(spec.selector, old.selector));
  const mutableScheduling = old.suspend === true && !obj(prev.status).startTime;
  if (!semanticEqual(spec.template, comparableTemplate(obj(spec.template), obj(old.template), mutableScheduling))) {
    causes.push(invalid('spec.template', new GoRepr('core.PodTemplateSpec{…}'), 'field is immutable'));
  }
  for (const f of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'] as const) {
    if (!semanticEqual(spec[f], old[f])) causes.push(immutable(`spec.${f}`, typeof spec[f] === 'object' ? new GoRepr(JSON.stringify(spec[f])) : (spec[f] ?? null)));
  }
  return causes;
}

