// node.k8s.io/v1 RuntimeClass (pkg/apis/node/validation) and core/v1 PodTemplate validation.
import type { KObject } from '../types';
import type { Cause } from './cause';
import { immutable, invalid, required } from './cause';
import { isDNS1123Label } from './names';
import { obj, str } from './read';
import { validatePodTemplate } from './podspec';

export function validateRuntimeClass(rc: KObject): Cause[] {
  const handler = str(rc.handler);
  if (!handler) return [required('handler')];
  return isDNS1123Label(handler).map((m) => invalid('handler', handler, m));
}

export function validateRuntimeClassUpdate(rc: KObject, old: KObject): Cause[] {
  return str(rc.handler) === str(old.handler) ? [] : [immutable('handler', rc.handler)];
}

export function validatePodTemplateObject(pt: KObject): Cause[] {
  return validatePodTemplate(obj(pt.template), 'template');
}
