// PersistentVolume, PersistentVolumeClaim and StorageClass validation: Kubernetes' field paths and messages.
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../../main/api/defaults';
import { validateObject, validateUpdate } from '../../../main/api/validation';
import type { Cause } from '../../../main/api/validation/cause';
import type { KObject } from '../../../main/api/types';

const pick = (causes: Cause[]): Array<[string, string]> => causes.map((x) => [x.field, x.message]);
function make(kind: string, body: Record<string, unknown>, namespaced = false): KObject {
  const o: KObject = { kind, metadata: namespaced ? { name: 'x', namespace: 'default' } : { name: 'x' }, ...body };
  applyDefaults(kind, o);
  return o;
}
const MODES = 'supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"';
const pv = (spec: Record<string, unknown>) => make('PersistentVolume', { spec });
const pvc = (spec: Record<string, unknown>) => make('PersistentVolumeClaim', { spec }, true);
const GOOD_PV = { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/x' } };
const GOOD_PVC = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } };

describe('PersistentVolume', () => {
  it('defaults and accepts a valid volume', () => {
    const v = pv(GOOD_PV);
    expect((v.spec as Record<string, unknown>).persistentVolumeReclaimPolicy).toBe('Retain');
    expect(validateObject('PersistentVolume', v)).toEqual([]);
  });
  it.each<[string, Record<string, unknown>, Array<[string, string]>]>([
    ['no access modes, no capacity', { hostPath: { path: '/x' } }, [
      ['spec.accessModes', 'Required value'], ['spec.capacity', 'Required value'], ['spec.capacity', 'Unsupported value: core.ResourceList(nil): supported values: "storage"'],
    ]],
    ['unknown mode, RWOP with others', { ...GOOD_PV, accessModes: ['ReadWriteOncePod', 'ReadWriteOnce', 'Sometimes'] }, [
      ['spec.accessModes', `Unsupported value: "Sometimes": ${MODES}`], ['spec.accessModes', 'Forbidden: may not use ReadWriteOncePod with other access modes'],
    ]],
    ['zero capacity', { ...GOOD_PV, capacity: { storage: '0' } }, [['spec.capacity[storage]', 'Invalid value: "0": must be greater than zero']]],
    ['no volume type', { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] }, [['spec', 'Required value: must specify a volume type']]],
    ['two volume types', { ...GOOD_PV, local: { path: '/y' } }, [['spec.local', 'Forbidden: may not specify more than 1 volume type']]],
    ['local without node affinity', { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], local: { path: '/y' } }, [
      ['spec.nodeAffinity', 'Required value: Local volume requires node affinity'],
    ]],
    ['bad reclaim policy', { ...GOOD_PV, persistentVolumeReclaimPolicy: 'Shred' }, [
      ['spec.persistentVolumeReclaimPolicy', 'Unsupported value: "Shred": supported values: "Delete", "Recycle", "Retain"'],
    ]],
  ])('%s', (_name, spec, want) => {
    expect(pick(validateObject('PersistentVolume', pv(spec)))).toEqual(want);
  });
  it('keeps its source and volume mode', () => {
    const old = pv(GOOD_PV);
    const next = pv({ ...GOOD_PV, hostPath: { path: '/tmp/y' }, volumeMode: 'Block' });
    expect(pick(validateUpdate('PersistentVolume', next, old))).toEqual([
      ['spec.persistentvolumesource', 'Forbidden: spec.persistentvolumesource is immutable after creation\n- spec.hostPath.path: "/tmp/x"\n+ spec.hostPath.path: "/tmp/y"'],
      ['volumeMode', 'Invalid value: "Block": field is immutable'],
    ]);
  });
});

