// RBAC rule matching (plugin/pkg/auth/authorizer/rbac RuleAllows) and ClusterRole aggregation.
import { describe, expect, it } from 'vitest';
import type { Attributes } from '../../../main/apiserver/authz/attributes';
import { forbiddenMessage } from '../../../main/apiserver/authz/attributes';
import { ruleAllows } from '../../../main/apiserver/authz/rules';
import { aggregatedRules } from '../../../main/controllers/clusterrole-aggregation';
import type { ClusterRole } from '../../../main/api/types';

const user = { name: 'system:serviceaccount:shop:robot', groups: ['system:serviceaccounts', 'system:authenticated'] };

function res(verb: string, resource: string, o: Partial<Attributes> = {}): Attributes {
  return { user, verb, resourceRequest: true, path: '', group: '', version: 'v1', resource, subresource: '', namespace: 'shop', name: '', ...o };
}
function url(verb: string, path: string): Attributes {
  return { user, verb, resourceRequest: false, path, group: '', version: '', resource: '', subresource: '', namespace: '', name: '' };
}

describe('RBAC rule matching', () => {
  it('verbs, groups and resources, with * for each', () => {
    const rule = { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] };
    expect(ruleAllows(res('list', 'pods'), rule)).toBe(true);
    expect(ruleAllows(res('delete', 'pods'), rule)).toBe(false);
    expect(ruleAllows(res('list', 'pods', { group: 'apps' }), rule)).toBe(false);
    expect(ruleAllows(res('list', 'services'), rule)).toBe(false);
    expect(ruleAllows(res('delete', 'deployments', { group: 'apps' }), { apiGroups: ['*'], resources: ['*'], verbs: ['*'] })).toBe(true);
  });

  it('subresources: pods does not grant pods/log; pods/log and */log do', () => {
    const log = res('get', 'pods', { subresource: 'log', name: 'web' });
    expect(ruleAllows(log, { apiGroups: [''], resources: ['pods'], verbs: ['get'] })).toBe(false);
    expect(ruleAllows(log, { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] })).toBe(true);
    expect(ruleAllows(log, { apiGroups: [''], resources: ['*/log'], verbs: ['get'] })).toBe(true);
    expect(ruleAllows(log, { apiGroups: [''], resources: ['*/exec'], verbs: ['get'] })).toBe(false);
  });

  it('resourceNames restrict to the named objects (and so never match a list)', () => {
    const rule = { apiGroups: [''], resources: ['configmaps'], resourceNames: ['app-config'], verbs: ['get', 'list'] };
    expect(ruleAllows(res('get', 'configmaps', { name: 'app-config' }), rule)).toBe(true);
    expect(ruleAllows(res('get', 'configmaps', { name: 'other' }), rule)).toBe(false);
    expect(ruleAllows(res('list', 'configmaps'), rule)).toBe(false);
  });

  it('non-resource URLs: exact, prefix* and *', () => {
    const rule = { nonResourceURLs: ['/api', '/apis/*', '/healthz'], verbs: ['get'] };
    expect(ruleAllows(url('get', '/api'), rule)).toBe(true);
    expect(ruleAllows(url('get', '/apis/apps/v1'), rule)).toBe(true);
    expect(ruleAllows(url('get', '/api/v1'), rule)).toBe(false);
    expect(ruleAllows(url('post', '/healthz'), rule)).toBe(false);
    expect(ruleAllows(url('get', '/metrics'), { nonResourceURLs: ['*'], verbs: ['get'] })).toBe(true);
    expect(ruleAllows(res('get', 'pods'), rule)).toBe(false);
  });

  it("denials read as Kubernetes' forbiddenMessage", () => {
    expect(forbiddenMessage(res('list', 'pods'))).toBe('User "system:serviceaccount:shop:robot" cannot list resource "pods" in API group "" in the namespace "shop"');
    expect(forbiddenMessage(res('get', 'pods', { subresource: 'log', namespace: '' }))).toBe('User "system:serviceaccount:shop:robot" cannot get resource "pods/log" in API group "" at the cluster scope');
    expect(forbiddenMessage(url('get', '/metrics'))).toBe('User "system:serviceaccount:shop:robot" cannot get path "/metrics"');
  });
});

describe('ClusterRole aggregation', () => {
  const role = (name: string, labels: Record<string, string>, rules: ClusterRole['rules']): ClusterRole => ({ metadata: { name, labels }, rules });
  it("gathers the matching roles' rules in name order, each rule once, never its own", () => {
    const view: ClusterRole = { metadata: { name: 'view', labels: { 'agg/edit': 'true' } }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'agg/view': 'true' } }] }, rules: [{ verbs: ['x'] }] };
    const b = role('b-reader', { 'agg/view': 'true' }, [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
    const a = role('a-reader', { 'agg/view': 'true' }, [{ apiGroups: [''], resources: ['services'], verbs: ['get'] }, { apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
    const other = role('other', { 'agg/edit': 'true' }, [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]);
    expect(aggregatedRules(view, [view, b, a, other])).toEqual([
      { apiGroups: [''], resources: ['services'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
    ]);
  });
});
