import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../../main/api/defaults';
import { validateUpdate } from '../../../main/api/validation';
import type { KObject } from '../../../main/api/types';

const PREFIX = 'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n';

function pod(mutate: (spec: Record<string, unknown>) => void = () => undefined): KObject {
  const p: KObject = {
    metadata: { name: 'p', namespace: 'default', uid: 'u' },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }], initContainers: [{ name: 'i', image: 'busybox:1' }] },
  };
  applyDefaults('Pod', p);
  mutate(p.spec as Record<string, unknown>);
  return p;
}
type Ctr = Record<string, unknown>;
const ctr = (s: Record<string, unknown>, list = 'containers', i = 0): Ctr => (s[list] as Ctr[])[i];

describe('Pod update', () => {
  const old = pod();

  it('allows image changes, tolerations additions, lowering activeDeadlineSeconds, metadata changes', () => {
    expect(validateUpdate('Pod', pod((s) => { ctr(s).image = 'nginx:1.28'; ctr(s, 'initContainers').image = 'busybox:2'; }), old)).toEqual([]);
    expect(validateUpdate('Pod', pod((s) => { (s.tolerations as unknown[]).push({ key: 'x', operator: 'Exists' }); }), old)).toEqual([]);
    expect(validateUpdate('Pod', pod((s) => { s.activeDeadlineSeconds = 30; }), old)).toEqual([]);
    expect(validateUpdate('Pod', pod((s) => { s.activeDeadlineSeconds = 10; }), pod((s) => { s.activeDeadlineSeconds = 30; }))).toEqual([]);
    const relabelled = pod();
    relabelled.metadata = { ...relabelled.metadata, labels: { a: 'b' } };
    expect(validateUpdate('Pod', relabelled, old)).toEqual([]);
  });

  it('allows changing a toleration only in its tolerationSeconds', () => {
    const p = pod((s) => { ((s.tolerations as Ctr[])[0]).tolerationSeconds = 60; });
    expect(validateUpdate('Pod', p, old)).toEqual([]);
  });

  it('forbids other spec changes, with Kubernetes\' message prefix', () => {
    const causes = validateUpdate('Pod', pod((s) => { ctr(s).ports = [{ containerPort: 81, protocol: 'TCP' }]; }), old);
    expect(causes).toHaveLength(1);
    expect(causes[0]?.field).toBe('spec');
    expect(causes[0]?.reason).toBe('FieldValueForbidden');
    expect(causes[0]?.message.startsWith(PREFIX)).toBe(true);
    expect(causes[0]?.message).toContain('spec.containers[0].ports[0].containerPort');
  });

  it.each<[string, (s: Record<string, unknown>) => void]>([
    ['restartPolicy', (s) => { s.restartPolicy = 'Never'; }],
    ['nodeName', (s) => { s.nodeName = 'n2'; }],
    ['env', (s) => { ctr(s).env = [{ name: 'A', value: 'b' }]; }],
    ['nodeSelector', (s) => { s.nodeSelector = { a: 'b' }; }],
  ])('forbids changing %s', (_n, mutate) => {
    const causes = validateUpdate('Pod', pod(mutate), old);
    expect(causes.map((c) => [c.field, c.reason])).toEqual([['spec', 'FieldValueForbidden']]);
  });

  it('forbids adding or removing containers', () => {
    expect(validateUpdate('Pod', pod((s) => { (s.containers as unknown[]).push({ name: 'd', image: 'x' }); }), old)).toEqual([
      { reason: 'FieldValueForbidden', field: 'spec.containers', message: 'Forbidden: pod updates may not add or remove containers' },
    ]);
  });

  it('requires images and rejects padded ones', () => {
    expect(validateUpdate('Pod', pod((s) => { ctr(s).image = ''; }), old)).toEqual([
      { reason: 'FieldValueRequired', field: 'spec.containers[0].image', message: 'Required value' },
    ]);
    expect(validateUpdate('Pod', pod((s) => { ctr(s).image = ' nginx'; }), old)).toEqual([
      { reason: 'FieldValueInvalid', field: 'spec.containers[0].image', message: 'Invalid value: " nginx": must not have leading or trailing whitespace' },
    ]);
  });

  it('forbids removing or modifying tolerations', () => {
    const causes = validateUpdate('Pod', pod((s) => { s.tolerations = []; }), old);
    expect(causes).toEqual([{ reason: 'FieldValueForbidden', field: 'spec.tolerations', message: 'Forbidden: existing toleration can not be modified except its tolerationSeconds' }]);
  });

  it('activeDeadlineSeconds rules', () => {
    const with30 = pod((s) => { s.activeDeadlineSeconds = 30; });
    expect(validateUpdate('Pod', pod((s) => { s.activeDeadlineSeconds = 60; }), with30)).toEqual([
      { reason: 'FieldValueInvalid', field: 'spec.activeDeadlineSeconds', message: 'Invalid value: 60: must be less than or equal to previous value' },
    ]);
    expect(validateUpdate('Pod', pod(), with30)).toEqual([
      { reason: 'FieldValueInvalid', field: 'spec.activeDeadlineSeconds', message: 'Invalid value: null: must not update from a positive integer to nil value' },
    ]);
  });

  it('terminationGracePeriodSeconds may go from negative to 1 only', () => {
    const neg = pod((s) => { s.terminationGracePeriodSeconds = -1; });
    expect(validateUpdate('Pod', pod((s) => { s.terminationGracePeriodSeconds = 1; }), neg)).toEqual([]);
    expect(validateUpdate('Pod', pod((s) => { s.terminationGracePeriodSeconds = 5; }), neg).map((c) => c.field)).toEqual(['spec']);
  });

  it('allows binding (nodeName from unset to a node) but not moving a bound pod', () => {
    const unbound = pod((s) => { delete s.nodeName; });
    expect(validateUpdate('Pod', pod((s) => { s.nodeName = 'n2'; }), unbound)).toEqual([]);
    expect(validateUpdate('Pod', pod((s) => { s.nodeName = 'n2'; }), old).map((c) => c.field)).toEqual(['spec']);
  });

  it('name is immutable', () => {
    const renamed = pod();
    renamed.metadata = { ...renamed.metadata, name: 'q' };
    expect(validateUpdate('Pod', renamed, old)).toEqual([{ reason: 'FieldValueInvalid', field: 'metadata.name', message: 'Invalid value: "q": field is immutable' }]);
  });
});
