// A pod's spec.schedulingGates, with kube-apiserver 1.32's paths and messages: qualified names without duplicates,
// no nodeName while gated (ValidatePodCreate), updates that may only remove gates (validateOnlyDeletedSchedulingGates),
// and a gated pod's scheduling directives that may only be narrowed (validateNodeSelectorMutation, validateNodeAffinityMutation).
import { describe, expect, it } from 'vitest';
import { validateCreate, validateUpdate } from '../../../main/api/validation';
import type { KObject } from '../../../main/api/types';
import { c, pod, podCauses } from './pod-fixture';

const gates = (...names: string[]) => names.map((name) => ({ name }));
const causes = (list: Array<{ field: string; message: string }>): Array<[string, string]> => list.map((x) => [x.field, x.message]);
const withGates = (p: KObject, names: string[]): KObject => ({ ...p, spec: { ...(p.spec as object), schedulingGates: gates(...names) } });

describe('schedulingGates', () => {
  it('are qualified names, each once', () => {
    expect(podCauses({ containers: [c()], schedulingGates: gates('example.com/quota', 'ready') })).toEqual([]);
    expect(podCauses({ containers: [c()], schedulingGates: gates('bad name', 'ready', 'ready') })).toEqual([
      ['spec.schedulingGates[0]', expect.stringContaining('Invalid value: "bad name": name part must consist of alphanumeric characters')],
      ['spec.schedulingGates[2]', 'Duplicate value: "ready"'],
    ]);
  });

  it('a gated pod may not be created bound to a node', () => {
    expect(causes(validateCreate('Pod', pod({ containers: [c()], nodeName: 'n1', schedulingGates: gates('wait') })))).toEqual([
      ['spec.nodeName', 'Forbidden: cannot be set until all schedulingGates have been cleared'],
    ]);
    expect(causes(validateCreate('Pod', pod({ containers: [c()], nodeName: 'n1' })))).toEqual([]);
  });

  it('an update may remove gates in any order, never add one; an ungated pod may not gain gates', () => {
    const gated = pod({ containers: [c()], schedulingGates: gates('a', 'b') });
    expect(causes(validateUpdate('Pod', withGates(gated, ['b']), gated))).toEqual([]);
    expect(causes(validateUpdate('Pod', withGates(gated, []), gated))).toEqual([]);
    expect(causes(validateUpdate('Pod', withGates(gated, ['b', 'c']), gated))).toEqual([
      ['spec.schedulingGates[1].name', "Forbidden: only deletion is allowed, but found new scheduling gate 'c'"],
    ]);
    const plain = pod({ containers: [c()] });
    const added = causes(validateUpdate('Pod', withGates(plain, ['x']), plain));
    expect(added).toHaveLength(1);
    expect(added[0][0]).toBe('spec');
    expect(added[0][1]).toContain('Forbidden: pod updates may not change fields other than');
  });

  it('while gated, nodeSelector may gain entries and required node affinity terms requirements; nothing may be taken away', () => {
    const req = (terms: unknown[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } });
    const zone = { key: 'zone', operator: 'In', values: ['a'] };
    const disk = { key: 'disk', operator: 'In', values: ['ssd'] };
    const gated = pod({ containers: [c()], schedulingGates: gates('kueue'), nodeSelector: { pool: 'x' }, affinity: req([{ matchExpressions: [zone] }]) });
    const update = (spec: Record<string, unknown>) => causes(validateUpdate('Pod', { ...gated, spec: { ...(gated.spec as object), ...spec } }, gated));
    // Kueue's admission: more nodeSelector, more requirements, and the gate removed — all at once.
    expect(update({ schedulingGates: [], nodeSelector: { pool: 'x', flavor: 'on-demand' }, affinity: req([{ matchExpressions: [zone, disk] }]) })).toEqual([]);
    expect(update({ nodeSelector: { pool: 'y' } })).toEqual([
      ['spec.nodeSelector', 'Invalid value: map[string]string{"pool":"y"}: only additions to spec.nodeSelector are allowed (no mutations or deletions)'],
    ]);
    expect(update({ affinity: req([{ matchExpressions: [disk] }]) })).toEqual([
      ['spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]',
        'Invalid value: core.NodeSelectorTerm{MatchExpressions:[]core.NodeSelectorRequirement{core.NodeSelectorRequirement{Key:"disk", Operator:"In", Values:[]string{"ssd"}}}, MatchFields:[]core.NodeSelectorRequirement(nil)}: only additions are allowed (no mutations or deletions)'],
    ]);
    expect(update({ affinity: req([{ matchExpressions: [zone] }, { matchExpressions: [disk] }]) })[0]).toEqual([
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms', expect.stringContaining('no additions/deletions to non-empty NodeSelectorTerms list are allowed'),
    ]);
    // Once the gates are gone, the usual rule: nothing of the spec but images and the like changes.
    const released = { ...gated, spec: { ...(gated.spec as object), schedulingGates: [] } };
    const later = causes(validateUpdate('Pod', { ...released, spec: { ...(released.spec as object), nodeSelector: { pool: 'x', more: '1' } } }, released));
    expect(later[0]?.[1]).toContain('Forbidden: pod updates may not change fields other than');
  });
});
