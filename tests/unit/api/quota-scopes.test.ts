// Which pods a scoped ResourceQuota counts: spec.scopes as Exists, scopeSelector's In/NotIn/Exists/DoesNotExist
// over the PriorityClass scope, Terminating by activeDeadlineSeconds, BestEffort by QoS class.
import { describe, expect, it } from 'vitest';
import type { Pod, ResourceQuota } from '../../../main/api/types';
import { objectsInScope, podMatchesScope, quotaScopeRequirements } from '../../../main/api/quota-scopes';

const pod = (spec: Partial<NonNullable<Pod['spec']>> = {}, cpu?: string): Pod => ({
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'x', ...(cpu ? { resources: { requests: { cpu } } } : {}) }], ...spec },
});

describe('quota scopes', () => {
  it('matches the PriorityClass scope as a label selector over the pod\'s priorityClassName', () => {
    const high = pod({ priorityClassName: 'high' });
    const none = pod();
    const req = (operator: string, values?: string[]) => ({ scopeName: 'PriorityClass', operator, values });
    expect([high, none].map((p) => podMatchesScope(p, req('In', ['high', 'mid'])))).toEqual([true, false]);
    expect([high, none].map((p) => podMatchesScope(p, req('NotIn', ['high'])))).toEqual([false, true]);
    expect([high, none].map((p) => podMatchesScope(p, req('Exists')))).toEqual([true, false]);
    expect([high, none].map((p) => podMatchesScope(p, req('DoesNotExist')))).toEqual([false, false]);
  });

  it('matches Terminating, BestEffort and their negations; a scoped quota counts no other kind', () => {
    const terminating = pod({ activeDeadlineSeconds: 10 }, '1');
    const bestEffort = pod();
    const q: ResourceQuota = { spec: { scopes: ['Terminating'], scopeSelector: { matchExpressions: [{ scopeName: 'NotBestEffort', operator: 'Exists' }] } } };
    expect(quotaScopeRequirements(q).map((r) => r.scopeName)).toEqual(['Terminating', 'NotBestEffort']);
    expect(podMatchesScope(bestEffort, { scopeName: 'BestEffort', operator: 'Exists' })).toBe(true);
    expect(podMatchesScope(terminating, { scopeName: 'NotTerminating', operator: 'Exists' })).toBe(false);
    const objs = { pods: [terminating, bestEffort, pod({}, '1')], services: [{}], configmaps: [{}], secrets: [], persistentvolumeclaims: [] };
    expect(objectsInScope(q, objs)).toEqual({ pods: [terminating], services: [], configmaps: [], secrets: [], persistentvolumeclaims: [] });
    expect(objectsInScope({ spec: { hard: { pods: '1' } } }, objs)).toBe(objs);
  });
});
