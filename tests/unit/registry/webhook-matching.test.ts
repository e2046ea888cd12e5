// Which requests a webhook's rules and selectors match (apiserver's webhook predicates): "*", "*/*", "pods/*" (the
// pods themselves too, as Kubernetes' Matcher has it), "*/status", "pods/status", scope Namespaced/Cluster (a
// Namespace is cluster-scoped, with its own name as its namespace), the namespaceSelector against the namespace's
// labels (a Namespace's own; other cluster-scoped objects always match), the objectSelector against the new or the
// old object's labels, the exempt kinds.
import { describe, expect, it } from 'vitest';
import { resourceFor } from '../../../main/api/resources';
import type { KObject } from '../../../main/api/types';
import { isExempt, namespaceSelectorMatches, objectSelectorMatches, rulesMatch } from '../../../main/apiserver/webhooks/matching';
import type { AdmissionAttributes, WebhookRule } from '../../../main/apiserver/webhooks/types';

function attrs(group: string, plural: string, o: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  const resource = resourceFor(group, 'v1', plural)!;
  return {
    resource, subresource: '', operation: 'CREATE', namespace: resource.namespaced ? 'default' : '', name: 'x',
    kind: { group, version: 'v1', kind: resource.kind }, dryRun: false, user: { username: 'u', groups: [] }, ...o,
  };
}

const rule = (resources: string[], o: Partial<WebhookRule> = {}): WebhookRule[] => [{ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources, ...o }];
const obj = (labels?: Record<string, string>): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', labels } });

describe('webhook rules', () => {
  it('resources with and without subresources', () => {
    const pod = attrs('', 'pods');
    const status = attrs('', 'pods', { subresource: 'status', operation: 'UPDATE' });
    expect(rulesMatch(rule(['*']), pod)).toBe(true);
    expect(rulesMatch(rule(['*']), status)).toBe(false);
    expect(rulesMatch(rule(['*/*']), status)).toBe(true);
    expect(rulesMatch(rule(['pods/*']), status)).toBe(true);
    // As Kubernetes' Matcher: a "*" subresource matches the empty one too.
    expect(rulesMatch(rule(['pods/*']), pod)).toBe(true);
    expect(rulesMatch(rule(['*/status']), pod)).toBe(false);
    expect(rulesMatch(rule(['*/status']), status)).toBe(true);
    expect(rulesMatch(rule(['pods/status']), status)).toBe(true);
    expect(rulesMatch(rule(['pods/status']), pod)).toBe(false);
    expect(rulesMatch(rule(['services']), pod)).toBe(false);
  });

  it('operations, groups and versions', () => {
    const deploy = attrs('apps', 'deployments', { operation: 'DELETE' });
    expect(rulesMatch(rule(['deployments'], { operations: ['CREATE', 'UPDATE'] }), deploy)).toBe(false);
    expect(rulesMatch(rule(['deployments'], { operations: ['DELETE'], apiGroups: ['apps'], apiVersions: ['v1'] }), deploy)).toBe(true);
    expect(rulesMatch(rule(['deployments'], { apiGroups: [''] }), deploy)).toBe(false);
    expect(rulesMatch(rule(['deployments'], { apiVersions: ['v1beta1'] }), deploy)).toBe(false);
  });

  it('scope: a Namespace is cluster-scoped though its request names it as the namespace', () => {
    const ns = attrs('', 'namespaces', { namespace: 'team-a' });
    expect(rulesMatch(rule(['*'], { scope: 'Namespaced' }), ns)).toBe(false);
    expect(rulesMatch(rule(['*'], { scope: 'Cluster' }), ns)).toBe(true);
    expect(rulesMatch(rule(['*'], { scope: 'Namespaced' }), attrs('', 'configmaps'))).toBe(true);
    expect(rulesMatch(rule(['*'], { scope: 'Cluster' }), attrs('', 'configmaps'))).toBe(false);
    expect(rulesMatch(rule(['*'], { scope: 'Cluster' }), attrs('', 'nodes'))).toBe(true);
  });
});

describe('webhook selectors', () => {
  const labels = (ns: string): Record<string, string> => (ns === 'guarded' ? { webhooks: 'on' } : {});
  const sel = { matchLabels: { webhooks: 'on' } };

  it('namespaceSelector: the namespace\'s labels, a Namespace\'s own, other cluster-scoped objects always', () => {
    expect(namespaceSelectorMatches(sel, attrs('', 'configmaps', { namespace: 'guarded' }), labels)).toBe(true);
    expect(namespaceSelectorMatches(sel, attrs('', 'configmaps', { namespace: 'open' }), labels)).toBe(false);
    expect(namespaceSelectorMatches({}, attrs('', 'configmaps', { namespace: 'open' }), labels)).toBe(true);
    expect(namespaceSelectorMatches(sel, attrs('', 'namespaces', { namespace: 'open', object: obj({ webhooks: 'on' }) }), labels)).toBe(true);
    expect(namespaceSelectorMatches(sel, attrs('', 'namespaces', { namespace: 'guarded', object: obj() }), labels)).toBe(false);
    expect(namespaceSelectorMatches(sel, attrs('', 'nodes'), labels)).toBe(true);
  });

  it('objectSelector: the new object\'s labels or the old one\'s', () => {
    const s = { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] };
    expect(objectSelectorMatches(s, attrs('', 'pods', { object: obj({ tier: 'web' }) }))).toBe(true);
    expect(objectSelectorMatches(s, attrs('', 'pods', { object: obj({ tier: 'db' }), oldObject: obj({ tier: 'web' }) }))).toBe(true);
    expect(objectSelectorMatches(s, attrs('', 'pods', { object: obj({ tier: 'db' }) }))).toBe(false);
    expect(objectSelectorMatches(s, attrs('', 'pods'))).toBe(false);
    expect(objectSelectorMatches({}, attrs('', 'pods'))).toBe(true);
  });

  it('the webhook configuration kinds are never sent to webhooks', () => {
    expect(isExempt(attrs('admissionregistration.k8s.io', 'validatingwebhookconfigurations'))).toBe(true);
    expect(isExempt(attrs('admissionregistration.k8s.io', 'mutatingwebhookconfigurations'))).toBe(true);
    expect(isExempt(attrs('', 'pods'))).toBe(false);
  });
});
