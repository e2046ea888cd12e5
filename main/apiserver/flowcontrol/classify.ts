// Which flow schema a request matches, and its flow (the schema and the distinguisher's value), as kube-apiserver's
// APF classifier does: schemas in matchingPrecedence order, the first whose subjects and rules match wins; a
// request no schema matches goes to catch-all.
import type { Identity } from '../auth';
import type { RequestInfo } from '../request';
import type { FlowSchema, NonResourceRule, ResourceRule, Subject } from './config';

export interface Classification {
  /** Undefined only with no schemas at all. */
  schema: FlowSchema | undefined;
  /** The flow's distinguisher: the user name (ByUser), the namespace (ByNamespace) or "". */
  distinguisher: string;
}

/** The request's verb as flow schemas name it: the resource verb, or the lowercase HTTP method. */
function verbOf(info: RequestInfo, method: string): string {
  return info.isResource ? info.verb : method.toLowerCase();
}

const SA_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

function subjectMatches(s: Subject, who: Identity): boolean {
  switch (s.kind) {
    case 'Group': return s.name === '*' || who.groups.includes(s.name);
    case 'User': return s.name === '*' || s.name === who.name;
    case 'ServiceAccount': {
      const m = SA_USER.exec(who.name);
      return Boolean(m && m[1] === s.namespace && (s.name === '*' || s.name === m[2]));
    }
  }
}

const has = (list: readonly string[], v: string): boolean => list.includes('*') || list.includes(v);

function resourceRuleMatches(r: ResourceRule, info: RequestInfo, verb: string): boolean {
  if (!has(r.verbs, verb) || !has(r.apiGroups, info.group)) return false;
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  if (!has(r.resources, resource)) return false;
  return info.namespace ? has(r.namespaces, info.namespace) : r.clusterScope;
}

function nonResourceRuleMatches(r: NonResourceRule, path: string, verb: string): boolean {
  if (!has(r.verbs, verb)) return false;
  return r.nonResourceURLs.some((u) => u === '*' || u === path || (u.endsWith('/*') && path.startsWith(u.slice(0, -1))));
}

export function schemaMatches(fs: FlowSchema, who: Identity, info: RequestInfo, method: string): boolean {
  const verb = verbOf(info, method);
  return fs.rules.some((rule) => rule.subjects.some((s) => subjectMatches(s, who)) && (info.isResource
    ? rule.resourceRules.some((r) => resourceRuleMatches(r, info, verb))
    : rule.nonResourceRules.some((r) => nonResourceRuleMatches(r, info.path, verb))));
}

/** `schemas` sorted by matchingPrecedence then name; the last is catch-all, which every authenticated or anonymous user matches. */
export function classify(schemas: readonly FlowSchema[], who: Identity, info: RequestInfo, method: string): Classification {
  const schema = schemas.find((fs) => schemaMatches(fs, who, info, method)) ?? schemas[schemas.length - 1];
  if (!schema) return { schema, distinguisher: '' };
  const distinguisher = schema.distinguisher === 'ByUser' ? who.name : schema.distinguisher === 'ByNamespace' ? info.namespace ?? '' : '';
  return { schema, distinguisher };
}

export function sortSchemas(schemas: readonly FlowSchema[]): FlowSchema[] {
  return [...schemas].sort((a, b) => a.matchingPrecedence - b.matchingPrecedence || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
