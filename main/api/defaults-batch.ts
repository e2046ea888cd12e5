// Server-side defaults of batch/v1 (pkg/apis/batch/v1/defaults.go): Jobs and CronJobs. A CronJob's
// job template gets only its pod template's defaults, as in Kubernetes (SetDefaults_Job runs on Jobs).
import type { KObject } from './types';
import { asArray, asObj, child, defaultPodSpec, setDefault } from './defaults-pod';

type Obj = Record<string, unknown>;

const isSet = (v: unknown): boolean => v !== undefined && v !== null;

export function defaultJob(o: KObject): void {
  const spec = child(o, 'spec');
  if (!isSet(spec.completions) && !isSet(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  if (!isSet(spec.backoffLimit)) spec.backoffLimit = isSet(spec.backoffLimitPerIndex) ? 2147483647 : 6;
  const tpl = child(spec, 'template');
  const tplLabels = asObj(asObj(tpl.metadata)?.labels);
  const meta = child(o, 'metadata');
  if (tplLabels && Object.keys(asObj(meta.labels) ?? {}).length === 0) meta.labels = { ...tplLabels };
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  const pfp = asObj(spec.podFailurePolicy);
  for (const r of asArray(pfp?.rules)) {
    for (const p of asArray(asObj(r)?.onPodConditions)) {
      const pattern = asObj(p);
      if (pattern && !pattern.status) pattern.status = 'True';
    }
  }
  setDefault(spec, 'podReplacementPolicy', pfp ? 'Failed' : 'TerminatingOrFailed');
  defaultPodSpec(child(tpl, 'spec'));
}

export function defaultCronJob(o: KObject): void {
  const spec = child(o, 'spec');
  if (!spec.concurrencyPolicy) spec.concurrencyPolicy = 'Allow';
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  const jobSpec: Obj = child(child(spec, 'jobTemplate'), 'spec');
  defaultPodSpec(child(child(jobSpec, 'template'), 'spec'));
}
