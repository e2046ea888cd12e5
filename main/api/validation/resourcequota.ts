// ResourceQuota validation (pkg/apis/core/validation ValidateResourceQuota): spec.hard's names and
// quantities, spec.scopes and spec.scopeSelector — known scopes, the resources a scope allows
// (BestEffort only pods; the others pods and cpu/memory), the selector's operators and values, and no
// conflicting pair (BestEffort with NotBestEffort, Terminating with NotTerminating).
import type { KObject } from '../types';
import { parseQuantity, QUANTITY_FORMAT_MESSAGE } from '../quantity';
import type { Cause } from './cause';
import { invalid, required } from './cause';
import { GoRepr, goQuote, goStrings } from './gofmt';
import { isQualifiedName } from './names';
import { list, obj, str } from './read';

const STANDARD = ['cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory',
  'limits.ephemeral-storage', 'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'storage',
  'requests.storage', 'services.nodeports', 'services.loadbalancers'];
const NOT_FOR_QUOTA = ['storage'];
const INTEGER = ['pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports',
  'services.loadbalancers'];
const SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];
const POD_COMPUTE = ['cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory'];
const EXISTS_ONLY = ['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating'];
const CONFLICTS = [['BestEffort', 'NotBestEffort'], ['Terminating', 'NotTerminating']];

const isHugePages = (n: string) => n.startsWith('hugepages-') || n.startsWith('requests.hugepages-');
const isStandardQuotaName = (n: string) => (STANDARD.includes(n) && !NOT_FOR_QUOTA.includes(n)) || isHugePages(n);

/** IsResourceQuotaScopeValidForResource. */
function scopeAllows(scope: string, resource: string): boolean {
  if (scope === 'BestEffort') return resource === 'pods';
  if (SCOPES.includes(scope)) return resource === 'pods' || POD_COMPUTE.includes(resource);
  return true;
}

/** %#v of spec.scopes. */
function goScopes(scopes: string[] | undefined): GoRepr {
  return new GoRepr(scopes ? goStrings(scopes).text.replace(/^\[\]string/, '[]core.ResourceQuotaScope') : '[]core.ResourceQuotaScope(nil)');
}

/** %#v of spec.scopeSelector. */
function goScopeSelector(sel: Record<string, unknown>): GoRepr {
  const reqs = list(sel.matchExpressions).map((r) => {
    const o = obj(r);
    const values = Array.isArray(o.values) ? goStrings(o.values.map(String)).text : '[]string(nil)';
    return `core.ScopedResourceSelectorRequirement{ScopeName:${goQuote(str(o.scopeName))}, Operator:${goQuote(str(o.operator))}, Values:${values}}`;
  });
  return new GoRepr(`core.ScopeSelector{MatchExpressions:[]core.ScopedResourceSelectorRequirement{${reqs.join(', ')}}}`);
}

function validateHard(hard: Record<string, unknown>): Cause[] {
  const causes: Cause[] = [];
  for (const [name, q] of Object.entries(hard)) {
    const p = `spec.hard[${name}]`;
    const nameErrs = isQualifiedName(name);
    for (const m of nameErrs) causes.push(invalid(p, name, m));
    if (!nameErrs.length && !name.includes('/') && !STANDARD.includes(name) && !isHugePages(name)) {
      causes.push(invalid(p, name, 'must be a standard resource type or fully qualified'));
    }
    if (!name.includes('/') && !isStandardQuotaName(name)) causes.push(invalid(p, name, 'must be a standard resource for quota'));
    let v: number;
    try {
      v = parseQuantity(q as string | number);
    } catch {
      causes.push(invalid(p, String(q), QUANTITY_FORMAT_MESSAGE));
      continue;
    }
    if (v < 0) causes.push(invalid(p, String(q), 'must be greater than or equal to 0'));
    const integer = INTEGER.includes(name) || (name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.'));
    if (integer && !Number.isInteger(v)) causes.push(invalid(p, String(q), 'must be an integer'));
  }
  return causes;
}

function conflicts(names: Set<string>): boolean[] {
  return CONFLICTS.map((pair) => pair.every((s) => names.has(s)));
}

function validateScopes(scopes: string[], hardNames: string[]): Cause[] {
  const causes: Cause[] = [];
  const p = 'spec.scopes';
  for (const scope of scopes) {
    if (!SCOPES.includes(scope)) causes.push(invalid(p, goScopes(scopes), 'unsupported scope'));
    for (const k of hardNames) {
      if (isStandardQuotaName(k) && !scopeAllows(scope, k)) causes.push(invalid(p, goScopes(scopes), 'unsupported scope applied to resource'));
    }
  }
  for (const c of conflicts(new Set(scopes))) if (c) causes.push(invalid(p, goScopes(scopes), 'conflicting scopes'));
  return causes;
}

function validateScopeSelector(sel: Record<string, unknown>, scopes: string[] | undefined, hardNames: string[]): Cause[] {
  const causes: Cause[] = [];
  const p = 'spec.scopeSelector.matchExpressions';
  const names = new Set<string>();
  for (const r of list(sel.matchExpressions)) {
    const req = obj(r);
    const scope = str(req.scopeName);
    const op = str(req.operator);
    const values = list(req.values).map(String);
    if (!SCOPES.includes(scope)) causes.push(invalid(`${p}.scopeName`, scope, 'unsupported scope'));
    for (const k of hardNames) {
      if (isStandardQuotaName(k) && !scopeAllows(scope, k)) causes.push(invalid(p, goScopeSelector(sel), 'unsupported scope applied to resource'));
    }
    if (EXISTS_ONLY.includes(scope) && op !== 'Exists') {
      causes.push(invalid(`${p}.operator`, op, 'must be \'Exist\' only operator when scope is any of ResourceQuotaScopeTerminating, '
        + 'ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort and ResourceQuotaScopeNotBestEffort'));
    }
    if (op === 'In' || op === 'NotIn') {
      if (!values.length) causes.push(required(`${p}.values`, 'must be at least one value when `operator` is \'In\' or \'NotIn\' for scope selector'));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length) causes.push(invalid(`${p}.values`, values, 'must be no value when `operator` is \'Exist\' or \'DoesNotExist\' for scope selector'));
    } else {
      causes.push(invalid(`${p}.operator`, op, 'not a valid selector operator'));
    }
    names.add(scope);
  }
  for (const c of conflicts(names)) if (c) causes.push(invalid(p, goScopes(scopes), 'conflicting scopes'));
  return causes;
}

export function validateResourceQuota(q: KObject): Cause[] {
  const spec = obj(q.spec);
  const hard = obj(spec.hard);
  const hardNames = Object.keys(hard).sort();
  const scopes = Array.isArray(spec.scopes) ? spec.scopes.map(String) : undefined;
  return [
    ...validateHard(hard),
    ...(scopes?.length ? validateScopes(scopes, hardNames) : []),
    ...(spec.scopeSelector ? validateScopeSelector(obj(spec.scopeSelector), scopes, hardNames) : []),
  ];
}