describe('PersistentVolumeClaim', () => {
  it('accepts a valid claim', () => {
    expect(validateObject('PersistentVolumeClaim', pvc(GOOD_PVC))).toEqual([]);
  });
  it.each<[string, Record<string, unknown>, Array<[string, string]>]>([
    ['no access modes, no request', {}, [['spec.accessModes', 'Required value: at least 1 access mode is required'], ['spec.resources[storage]', 'Required value']]],
    ['negative request', { ...GOOD_PVC, resources: { requests: { storage: '-1Gi' } } }, [['spec.resources[storage]', 'Invalid value: "-1Gi": must be greater than zero']]],
    ['bad class name', { ...GOOD_PVC, storageClassName: 'Fast_Disk' }, [[
      'spec.storageClassName',
      'Invalid value: "Fast_Disk": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
    ]]],
  ])('%s', (_name, spec, want) => {
    expect(pick(validateObject('PersistentVolumeClaim', pvc(spec)))).toEqual(want);
  });
  it('is immutable but for the binder\'s volumeName and a bound claim\'s request', () => {
    const old = pvc({ ...GOOD_PVC, storageClassName: 'standard' });
    expect(validateUpdate('PersistentVolumeClaim', pvc({ ...GOOD_PVC, storageClassName: 'standard', volumeName: 'pv-1' }), old)).toEqual([]);
    const grown = pvc({ ...GOOD_PVC, storageClassName: 'standard', resources: { requests: { storage: '2Gi' } } });
    expect(pick(validateUpdate('PersistentVolumeClaim', grown, old))[0]?.[1]).toMatch(/^Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n/);
    grown.status = { phase: 'Bound' };
    expect(validateUpdate('PersistentVolumeClaim', grown, old)).toEqual([]);
  });
  it('lets a bound claim\'s request come down from a failed expansion, but not to status.capacity or below (RecoverVolumeExpansionFailure)', () => {
    const claim = (storage: string) => pvc({ ...GOOD_PVC, storageClassName: 'standard', resources: { requests: { storage } } });
    const old = claim('3Gi');
    old.status = { phase: 'Bound', capacity: { storage: '2Gi' } };
    const withStatus = (c: KObject) => Object.assign(c, { status: old.status });
    expect(validateUpdate('PersistentVolumeClaim', withStatus(claim('2500Mi')), old)).toEqual([]);
    const forbiddenShrink = [['spec.resources.requests.storage', 'Forbidden: field can not be less than status.capacity']];
    expect(pick(validateUpdate('PersistentVolumeClaim', withStatus(claim('2Gi')), old))).toEqual(forbiddenShrink);
    expect(pick(validateUpdate('PersistentVolumeClaim', withStatus(claim('1Mi')), old))).toEqual(forbiddenShrink);
  });
});

describe('StorageClass', () => {
  const sc = (body: Record<string, unknown>) => make('StorageClass', body);
  it('defaults and accepts a valid class', () => {
    const c = sc({ provisioner: 'example.com/disk' });
    expect([c.reclaimPolicy, c.volumeBindingMode]).toEqual(['Delete', 'Immediate']);
    expect(validateObject('StorageClass', c)).toEqual([]);
  });
  it('refuses a missing provisioner and unknown policies', () => {
    expect(pick(validateObject('StorageClass', sc({ reclaimPolicy: 'Recycle', volumeBindingMode: 'Later' })))).toEqual([
      ['provisioner', 'Required value'],
      ['reclaimPolicy', 'Unsupported value: "Recycle": supported values: "Delete", "Retain"'],
      ['volumeBindingMode', 'Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"'],
    ]);
  });
  it('forbids changing provisioner, parameters, reclaim policy and binding mode', () => {
    const old = sc({ provisioner: 'a.io/x', parameters: { k: 'v' } });
    const next = sc({ provisioner: 'b.io/x', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' });
    expect(pick(validateUpdate('StorageClass', next, old))).toEqual([
      ['parameters', 'Forbidden: updates to parameters are forbidden.'],
      ['provisioner', 'Forbidden: updates to provisioner are forbidden.'],
      ['reclaimPolicy', 'Forbidden: updates to reclaimPolicy are forbidden.'],
      ['volumeBindingMode', 'Invalid value: "WaitForFirstConsumer": field is immutable'],
    ]);
  });
});
