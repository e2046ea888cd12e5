// A pod's spec.schedulingGates, with kube-apiserver 1.32's paths and messages: qualified names without duplicates,
// no nodeName while gated (ValidatePodCreate), and updates that may only remove gates (validateOnlyDeletedSchedulingGates).
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
});
