// flowcontrol.apiserver.k8s.io/v1 FlowSchema and PriorityLevelConfiguration validation (k8s.io/kubernetes
// pkg/apis/flowcontrol/validation, as of v1: a limited level's nominalConcurrencyShares may be 0), with its messages.
// The mandatory objects (exempt, catch-all) must keep their fixed specs.
import { MANDATORY_FLOW_SCHEMA_SPECS, MANDATORY_PRIORITY_LEVEL_SPECS } from '../flowcontrol-bootstrap';
import { semantic } from '../semantic';
import type { FlowSchema, KObject, PriorityLevelConfiguration } from '../types';
import type { Cause } from './cause';
import { duplicate, forbidden, invalid, notSupported, required } from './cause';
import { GoRepr } from './gofmt';
import { nameIsDNSLabel, nameIsDNSSubdomain } from './meta';
import { isObj, isSet, list, num, obj, str } from './read';

const SUPPORTED_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'proxy', 'update', 'watch'];
const SUBJECT_KINDS = ['Group', 'ServiceAccount', 'User'];
const NS_INTRO = "each member of this list must be '*' or a DNS-1123 label; ";
const MAX_PRECEDENCE = 10000;
const MAX_QUEUES = 10_000_000;
/** shufflesharding.MaxHashBits. */
const MAX_HASH_BITS = 60;

const strings = (v: unknown): string[] => list(v).map((x) => str(x));

function verbsCauses(verbs: string[], path: string): Cause[] {
  if (!verbs.length) return [required(`${path}.verbs`, 'verbs must contain at least one value')];
  if (verbs.includes('*')) return verbs.length > 1 ? [invalid(`${path}.verbs`, verbs, "if '*' is present, must not specify other verbs")] : [];
  return verbs.every((v) => SUPPORTED_VERBS.includes(v)) ? [] : [notSupported(`${path}.verbs`, verbs, SUPPORTED_VERBS)];
}

function subjectCauses(s: Record<string, unknown>, path: string): Cause[] {
  const causes: Cause[] = [];
  const kind = str(s.kind);
  const other = (field: string, want: string) => (isSet(s[field]) ? [forbidden(`${path}.${field}`, `${field} is forbidden when subject kind is not '${want}'`)] : []);
  if (kind === 'ServiceAccount') {
    if (!isSet(s.serviceAccount)) causes.push(required(`${path}.serviceAccount`, "serviceAccount is required when subject kind is 'ServiceAccount'"));
    else {
      const sa = obj(s.serviceAccount);
      const name = str(sa.name);
      if (!name) causes.push(required(`${path}.serviceAccount.name`));
      else if (name !== '*') for (const m of nameIsDNSSubdomain(name, false)) causes.push(invalid(`${path}.serviceAccount.name`, name, m));
      const ns = str(sa.namespace);
      if (!ns) causes.push(required(`${path}.serviceAccount.namespace`, 'must specify namespace for service account'));
      else for (const m of nameIsDNSLabel(ns, false)) causes.push(invalid(`${path}.serviceAccount.namespace`, ns, m));
    }
    causes.push(...other('user', 'User'), ...other('group', 'Group'));
  } else if (kind === 'User' || kind === 'Group') {
    const field = kind === 'User' ? 'user' : 'group';
    if (!isSet(s[field])) causes.push(required(`${path}.${field}`, `${field} is required when subject kind is '${kind}'`));
    else if (!str(obj(s[field]).name)) causes.push(required(`${path}.${field}.name`));
    causes.push(...other('serviceAccount', 'ServiceAccount'), ...(kind === 'User' ? other('group', 'Group') : other('user', 'User')));
  } else {
    causes.push(notSupported(`${path}.kind`, kind, SUBJECT_KINDS));
  }
  return causes;
}

