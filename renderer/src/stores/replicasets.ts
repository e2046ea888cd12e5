import type { KObject, ReplicaSet } from '../../../main/api/types';
import { createInformerStore } from './informer';

export type ReplicaSetObj = ReplicaSet & KObject;
/** Pods' owners for the map's app grouping (ReplicaSet → Deployment). */
export const useReplicaSetsStore = createInformerStore<ReplicaSetObj>('replicasets');
