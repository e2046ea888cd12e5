// Workload actions of the browser besides rollouts: `kubectl scale` (the scale subresource) and
// `kubectl create job --from=cronjob/<name>` (create_job.go createJobFromCronJob).
import type { CronJob, Job } from '../api/types';
import type { ApiClient, ResourceRef } from '../client/types';
import { BridgeFailure } from './errors';
import { FIELD_MANAGER } from './apply';

const JOBS: ResourceRef = { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true };
const CRONJOBS: ResourceRef = { group: 'batch', version: 'v1', plural: 'cronjobs', namespaced: true };
/** Job names become a label value on their pods: at most 63 characters. */
const MAX_JOB_NAME = 63;

export async function scaleObject(client: ApiClient, ref: ResourceRef, name: string, namespace: string | undefined, replicas: unknown): Promise<void> {
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw new BridgeFailure(422, 'Invalid', 'replicas must be a whole number, 0 or more');
  }
  await client.patch(ref, name, { spec: { replicas } }, 'merge', { namespace, subresource: 'scale' });
}

/** `<cronjob>-manual-<5 random characters>`, cut to fit a Job name. */
export function manualJobName(cronJob: string, random = Math.random): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const suffix = Array.from({ length: 5 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  const tail = `-manual-${suffix}`;
  return `${cronJob.slice(0, MAX_JOB_NAME - tail.length)}${tail}`;
}

/** The Job kubectl makes from a CronJob: its job template, annotated as manual, owned by (not blocking) the CronJob. */
export function jobFromCronJob(cj: CronJob, name: string): Job {
  const template = cj.spec?.jobTemplate;
  const annotations: Record<string, string> = { 'cronjob.kubernetes.io/instantiate': 'manual', ...template?.metadata?.annotations };
  const job: Job = {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: {
      name, namespace: cj.metadata?.namespace, annotations,
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata?.name ?? '', uid: cj.metadata?.uid ?? '', controller: true }],
    },
  };
  // Absent stays absent (the object goes to the in-process client as it is, not through JSON).
  if (template?.metadata?.labels) job.metadata!.labels = template.metadata.labels;
  if (template?.spec) job.spec = template.spec;
  return job;
}

export async function triggerCronJob(client: ApiClient, namespace: string, name: string, jobName?: string): Promise<string> {
  const cj = await client.get<CronJob>(CRONJOBS, name, namespace);
  const job = jobFromCronJob(cj, jobName || manualJobName(name));
  const created = await client.create<Job>(JOBS, job, { namespace, fieldManager: FIELD_MANAGER });
  return created.metadata?.name ?? job.metadata!.name!;
}