function resourceRuleCauses(r: Record<string, unknown>, path: string): Cause[] {
  const causes = verbsCauses(strings(r.verbs), path);
  const groups = strings(r.apiGroups);
  if (!groups.length) causes.push(required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  else if (groups.length > 1 && groups.includes('*')) causes.push(invalid(`${path}.apiGroups`, groups, "if '*' is present, must not specify other api groups"));
  const resources = strings(r.resources);
  if (!resources.length) causes.push(required(`${path}.resources`, 'resource rules must supply at least one resource'));
  else if (resources.length > 1 && resources.includes('*')) causes.push(invalid(`${path}.resources`, resources, "if '*' is present, must not specify other resources"));
  const namespaces = strings(r.namespaces);
  if (!namespaces.length && r.clusterScope !== true) {
    causes.push(required(`${path}.namespaces`, 'resource rules that are not cluster scoped must supply at least one namespace'));
  } else if (namespaces.includes('*')) {
    if (namespaces.length > 1) causes.push(invalid(`${path}.namespaces`, namespaces, "if '*' is present, must not specify other namespaces"));
  } else {
    namespaces.forEach((ns, i) => { for (const m of nameIsDNSLabel(ns, false)) causes.push(invalid(`${path}.namespaces[${i}]`, ns, NS_INTRO + m)); });
  }
  return causes;
}

/** ValidateNonResourceURLPath. */
function urlCause(u: string, path: string): Cause | undefined {
  if (!u) return invalid(path, u, 'must not be empty');
  if (u === '/') return undefined;
  if (!u.startsWith('/')) return invalid(path, u, 'must start with slash');
  if (u.includes(' ')) return invalid(path, u, 'must not contain white-space');
  if (u.includes('//')) return invalid(path, u, 'must not contain double slash');
  const stars = u.split('*').length - 1;
  if (stars > 1 || (stars === 1 && !u.endsWith('/*'))) return invalid(path, u, 'wildcard can only do suffix matching');
  return undefined;
}

function nonResourceRuleCauses(r: Record<string, unknown>, path: string): Cause[] {
  const causes = verbsCauses(strings(r.verbs), path);
  const urls = strings(r.nonResourceURLs);
  if (!urls.length) causes.push(required(`${path}.nonResourceURLs`, 'nonResourceURLs must contain at least one value'));
  else if (urls.includes('*')) {
    if (urls.length > 1) causes.push(invalid(`${path}.nonResourceURLs`, urls, "if '*' is present, must not specify other non-resource URLs"));
  } else {
    urls.forEach((u, i) => { const c = urlCause(u, `${path}.nonResourceURLs[${i}]`); if (c) causes.push(c); });
  }
  return causes;
}

function conditionsCauses(status: unknown): Cause[] {
  const causes: Cause[] = [];
  const seen = new Set<string>();
  list(obj(status).conditions).forEach((c, i) => {
    const type = str(obj(c).type);
    if (seen.has(type)) causes.push(duplicate(`status.conditions[${i}].type`, type));
    seen.add(type);
    if (!type) causes.push(required(`status.conditions[${i}].type`, 'must not be empty'));
  });
  return causes;
}

/** A mandatory object's spec, if it is not its fixed one. */
function mandatoryCause(fixed: unknown, spec: unknown, name: string): Cause[] {
  if (fixed === undefined || semantic(spec) === semantic(fixed)) return [];
  return [invalid('spec', new GoRepr(JSON.stringify(spec)), `spec of '${name}' must equal the fixed value`)];
}

export function validateFlowSchema(o: KObject): Cause[] {
  const causes: Cause[] = [];
  const name = o.metadata?.name ?? '';
  const spec = obj(o.spec);
  const precedence = num(spec.matchingPrecedence) ?? 0;
  if (precedence <= 0) causes.push(invalid('spec.matchingPrecedence', precedence, 'must be a positive value'));
  if (precedence > MAX_PRECEDENCE) causes.push(invalid('spec.matchingPrecedence', precedence, `must not be greater than ${MAX_PRECEDENCE}`));
  if (precedence === 1 && name !== 'exempt') causes.push(invalid('spec.matchingPrecedence', precedence, "only the schema named 'exempt' may have matchingPrecedence 1"));
  if (isSet(spec.distinguisherMethod)) {
    const type = str(obj(spec.distinguisherMethod).type);
    if (type !== 'ByUser' && type !== 'ByNamespace') causes.push(notSupported('spec.distinguisherMethod.type', new GoRepr(`&v1.FlowDistinguisherMethod{Type:"${type}"}`), ['ByNamespace', 'ByUser']));
  }
  const pl = str(obj(spec.priorityLevelConfiguration).name);
  if (pl) for (const m of nameIsDNSSubdomain(pl, false)) causes.push(invalid('spec.priorityLevelConfiguration.name', pl, m));
  else causes.push(required('spec.priorityLevelConfiguration.name', 'must reference a priority level'));
  list(spec.rules).forEach((raw, i) => {
    const path = `spec.rules[${i}]`;
    const rule = obj(raw);
    const subjects = list(rule.subjects);
    if (!subjects.length) causes.push(required(`${path}.subjects`, 'subjects must contain at least one value'));
    subjects.forEach((s, j) => causes.push(...subjectCauses(obj(s), `${path}.subjects[${j}]`)));
    const resourceRules = list(rule.resourceRules);
    const nonResourceRules = list(rule.nonResourceRules);
    if (!resourceRules.length && !nonResourceRules.length) causes.push(required(path, 'at least one of resourceRules and nonResourceRules has to be non-empty'));
    resourceRules.forEach((r, j) => causes.push(...resourceRuleCauses(obj(r), `${path}.resourceRules[${j}]`)));
    nonResourceRules.forEach((r, j) => causes.push(...nonResourceRuleCauses(obj(r), `${path}.nonResourceRules[${j}]`)));
  });
  causes.push(...mandatoryCause(MANDATORY_FLOW_SCHEMA_SPECS.get(name), (o as unknown as FlowSchema).spec, name));
  return [...causes, ...conditionsCauses(o.status)];
}

function percentCauses(v: unknown, path: string): Cause[] {
  const n = num(v);
  return n !== undefined && (n < 0 || n > 100) ? [invalid(path, n, 'must be between 0 and 100, inclusive')] : [];
}

function queuingCauses(q: Record<string, unknown>, path: string): Cause[] {
  const causes: Cause[] = [];
  const qll = num(q.queueLengthLimit) ?? 0;
  if (qll <= 0) causes.push(invalid(`${path}.queueLengthLimit`, qll, 'must be positive'));
  const queues = num(q.queues) ?? 0;
  const hand = num(q.handSize) ?? 0;
  if (queues <= 0) causes.push(invalid(`${path}.queues`, queues, 'must be positive'));
  else if (queues > MAX_QUEUES) causes.push(invalid(`${path}.queues`, queues, `must not be greater than ${MAX_QUEUES}`));
  if (hand <= 0) causes.push(invalid(`${path}.handSize`, hand, 'must be positive'));
  else if (hand > queues) causes.push(invalid(`${path}.handSize`, hand, `should not be greater than queues (${queues})`));
  else if (Math.ceil(hand * Math.log2(queues)) > MAX_HASH_BITS) {
    causes.push(invalid(`${path}.handSize`, hand, `required entropy bits of deckSize ${queues} and handSize ${hand} should not be greater than ${MAX_HASH_BITS}`));
  }
  return causes;
}

export function validatePriorityLevelConfiguration(o: KObject): Cause[] {
  const causes: Cause[] = [];
  const name = o.metadata?.name ?? '';
  const spec = obj(o.spec);
  const type = str(spec.type);
  if ((name === 'exempt') !== (type === 'Exempt')) causes.push(invalid('spec.type', type, "type must be 'Exempt' if and only if name is 'exempt'"));
  if (type === 'Exempt') {
    if (isSet(spec.limited)) causes.push(forbidden('spec.limited', 'must be nil if the type is not Limited'));
    if (isObj(spec.exempt)) {
      const shares = num(spec.exempt.nominalConcurrencyShares);
      if (shares !== undefined && shares < 0) causes.push(invalid('spec.exempt.nominalConcurrencyShares', shares, 'must be a non-negative integer'));
      causes.push(...percentCauses(spec.exempt.lendablePercent, 'spec.exempt.lendablePercent'));
    }
  } else if (type === 'Limited') {
    if (isSet(spec.exempt)) causes.push(forbidden('spec.exempt', 'must be nil if the type is Limited'));
    if (!isObj(spec.limited)) causes.push(required('spec.limited', 'must not be empty when type is Limited'));
    else {
      const l = spec.limited;
      const shares = num(l.nominalConcurrencyShares) ?? 0;
      if (shares < 0) causes.push(invalid('spec.limited.nominalConcurrencyShares', shares, 'must be a non-negative integer'));
      const lr = obj(l.limitResponse);
      const lrType = str(lr.type);
      if (lrType === 'Reject') {
        if (isSet(lr.queuing)) causes.push(forbidden('spec.limited.limitResponse.queuing', 'must be nil if limited.limitResponse.type is not Limited'));
      } else if (lrType === 'Queue') {
        if (!isObj(lr.queuing)) causes.push(required('spec.limited.limitResponse.queuing', 'must not be empty if limited.limitResponse.type is Limited'));
        else causes.push(...queuingCauses(lr.queuing, 'spec.limited.limitResponse.queuing'));
      } else {
        causes.push(notSupported('spec.limited.limitResponse.type', lrType, ['Queue', 'Reject']));
      }
      causes.push(...percentCauses(l.lendablePercent, 'spec.limited.lendablePercent'));
      const borrowing = num(l.borrowingLimitPercent);
      if (borrowing !== undefined && borrowing < 0) causes.push(invalid('spec.limited.borrowingLimitPercent', borrowing, 'if specified, must be a non-negative integer'));
    }
  } else {
    causes.push(notSupported('spec.type', type, ['Exempt', 'Limited']));
  }
  causes.push(...mandatoryCause(MANDATORY_PRIORITY_LEVEL_SPECS.get(name), (o as unknown as PriorityLevelConfiguration).spec, name));
  return [...causes, ...conditionsCauses(o.status)];
}

/** The status subresource's rules: the conditions' types. */
export function validateFlowControlStatus(o: KObject): Cause[] {
  return conditionsCauses(o.status);
}
