// Pieces shared by Deployment, ReplicaSet and DaemonSet validation.
import { nothing, selectorFromLabelSelector } from '../labels';
import type { Selector } from '../labels';
import type { Cause } from './cause';
import { immutable, invalid, notSupported, required } from './cause';
import { selectorSize, validateLabelSelector } from './selector';
import { GoRepr, goLabelSelector, goStringMap } from './gofmt';
import { isValidPercent } from './names';
import { validatePodTemplate } from './podspec';
import { isObj, obj, str, strMap } from './read';

/** metav1.LabelSelectorAsSelector: a nil selector selects nothing; undefined when invalid. */
export function workloadSelector(sel: unknown): Selector | undefined {
  if (!isObj(sel)) return nothing();
  try {
    return selectorFromLabelSelector(sel);
  } catch {
    return undefined;
  }
}

/** ValidatePodTemplateSpecForReplicaSet (also used by Deployments). */
/**
 * spec.selector (required, valid, not empty — Kubernetes says "deployment" here for ReplicaSets too)
 * and spec.template against it: shared by Deployments and ReplicaSets.
 */
export function validateSelectorAndTemplate(spec: Record<string, unknown>): Cause[] {
  const causes: Cause[] = [];
  if (!isObj(spec.selector)) {
    causes.push(required('spec.selector'));
  } else {
    causes.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    if (selectorSize(spec.selector) === 0) causes.push(invalid('spec.selector', goLabelSelector(spec.selector), 'empty selector is invalid for deployment'));
  }
  const selector = workloadSelector(spec.selector);
  if (!selector) causes.push(invalid('spec.selector', goLabelSelector(obj(spec.selector)), 'invalid label selector'));
  else causes.push(...validateTemplateForReplicaSet(spec.template, selector, 'spec.template'));
  return causes;
}

export function validateTemplateForReplicaSet(tplIn: unknown, selector: Selector, path: string): Cause[] {
  const causes: Cause[] = [];
  const tpl = obj(tplIn);
  const labels = strMap(obj(tpl.metadata).labels);
  if (!selector.empty && !selector.matches(labels)) {
    causes.push(invalid(`${path}.metadata.labels`, goStringMap(labels), '`selector` does not match template `labels`'));
  }
  causes.push(...validatePodTemplate(tpl, path));
  causes.push(...templateRestartPolicy(tpl, path));
  return causes;
}

export function templateRestartPolicy(tpl: Record<string, unknown>, path: string): Cause[] {
  const causes: Cause[] = [];
  const spec = obj(tpl.spec);
  const rp = str(spec.restartPolicy);
  if (rp !== 'Always') causes.push(notSupported(`${path}.spec.restartPolicy`, rp, ['Always']));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    causes.push(invalid(`${path}.spec.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return causes;
}

/** `spec.selector` may not change (apps/v1). */
export function selectorImmutable(next: unknown, prev: unknown): Cause[] {
  const a = JSON.stringify(normSel(next));
  const b = JSON.stringify(normSel(prev));
  return a === b ? [] : [immutable('spec.selector', goLabelSelector(isObj(next) ? next : undefined))];
}

function normSel(s: unknown): unknown {
  if (!isObj(s)) return null;
  const ml = obj(s.matchLabels);
  return {
    matchLabels: Object.keys(ml).sort().map((k) => [k, ml[k]]),
    matchExpressions: Array.isArray(s.matchExpressions) ? s.matchExpressions : [],
  };
}

/** ValidatePositiveIntOrPercent. */
/** An IntOrString prints through its String() method: unquoted. */
export function intOrString(v: unknown): GoRepr {
  return new GoRepr(typeof v === 'string' || typeof v === 'number' ? String(v) : '0');
}

export function positiveIntOrPercent(v: unknown, path: string): Cause[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => invalid(path, intOrString(v), m));
  if (typeof v === 'number') return v < 0 ? [invalid(path, v, 'must be greater than or equal to 0')] : [];
  return [invalid(path, v === undefined ? null : v, "must be an integer or percentage (e.g '5%')")];
}

export function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[0-9]+%$/.test(v)) return Number(v.slice(0, -1));
  return -1;
}

export function notMoreThan100Percent(v: unknown, path: string): Cause[] {
  return typeof v === 'string' && intOrPercentValue(v) > 100 ? [invalid(path, intOrString(v), 'must not be greater than 100%')] : [];
}
