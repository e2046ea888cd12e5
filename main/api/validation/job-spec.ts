// batch/v1 JobSpec validation shared by Jobs and CronJobs' job templates (validateJobSpec in
// pkg/apis/batch/validation), with Kubernetes' messages.
import type { Cause } from './cause';
import { duplicate, invalid, notSupported, required } from './cause';
import { nonNegative } from './container';
import { GoRepr } from './gofmt';
import { isQualifiedName } from './names';
import { validateIndexLimits, validateManagedBy, validateSuccessPolicy } from './job-policies';
import { validatePodTemplate } from './podspec';
import { checkType, isObj, isSet, list, obj, str } from './read';

const ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const OPERATORS = ['In', 'NotIn'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];
const OMIT = new GoRepr('<omitted>');
const MAX_PARALLELISM_INDEXED = 100000;

function goInt32s(values: unknown[]): GoRepr {
  return new GoRepr(`[]int32{${values.map(String).join(', ')}}`);
}

function validateExitCodes(reqIn: unknown, path: string, containerNames: Set<string>): Cause[] {
  const causes: Cause[] = [];
  const req = obj(reqIn);
  const op = str(req.operator);
  if (!op) causes.push(required(`${path}.operator`, `valid values: ["${OPERATORS.join('" "')}"]`));
  else if (!OPERATORS.includes(op)) causes.push(notSupported(`${path}.operator`, op, OPERATORS));
  if (isSet(req.containerName) && !containerNames.has(str(req.containerName))) {
    causes.push(invalid(`${path}.containerName`, str(req.containerName), 'must be one of the container or initContainer names in the pod template'));
  }
  const values = list(req.values);
  if (values.length === 0) causes.push(invalid(`${path}.values`, goInt32s(values), 'at least one value is required'));
  else if (values.length > 255) causes.push({ reason: 'FieldValueInvalid', field: `${path}.values`, message: `Too many: ${values.length}: must have at most 255 items` });
  const seen = new Set<unknown>();
  let ordered = true;
  values.forEach((v, j) => {
    if (op === 'In' && v === 0) causes.push(invalid(`${path}.values[${j}]`, v, 'must not be 0 for the In operator'));
    if (seen.has(v)) causes.push(duplicate(`${path}.values[${j}]`, v));
    else seen.add(v);
    if (j > 0 && Number(values[j - 1]) > Number(v)) ordered = false;
  });
  if (!ordered) causes.push(invalid(`${path}.values`, goInt32s(values), 'must be ordered'));
  return causes;
}

function validateOnPodConditions(patterns: unknown[], path: string): Cause[] {
  const causes: Cause[] = [];
  patterns.forEach((p, j) => {
    const pattern = obj(p);
    const pp = `${path}[${j}]`;
    for (const m of isQualifiedName(str(pattern.type))) causes.push(invalid(`${pp}.type`, str(pattern.type), m));
    const status = str(pattern.status);
    if (!status) causes.push(required(`${pp}.status`, `valid values: ["${CONDITION_STATUSES.join('" "')}"]`));
    else if (!CONDITION_STATUSES.includes(status)) causes.push(notSupported(`${pp}.status`, status, CONDITION_STATUSES));
  });
  return causes;
}

