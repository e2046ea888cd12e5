import type { Event, KObject } from '../../../main/api/types';
import { createInformerStore } from './informer';

export type EventObj = Event & KObject;
export const useEventsStore = createInformerStore<EventObj>('events');
