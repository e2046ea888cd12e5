import type { Job, KObject } from '../../../main/api/types';
import { createInformerStore } from './informer';

export type JobObj = Job & KObject;
/** Pods' owners for the map's app grouping (Job → CronJob). */
export const useJobsStore = createInformerStore<JobObj>('jobs');
