import type { KObject, Pod } from '../../../main/api/types';
import { createInformerStore } from './informer';

export type PodObj = Pod & KObject;
export const usePodsStore = createInformerStore<PodObj>('pods');
