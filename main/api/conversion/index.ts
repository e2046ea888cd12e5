// The conversions of the versions served by conversion (api/resources.ts CONVERTED_RESOURCES): each turns
// an object of the served version into the stored one and back.
import type { KObject } from '../types';
import type { ConvertedResourceInfo } from '../resources';
import { CONVERTED_RESOURCES } from '../resources';
import { hpaFromV1, hpaToV1 } from './hpa-v1';
import type { HorizontalPodAutoscaler as V1 } from 'kubernetes-types/autoscaling/v1';
import type { HorizontalPodAutoscaler as V2 } from 'kubernetes-types/autoscaling/v2';
import type { Event as CoreEvent } from 'kubernetes-types/core/v1';
import type { Event as EventsV1 } from 'kubernetes-types/events/v1';
import { eventFromEventsV1, eventToEventsV1, eventsV1FieldLabel } from './event-v1';
import type { Cause } from '../validation/cause';
import { validateEvent } from '../validation/event';
import { validateEventsV1Create, validateEventsV1Update } from '../validation/event-v1';

export interface Conversion {
  /** An object of the served version to the stored version; throws on an object that cannot convert. */
  toStored(obj: KObject): KObject | Promise<KObject>;
  fromStored(obj: KObject): KObject | Promise<KObject>;
  /** A list's items to the served version at once (one call for them all); unset: each by fromStored. */
  fromStoredList?(objs: KObject[]): Promise<KObject[]>;
  /**
   * What a write's body goes through in the served version before it is converted (a CRD version's pruning, defaulting
   * and schema: apiextensions admits an object in the request's version); its warnings. `old`: on updates, the stored
   * object in the served version (what validation ratchets against).
   */
  admit?(obj: KObject, opts: { fieldValidation?: 'Ignore' | 'Warn' | 'Strict' }, old?: KObject): string[];
  /** The stored version's field label of a served one (field selectors); undefined for a label not supported. Unset: the same names. */
  fieldLabel?(label: string): string | undefined;
  /**
   * What a create or update through this version checks beyond the stored kind's rules (Kubernetes validates
   * by request version), on the converted object; the kind's own rules are included so one 422 names all.
   */
  validateCreate?(stored: KObject): Cause[];
  validateUpdate?(stored: KObject, old: KObject): Cause[];
}

/** A conversion done in the process (the built-in versions'). */
export interface SyncConversion extends Conversion {
  toStored(obj: KObject): KObject;
  fromStored(obj: KObject): KObject;
}

/** Conversions build objects with optional fields left undefined; the wire form omits them. */
const omitUndefined = (obj: object): KObject => JSON.parse(JSON.stringify(obj)) as KObject;

const CONVERSIONS: Record<string, SyncConversion> = {
  'autoscaling/v1/horizontalpodautoscalers': {
    toStored: (obj) => omitUndefined(hpaFromV1(obj as V1)),
    fromStored: (obj) => omitUndefined(hpaToV1(obj as V2)),
  },
  'events.k8s.io/v1/events': {
    toStored: (obj) => omitUndefined(eventFromEventsV1(obj as unknown as EventsV1)),
    fromStored: (obj) => omitUndefined(eventToEventsV1(obj as unknown as CoreEvent)),
    fieldLabel: eventsV1FieldLabel,
    validateCreate: (obj) => [...validateEvent(obj), ...validateEventsV1Create(obj)],
    validateUpdate: (obj, old) => [...validateEvent(obj), ...validateEventsV1Update(obj, old)],
  },
};

for (const r of CONVERTED_RESOURCES) {
  if (!CONVERSIONS[`${r.group}/${r.version}/${r.plural}`]) throw new Error(`no conversion for ${r.group}/${r.version} ${r.plural}`);
}

export function conversionFor(r: ConvertedResourceInfo): SyncConversion {
  return CONVERSIONS[`${r.group}/${r.version}/${r.plural}`];
}
