import type { KObject, StatefulSet } from '../../../main/api/types';
import { createInformerStore } from './informer';

export type StatefulSetObj = StatefulSet & KObject;
/** The Workloads list's StatefulSets. */
export const useStatefulSetsStore = createInformerStore<StatefulSetObj>('statefulsets');
