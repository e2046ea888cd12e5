// The conversions of the versions served by conversion (api/resources.ts CONVERTED_RESOURCES): each turns
// an object of the served version into the stored one and back.
import type { KObject } from '../types';
import type { ConvertedResourceInfo } from '../resources';
import { CONVERTED_RESOURCES } from '../resources';
import { hpaFromV1, hpaToV1 } from './hpa-v1';
import type { HorizontalPodAutoscaler as V1 } from 'kubernetes-types/autoscaling/v1';
import type { HorizontalPodAutoscaler as V2 } from 'kubernetes-types/autoscaling/v2';

export interface Conversion {
  /** An object of the served version to the stored version; throws on an object that cannot convert. */
  toStored(obj: KObject): KObject;
  fromStored(obj: KObject): KObject;
}

/** Conversions build objects with optional fields left undefined; the wire form omits them. */
const omitUndefined = (obj: object): KObject => JSON.parse(JSON.stringify(obj)) as KObject;

const CONVERSIONS: Record<string, Conversion> = {
  'autoscaling/v1/horizontalpodautoscalers': {
    toStored: (obj) => omitUndefined(hpaFromV1(obj as V1)),
    fromStored: (obj) => omitUndefined(hpaToV1(obj as V2)),
  },
};

for (const r of CONVERTED_RESOURCES) {
  if (!CONVERSIONS[`${r.group}/${r.version}/${r.plural}`]) throw new Error(`no conversion for ${r.group}/${r.version} ${r.plural}`);
}

export function conversionFor(r: ConvertedResourceInfo): Conversion {
  return CONVERSIONS[`${r.group}/${r.version}/${r.plural}`];
}
