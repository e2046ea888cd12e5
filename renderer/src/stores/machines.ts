import type { KObject, Machine } from '../../../main/api/types';
import { createInformerStore } from './informer';

export type MachineObj = Machine & KObject;
export const useMachinesStore = createInformerStore<MachineObj>('machines');
