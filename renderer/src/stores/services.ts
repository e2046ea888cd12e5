import type { KObject, Service } from '../../../main/api/types';
import { createInformerStore } from './informer';

export type ServiceObj = Service & KObject;
export const useServicesStore = createInformerStore<ServiceObj>('services');