function validatePodFailurePolicy(spec: Record<string, unknown>, path: string): Cause[] {
  const causes: Cause[] = [];
  const rules = list(obj(spec.podFailurePolicy).rules);
  if (rules.length > 20) causes.push({ reason: 'FieldValueInvalid', field: `${path}.rules`, message: `Too many: ${rules.length}: must have at most 20 items` });
  const podSpec = obj(obj(spec.template).spec);
  const names = new Set([...list(podSpec.containers), ...list(podSpec.initContainers)].map((c) => str(obj(c).name)));
  rules.forEach((r, i) => {
    const rule = obj(r);
    const rp = `${path}.rules[${i}]`;
    const action = str(rule.action);
    if (!action) causes.push(required(`${rp}.action`, `valid values: ["${ACTIONS.join('" "')}"]`));
    else if (action === 'FailIndex') {
      if (!isSet(spec.backoffLimitPerIndex)) causes.push(invalid(`${rp}.action`, action, 'requires the backoffLimitPerIndex to be set'));
    } else if (!ACTIONS.includes(action)) causes.push(notSupported(`${rp}.action`, action, ACTIONS));
    const conditions = list(rule.onPodConditions);
    if (isSet(rule.onExitCodes)) causes.push(...validateExitCodes(rule.onExitCodes, `${rp}.onExitCodes`, names));
    if (conditions.length > 0) causes.push(...validateOnPodConditions(conditions, `${rp}.onPodConditions`));
    if (isSet(rule.onExitCodes) && conditions.length > 0) causes.push(invalid(rp, OMIT, 'specifying both OnExitCodes and OnPodConditions is not supported'));
    if (!isSet(rule.onExitCodes) && conditions.length === 0) causes.push(invalid(rp, OMIT, 'specifying one of OnExitCodes and OnPodConditions is required'));
  });
  return causes;
}

/** validateJobSpec: counts, completion mode, pod failure and replacement policies, the pod template and its restartPolicy. */
export function validateJobSpec(specIn: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  const spec = obj(specIn);
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes'] as const) {
    if (checkType(causes, `${path}.${f}`, spec[f], 'integer')) causes.push(...nonNegative(spec[f], `${path}.${f}`));
  }
  if (isSet(spec.maxFailedIndexes) && !isSet(spec.backoffLimitPerIndex)) causes.push(required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  causes.push(...validateManagedBy(spec, `${path}.managedBy`));
  const mode = isSet(spec.completionMode) ? str(spec.completionMode) : undefined;
  if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') causes.push(notSupported(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed']));
  if (mode === 'Indexed') {
    if (!isSet(spec.completions)) causes.push(required(`${path}.completions`, 'when completion mode is Indexed'));
    if (typeof spec.parallelism === 'number' && spec.parallelism > MAX_PARALLELISM_INDEXED) {
      causes.push(invalid(`${path}.parallelism`, spec.parallelism, `must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is Indexed`));
    }
    causes.push(...validateIndexLimits(spec, path));
  } else {
    if (isSet(spec.backoffLimitPerIndex)) causes.push(invalid(`${path}.backoffLimitPerIndex`, spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (isSet(spec.maxFailedIndexes)) causes.push(invalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, 'requires indexed completion mode'));
  }
  if (isObj(spec.podFailurePolicy)) causes.push(...validatePodFailurePolicy(spec, `${path}.podFailurePolicy`));
  causes.push(...validateSuccessPolicy(spec, `${path}.successPolicy`));
  if (isSet(spec.podReplacementPolicy)) {
    const prp = str(spec.podReplacementPolicy);
    if (isObj(spec.podFailurePolicy)) {
      if (prp !== 'Failed') causes.push(notSupported(`${path}.podReplacementPolicy`, prp, ['Failed']));
    } else if (prp !== 'Failed' && prp !== 'TerminatingOrFailed') {
      causes.push(notSupported(`${path}.podReplacementPolicy`, prp, ['Failed', 'TerminatingOrFailed']));
    }
  }
  causes.push(...validatePodTemplate(spec.template, `${path}.template`));
  const rp = str(obj(obj(spec.template).spec).restartPolicy);
  const rpPath = `${path}.template.spec.restartPolicy`;
  if (rp === 'Always' || rp === '') causes.push(required(rpPath, 'valid values: "OnFailure", "Never"'));
  else if (rp !== 'OnFailure' && rp !== 'Never') causes.push(notSupported(rpPath, rp, ['OnFailure', 'Never']));
  else if (isObj(spec.podFailurePolicy) && rp !== 'Never') causes.push(invalid(rpPath, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  return causes;
}
