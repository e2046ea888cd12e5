import type { DaemonSet, KObject } from '../../../main/api/types';
import { createInformerStore } from './informer';

export type DaemonSetObj = DaemonSet & KObject;
/** The Workloads list's DaemonSets. */
export const useDaemonSetsStore = createInformerStore<DaemonSetObj>('daemonsets');
