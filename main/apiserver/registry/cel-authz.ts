// Kubernetes' CEL authz library (k8s.io/apiserver/pkg/cel/library/authz.go, with the 1.31 selectors): the
// `authorizer` of ValidatingAdmissionPolicies and webhook matchConditions — the requester, whose checks are decided by
// the API server's own authorizers (masters, node, RBAC) — and `authorizer.requestResource`, the request's own
// group/resource/subresource/namespace/name:
//   authorizer.group('apps').resource('deployments').namespace('prod').check('delete').allowed()
//   authorizer.path('/healthz').check('get').allowed()
//   authorizer.serviceAccount('ci', 'deployer').group('').resource('secrets').check('list').reason()
//   authorizer.requestResource.subresource('status').check('update').allowed()
// Writes made inside the control plane (its controllers, the UI) have the control plane's full authority.
import { CelScalar, celMethod } from '@bufbuild/cel';
import type { Attributes, UserInfo } from '../authz/attributes';
import type { Authorizer, Decision } from '../authz/authorizer';
import type { ReflectMessage } from '@bufbuild/protobuf/reflect';
import { nameIsDNSLabel, nameIsDNSSubdomain } from '../../api/validation/meta';
import { CelOpaque } from './cel-types';

const { STRING, BOOL } = CelScalar;

/** Decides for a user; `undefined` as the user is the control plane itself. */
type Decide = (a: Attributes) => Decision;

interface AuthorizerData { user: UserInfo | undefined; decide: Decide }
interface ResourceData {
  authorizer: AuthorizerData; group: string; resource: string; subresource: string; namespace: string; name: string;
  fieldSelector: string; labelSelector: string;
}

const PKG = 'kubernetes.authorization';
// The fields are what `==` compares: a check's target, never the authorizer behind it.
const AUTHORIZER = new CelOpaque<{ user: string }, AuthorizerData>(PKG, 'Authorizer', { user: 'string' });
const PATH_CHECK = new CelOpaque<{ path: string }, { authorizer: AuthorizerData; path: string }>(PKG, 'PathCheck', { path: 'string' });
const GROUP_CHECK = new CelOpaque<{ group: string }, { authorizer: AuthorizerData; group: string }>(PKG, 'GroupCheck', { group: 'string' });
const RESOURCE_CHECK = new CelOpaque<{ target: string }, ResourceData>(PKG, 'ResourceCheck', { target: 'string' });
const DECISION = new CelOpaque<{ allowed: boolean; reason: string }, Decision>(PKG, 'Decision', { allowed: 'bool', reason: 'string' });

const authorizerOf = (d: AuthorizerData) => AUTHORIZER.of({ user: d.user?.name ?? '' }, d);
const resourceCheckOf = (d: ResourceData) => {
  const target = JSON.stringify([d.group, d.resource, d.subresource, d.namespace, d.name, d.fieldSelector, d.labelSelector]);
  return RESOURCE_CHECK.of({ target }, d);
};

function decide(a: AuthorizerData, attrs: Omit<Attributes, 'user'>) {
  const d: Decision = a.user ? a.decide({ ...attrs, user: a.user }) : { allowed: true, reason: '' };
  return DECISION.of({ allowed: d.allowed, reason: d.reason }, d);
}

/**
 * The `authorizer` and `authorizer.requestResource` variables of a request by `user` (undefined: the control plane)
 * on the resource `r`, decided by `authorizer` (none: every check of a user is denied).
 */
export function authorizerBindings(
  user: UserInfo | undefined, authorizer: Authorizer | undefined,
  r: { group: string; resource: string; subresource: string; namespace: string; name: string },
): Record<'authorizer' | 'authorizer.requestResource', ReflectMessage> {
  const decideFor: Decide = (attrs) => authorizer?.decide(attrs) ?? { allowed: false, reason: 'no authorizer' };
  return {
    authorizer: authorizerOf({ user, decide: decideFor }),
    'authorizer.requestResource': resourceCheckOf({ authorizer: { user, decide: decideFor }, ...r, fieldSelector: '', labelSelector: '' }),
  };
}

const nonEmpty = (what: string, s: string) => {
  if (s.trim() === '') throw new Error(`${what} must not be empty`);
  return s;
};

const rc = (v: unknown) => RESOURCE_CHECK.must(v);
const RC = RESOURCE_CHECK.type;

export const AUTHZ_FUNCS = [
  celMethod('path', AUTHORIZER.type, [STRING], PATH_CHECK.type, function path(p) {
    return PATH_CHECK.of({ path: nonEmpty('path', p) }, { authorizer: AUTHORIZER.must(this), path: p });
  }),
  celMethod('group', AUTHORIZER.type, [STRING], GROUP_CHECK.type, function group(g) {
    return GROUP_CHECK.of({ group: g }, { authorizer: AUTHORIZER.must(this), group: g });
  }),
  celMethod('serviceAccount', AUTHORIZER.type, [STRING, STRING], AUTHORIZER.type, function serviceAccount(namespace, name) {
    if (nameIsDNSSubdomain(name, false).length) throw new Error('Invalid service account name');
    if (nameIsDNSLabel(namespace, false).length) throw new Error('Invalid service account namespace');
    const { decide: decideFor } = AUTHORIZER.must(this);
    // ServiceAccountInfo.UserInfo: the account's name and its two groups (no system:authenticated).
    const user: UserInfo = { name: `system:serviceaccount:${namespace}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`] };
    return authorizerOf({ user, decide: decideFor });
  }),
  celMethod('resource', GROUP_CHECK.type, [STRING], RC, function resource(res) {
    const g = GROUP_CHECK.must(this);
    return resourceCheckOf({ authorizer: g.authorizer, group: g.group, resource: nonEmpty('resource', res), subresource: '', namespace: '', name: '', fieldSelector: '', labelSelector: '' });
  }),
  celMethod('subresource', RC, [STRING], RC, function subresource(s) { return resourceCheckOf({ ...rc(this), subresource: s }); }),
  celMethod('namespace', RC, [STRING], RC, function namespace(s) { return resourceCheckOf({ ...rc(this), namespace: s }); }),
  celMethod('name', RC, [STRING], RC, function name(s) { return resourceCheckOf({ ...rc(this), name: s }); }),
  celMethod('fieldSelector', RC, [STRING], RC, function fieldSelector(s) { return resourceCheckOf({ ...rc(this), fieldSelector: s }); }),
  celMethod('labelSelector', RC, [STRING], RC, function labelSelector(s) { return resourceCheckOf({ ...rc(this), labelSelector: s }); }),
  celMethod('check', PATH_CHECK.type, [STRING], DECISION.type, function check(verb) {
    const p = PATH_CHECK.must(this);
    return decide(p.authorizer, { verb, resourceRequest: false, path: p.path, group: '', version: '', resource: '', subresource: '', namespace: '', name: '' });
  }),
  celMethod('check', RC, [STRING], DECISION.type, function check(verb) {
    const r = rc(this);
    return decide(r.authorizer, { verb, resourceRequest: true, path: '', group: r.group, version: '*', resource: r.resource, subresource: r.subresource, namespace: r.namespace, name: r.name });
  }),
  celMethod('allowed', DECISION.type, [], BOOL, function allowed() { return DECISION.must(this).allowed; }),
  celMethod('reason', DECISION.type, [], STRING, function reason() { return DECISION.must(this).reason; }),
  celMethod('errored', DECISION.type, [], BOOL, function errored() { DECISION.must(this); return false; }),
  celMethod('error', DECISION.type, [], STRING, function error() { DECISION.must(this); return ''; }),
];
