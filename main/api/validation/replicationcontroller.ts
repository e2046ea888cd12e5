// ReplicationController validation (core ValidateReplicationControllerSpec, ValidatePodTemplateSpecForRC):
// the selector is a plain label map and, unlike a ReplicaSet's, may change on update.
import { selectorFromSet } from '../labels';
import type { KObject } from '../types';
import type { Cause } from './cause';
import { forbidden, invalid, notSupported, required } from './cause';
import { nonNegative } from './container';
import { goStringMap } from './gofmt';
import { validatePodTemplate } from './podspec';
import { checkType, isObj, obj, str, strMap } from './read';

export function validateReplicationController(rc: KObject): Cause[] {
  const causes: Cause[] = [];
  const spec = obj(rc.spec);
  checkType(causes, 'spec.replicas', spec.replicas, 'integer');
  checkType(causes, 'spec.minReadySeconds', spec.minReadySeconds, 'integer');
  const selector = selectorFromSet(strMap(spec.selector));
  causes.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  if (selector.empty) causes.push(required('spec.selector'));
  causes.push(...nonNegative(spec.replicas, 'spec.replicas'));
  if (!isObj(spec.template)) {
    causes.push(required('spec.template'));
    return causes;
  }
  const tpl = spec.template;
  const labels = strMap(obj(tpl.metadata).labels);
  if (!selector.empty && !selector.matches(labels)) {
    causes.push(invalid('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
  }
  causes.push(...validatePodTemplate(tpl, 'spec.template'));
  const podSpec = obj(tpl.spec);
  const rp = str(podSpec.restartPolicy);
  if (rp !== 'Always') causes.push(notSupported('spec.template.spec.restartPolicy', rp, ['Always']));
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    causes.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return causes;
}
