// Secret validation (ValidateSecret / ValidateSecretUpdate). stringData counts as data, as the
// apiserver merges it into data before validating.
import type { KObject } from '../types';
import type { Cause } from './cause';
import { forbidden, immutable, required, tooLong } from './cause';
import { MAX_DATA_SIZE, validateDataKeys } from './data';
import { checkType, obj, semanticEqual, str } from './read';

export function validateSecret(s: KObject): Cause[] {
  const causes: Cause[] = [];
  checkType(causes, 'data', s.data, 'object');
  checkType(causes, 'stringData', s.stringData, 'object');
  checkType(causes, 'type', s.type, 'string');
  const data = validateDataKeys(s.data, 'data', true);
  const stringData = validateDataKeys(s.stringData, 'data', false);
  causes.push(...data.causes, ...stringData.causes);
  if (data.size + stringData.size > MAX_DATA_SIZE) causes.push(tooLong('data', MAX_DATA_SIZE));
  const keys = new Set([...Object.keys(obj(s.data)), ...Object.keys(obj(s.stringData))]);
  const need = (k: string): void => { if (!keys.has(k)) causes.push(required(`data[${k}]`)); };
  switch (str(s.type)) {
    case 'kubernetes.io/service-account-token':
      if (!str(obj(s.metadata?.annotations)['kubernetes.io/service-account.name'])) {
        causes.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
      }
      break;
    case 'kubernetes.io/dockercfg': need('.dockercfg'); break;
    case 'kubernetes.io/dockerconfigjson': need('.dockerconfigjson'); break;
    case 'kubernetes.io/basic-auth':
      if (!keys.has('username') && !keys.has('password')) { need('username'); need('password'); }
      break;
    case 'kubernetes.io/ssh-auth': need('ssh-privatekey'); break;
    case 'kubernetes.io/tls': need('tls.crt'); need('tls.key'); break;
    default: break;
  }
  return causes;
}

export function validateSecretUpdate(next: KObject, prev: KObject): Cause[] {
  const causes: Cause[] = [];
  if (str(next.type) !== str(prev.type)) causes.push(immutable('type', str(next.type)));
  if (prev.immutable === true) {
    const msg = 'field is immutable when `immutable` is set';
    if (next.immutable !== true) causes.push(forbidden('immutable', msg));
    if (!semanticEqual(next.data, prev.data) || Object.keys(obj(next.stringData)).length > 0) causes.push(forbidden('data', msg));
  }
  return causes;
}
