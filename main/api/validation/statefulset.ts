// StatefulSet validation (apps ValidateStatefulSetSpec / ValidateStatefulSetUpdate). As in Kubernetes,
// the pod template is checked for its labels, annotations, selector match and restart policy only:
// its pod spec is validated when the controller creates each pod.
import type { KObject } from '../types';
import { validateLabels } from '../labels';
import type { Cause } from './cause';
import { forbidden, invalid, notSupported, required } from './cause';
import { nonNegative } from './container';
import { GoRepr, goLabelSelector, goStringMap, goValue } from './gofmt';
import { validateAnnotations } from './meta';
import { checkType, isObj, list, obj, semanticEqual, str, strMap } from './read';
import { selectorSize, validateLabelSelector } from './selector';
import { intOrPercentValue, intOrString, notMoreThan100Percent, positiveIntOrPercent, workloadSelector } from './workload';

const RETENTION = ['Retain', 'Delete'];

/** %#v of the update strategy, as Go prints apps.StatefulSetUpdateStrategy. */
function goStrategy(s: Record<string, unknown>): GoRepr {
  const ru = isObj(s.rollingUpdate) ? '(*apps.RollingUpdateStatefulSetStrategy)(0xc000000000)' : '(*apps.RollingUpdateStatefulSetStrategy)(nil)';
  return new GoRepr(`apps.StatefulSetUpdateStrategy{Type:${goValue(str(s.type))}, RollingUpdate:${ru}}`);
}

function validateRollingUpdate(ru: Record<string, unknown>, path: string): Cause[] {
  const causes: Cause[] = [...nonNegative(ru.partition ?? 0, `${path}.partition`)];
  if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
    const p = `${path}.maxUnavailable`;
    causes.push(...positiveIntOrPercent(ru.maxUnavailable, p));
    if (intOrPercentValue(ru.maxUnavailable) === 0) causes.push(invalid(p, intOrString(ru.maxUnavailable), 'cannot be 0'));
    causes.push(...notMoreThan100Percent(ru.maxUnavailable, p));
  }
  return causes;
}

function validateUpdateStrategy(s: Record<string, unknown>, path: string): Cause[] {
  switch (str(s.type)) {
    case '': return [required(path)];
    case 'OnDelete':
      return isObj(s.rollingUpdate) ? [invalid(`${path}.rollingUpdate`, new GoRepr('&apps.RollingUpdateStatefulSetStrategy{}'), "only allowed for updateStrategy 'RollingUpdate'")] : [];
    case 'RollingUpdate': return isObj(s.rollingUpdate) ? validateRollingUpdate(s.rollingUpdate, `${path}.rollingUpdate`) : [];
    default: return [invalid(path, goStrategy(s), "must be 'RollingUpdate' or 'OnDelete'")];
  }
}

function validateRetention(policy: unknown, path: string): Cause[] {
  if (!isObj(policy)) return [];
  return (['whenDeleted', 'whenScaled'] as const).flatMap((k) => RETENTION.includes(str(policy[k])) ? [] : [notSupported(`${path}.${k}`, str(policy[k]), RETENTION)]);
}

function validateTemplate(spec: Record<string, unknown>): Cause[] {
  const causes: Cause[] = [];
  const tpl = obj(spec.template);
  const meta = obj(tpl.metadata);
  const labels = strMap(meta.labels);
  const selector = workloadSelector(spec.selector);
  if (!selector) {
    causes.push(invalid('spec.selector', goLabelSelector(obj(spec.selector)), ''));
  } else {
    if (!selector.empty && !selector.matches(labels ?? {})) {
      causes.push(invalid('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
    }
    causes.push(...validateLabels(labels, 'spec.template.labels'));
    causes.push(...validateAnnotations(strMap(meta.annotations), 'spec.template.annotations'));
  }
  const podSpec = obj(tpl.spec);
  if (str(podSpec.restartPolicy) !== 'Always') causes.push(notSupported('spec.template.spec.restartPolicy', str(podSpec.restartPolicy), ['Always']));
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    causes.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  return causes;
}

export function validateStatefulSet(sts: KObject): Cause[] {
  const causes: Cause[] = [];
  const spec = obj(sts.spec);
  for (const f of ['replicas', 'minReadySeconds', 'revisionHistoryLimit'] as const) checkType(causes, `spec.${f}`, spec[f], 'integer');
  const policy = str(spec.podManagementPolicy);
  if (!policy) causes.push(required('spec.podManagementPolicy'));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel') causes.push(invalid('spec.podManagementPolicy', policy, "must be 'OrderedReady' or 'Parallel'"));
  causes.push(...validateUpdateStrategy(obj(spec.updateStrategy), 'spec.updateStrategy'));
  causes.push(...validateRetention(spec.persistentVolumeClaimRetentionPolicy, 'spec.persistentVolumeClaimRetentionPolicy'));
  causes.push(...nonNegative(spec.replicas, 'spec.replicas'));
  causes.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  if (isObj(spec.ordinals)) causes.push(...nonNegative(spec.ordinals.start ?? 0, 'spec.ordinals.start'));
  if (!isObj(spec.selector)) {
    causes.push(required('spec.selector'));
  } else {
    causes.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    if (selectorSize(spec.selector) === 0) causes.push(invalid('spec.selector', goLabelSelector(spec.selector), 'empty selector is invalid for statefulset'));
  }
  causes.push(...validateTemplate(spec));
  for (const [i, c] of list(spec.volumeClaimTemplates).entries()) {
    if (!str(obj(obj(c).metadata).name)) causes.push(required(`spec.volumeClaimTemplates[${i}].metadata.name`));
  }
  return causes;
}

const MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

export function validateStatefulSetUpdate(next: KObject, prev: KObject): Cause[] {
  const a = { ...obj(next.spec) };
  const b = { ...obj(prev.spec) };
  for (const k of MUTABLE) {
    delete a[k];
    delete b[k];
  }
  if (semanticEqual(a, b)) return [];
  return [forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', " +
    "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")];
}
