import type { CronJob, KObject } from '../../../main/api/types';
import { createInformerStore } from './informer';

export type CronJobObj = CronJob & KObject;
/** The Workloads list's CronJobs. */
export const useCronJobsStore = createInformerStore<CronJobObj>('cronjobs');
