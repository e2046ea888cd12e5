// ConfigMap validation (ValidateConfigMap / ValidateConfigMapUpdate).
import type { KObject } from '../types';
import type { Cause } from './cause';
import { forbidden, invalid, tooLong } from './cause';
import { MAX_DATA_SIZE, validateDataKeys } from './data';
import { checkType, obj, semanticEqual } from './read';

export function validateConfigMap(cm: KObject): Cause[] {
  const causes: Cause[] = [];
  checkType(causes, 'data', cm.data, 'object');
  checkType(causes, 'binaryData', cm.binaryData, 'object');
  checkType(causes, 'immutable', cm.immutable, 'boolean');
  const data = validateDataKeys(cm.data, 'data', false);
  causes.push(...data.causes);
  const binary = obj(cm.binaryData);
  for (const k of Object.keys(obj(cm.data))) {
    if (k in binary) causes.push(invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
  }
  const bin = validateDataKeys(cm.binaryData, 'binaryData', true);
  causes.push(...bin.causes);
  if (data.size + bin.size > MAX_DATA_SIZE) causes.push(tooLong('', MAX_DATA_SIZE));
  return causes;
}

export function validateConfigMapUpdate(next: KObject, prev: KObject): Cause[] {
  if (prev.immutable !== true) return [];
  const causes: Cause[] = [];
  const msg = 'field is immutable when `immutable` is set';
  if (next.immutable !== true) causes.push(forbidden('immutable', msg));
  if (!semanticEqual(next.data, prev.data)) causes.push(forbidden('data', msg));
  if (!semanticEqual(next.binaryData, prev.binaryData)) causes.push(forbidden('binaryData', msg));
  return causes;
}
