// A pod spec's affinity and topologySpreadConstraints, with kube-apiserver 1.32's field paths and messages
// (validateAffinity, ValidateNodeSelector, validatePodAffinityTerm, validateTopologySpreadConstraints…),
// on pods and on the pod templates of the workload kinds.
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../../main/api/defaults';
import { invalidMessage, validateObject } from '../../../main/api/validation';
import type { KObject } from '../../../main/api/types';
import { cronJobManifest, daemonSetManifest, deploymentManifest, jobManifest, replicaSetManifest } from '../../helpers/manifests';
import { LABEL_MSG, LABEL_VALUE_MSG, QNAME_NAME_MSG, SUBDOMAIN_MSG } from './k8s-messages';
import { c, pod, podCauses } from './pod-fixture';

type Want = Array<[string, string]>;

const NA = 'spec.affinity.nodeAffinity';
const REQ = `${NA}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]`;
const PA = 'spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]';
const TSC = 'spec.topologySpreadConstraints[0]';
const EMPTY_KEY: Want = [
  [`${PA}.topologyKey`, 'Required value: can not be empty'],
  [`${PA}.topologyKey`, 'Invalid value: "": name part must be non-empty'],
  [`${PA}.topologyKey`, `Invalid value: "": ${QNAME_NAME_MSG}`],
];

const nodeAffinity = (terms: unknown[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
const podAffinity = (term: Record<string, unknown>) => ({ affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } });
const spread = (...constraints: Array<Record<string, unknown>>) => ({ topologySpreadConstraints: constraints });
const sc = (extra: Record<string, unknown> = {}) => ({ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...extra });
const check = (spec: Record<string, unknown>) => podCauses({ containers: [c()], ...spec });

describe('a pod with every affinity and spread field set', () => {
  it('passes', () => {
    const term = {
      labelSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] },
      namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] },
      namespaces: ['default', 'kube-system'],
      topologyKey: 'topology.kubernetes.io/zone',
      matchLabelKeys: ['pod-template-hash'],
      mismatchLabelKeys: ['tenant'],
    };
    expect(check({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }, { key: 'gpu', operator: 'DoesNotExist' }, { key: 'cores', operator: 'Gt', values: ['4'] }] },
              { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['node-a'] }] },
            ],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 1, preference: { matchExpressions: [{ key: 'disk', operator: 'NotIn', values: ['hdd'] }, { key: 'mem', operator: 'Lt', values: ['64'] }] } },
            { weight: 100, preference: { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-b'] }] } },
          ],
        },
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [term],
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { ...term, topologyKey: 'kubernetes.io/hostname' } }],
        },
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }],
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: {}, namespaceSelector: {}, topologyKey: 'zone' } }],
        },
      },
      topologySpreadConstraints: [
        sc({ maxSkew: 2, minDomains: 3, nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Ignore', matchLabelKeys: ['pod-template-hash'] }),
        sc({ whenUnsatisfiable: 'ScheduleAnyway', nodeAffinityPolicy: 'Ignore', nodeTaintsPolicy: 'Honor' }),
        sc({ topologyKey: 'kubernetes.io/hostname' }),
      ],
    })).toEqual([]);
  });

  it('empty and null affinity parts are valid', () => {
    expect(check({ affinity: {} })).toEqual([]);
    expect(check({ affinity: { nodeAffinity: {}, podAffinity: {}, podAntiAffinity: {} } })).toEqual([]);
    expect(check({ affinity: { nodeAffinity: null, podAffinity: null }, topologySpreadConstraints: [] })).toEqual([]);
  });
});

describe('node affinity (ValidateNodeSelector, ValidatePreferredSchedulingTerms)', () => {
  it.each<[string, Record<string, unknown>, Want]>([
    ['no terms', nodeAffinity([]), [[`${NA}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`, 'Required value: must have at least one node selector term']]],
    ['no nodeSelectorTerms at all', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } } },
      [[`${NA}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`, 'Required value: must have at least one node selector term']]],
    ['In without values', nodeAffinity([{ matchExpressions: [{ key: 'zone', operator: 'In' }] }]),
      [[`${REQ}.matchExpressions[0].values`, "Required value: must be specified when `operator` is 'In' or 'NotIn'"]]],
    ['NotIn with an empty list', nodeAffinity([{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: [] }] }]),
      [[`${REQ}.matchExpressions[0].values`, "Required value: must be specified when `operator` is 'In' or 'NotIn'"]]],
    ['Exists with values', nodeAffinity([{ matchExpressions: [{ key: 'zone', operator: 'Exists', values: ['a'] }] }]),
      [[`${REQ}.matchExpressions[0].values`, "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"]]],
    ['Gt with two values', nodeAffinity([{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['1', '2'] }] }]),
      [[`${REQ}.matchExpressions[0].values`, "Required value: must be specified single value when `operator` is 'Lt' or 'Gt'"]]],
    ['Lt without a value', nodeAffinity([{ matchExpressions: [{ key: 'cores', operator: 'Lt' }] }]),
      [[`${REQ}.matchExpressions[0].values`, "Required value: must be specified single value when `operator` is 'Lt' or 'Gt'"]]],
    ['an unknown operator', nodeAffinity([{ matchExpressions: [{ key: 'zone', operator: 'Near' }] }]),
      [[`${REQ}.matchExpressions[0].operator`, 'Invalid value: "Near": not a valid selector operator']]],
    ['a bad key', nodeAffinity([{ matchExpressions: [{ key: 'bad key', operator: 'Exists' }] }]),
      [[`${REQ}.matchExpressions[0].key`, `Invalid value: "bad key": ${QNAME_NAME_MSG}`]]],
    // Kubernetes 1.32 does not check matchExpressions values as label values (1.33 does).
    ['a value that is no label value', nodeAffinity([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['not a label value!'] }] }]), []],
    ['matchFields with two values', nodeAffinity([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a', 'b'] }] }]),
      [[`${REQ}.matchFields[0].values`, "Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector"]]],
    ['matchFields with Exists', nodeAffinity([{ matchFields: [{ key: 'metadata.name', operator: 'Exists' }] }]),
      [[`${REQ}.matchFields[0].operator`, 'Invalid value: "Exists": not a valid selector operator']]],
    ['matchFields on another field', nodeAffinity([{ matchFields: [{ key: 'metadata.namespace', operator: 'In', values: ['x'] }] }]),
      [[`${REQ}.matchFields[0].key`, 'Invalid value: "metadata.namespace": not a valid field selector key']]],
    ['matchFields naming no valid node', nodeAffinity([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['Bad_Node'] }] }]),
      [[`${REQ}.matchFields[0].values[0]`, `Invalid value: "Bad_Node": ${SUBDOMAIN_MSG}`]]],
    ['the second term', nodeAffinity([{}, { matchExpressions: [{ key: 'a', operator: 'In' }] }]),
      [[`${NA}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1].matchExpressions[0].values`, "Required value: must be specified when `operator` is 'In' or 'NotIn'"]]],
    ['preferred weights out of range, a bad preference', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
      { weight: 0, preference: {} },
      { weight: 101, preference: { matchExpressions: [{ key: 'zone', operator: 'Near' }] } },
      { preference: { matchFields: [{ key: 'spec.unschedulable', operator: 'In', values: ['x'] }] } },
    ] } } }, [
      [`${NA}.preferredDuringSchedulingIgnoredDuringExecution[0].weight`, 'Invalid value: 0: must be in the range 1-100'],
      [`${NA}.preferredDuringSchedulingIgnoredDuringExecution[1].weight`, 'Invalid value: 101: must be in the range 1-100'],
      [`${NA}.preferredDuringSchedulingIgnoredDuringExecution[1].preference.matchExpressions[0].operator`, 'Invalid value: "Near": not a valid selector operator'],
      [`${NA}.preferredDuringSchedulingIgnoredDuringExecution[2].weight`, 'Invalid value: 0: must be in the range 1-100'],
      [`${NA}.preferredDuringSchedulingIgnoredDuringExecution[2].preference.matchFields[0].key`, 'Invalid value: "spec.unschedulable": not a valid field selector key'],
    ]],
  ])('%s', (_name, spec, want) => {
    expect(check(spec)).toEqual(want);
  });
});

describe('pod affinity and anti-affinity (validatePodAffinityTerm)', () => {
  it.each<[string, Record<string, unknown>, Want]>([
    ['no topologyKey', podAffinity({ labelSelector: { matchLabels: { app: 'web' } } }), EMPTY_KEY],
    ['a bad topologyKey', podAffinity({ topologyKey: 'a/b/c' }), [[`${PA}.topologyKey`,
      "Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]]],
    ['a bad labelSelector', podAffinity({ topologyKey: 'zone', labelSelector: {
      matchLabels: { app: 'bad value!' },
      matchExpressions: [{ key: 'tier', operator: 'Near' }, { key: 'tier', operator: 'In' }, { key: 'x', operator: 'Exists', values: ['y'] }, { key: 'tier', operator: 'In', values: ['bad value!'] }],
    } }), [
      [`${PA}.labelSelector.matchLabels`, `Invalid value: "bad value!": ${LABEL_VALUE_MSG}`],
      [`${PA}.labelSelector.matchExpressions[0].operator`, 'Invalid value: "Near": not a valid selector operator'],
      [`${PA}.labelSelector.matchExpressions[1].values`, "Required value: must be specified when `operator` is 'In' or 'NotIn'"],
      [`${PA}.labelSelector.matchExpressions[2].values`, "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"],
      [`${PA}.labelSelector.matchExpressions[3].values[0]`, `Invalid value: "bad value!": ${LABEL_VALUE_MSG}`],
    ]],
    ['a bad namespaceSelector', podAffinity({ topologyKey: 'zone', namespaceSelector: { matchExpressions: [{ key: 'bad key', operator: 'Exists' }] } }),
      [[`${PA}.namespaceSelector.matchExpressions[0].key`, `Invalid value: "bad key": ${QNAME_NAME_MSG}`]]],
    // Kubernetes reports every bad namespace at `<term>.namespace`, without an index.
    ['a bad namespace', podAffinity({ topologyKey: 'zone', namespaces: ['default', 'Bad_NS'] }), [[`${PA}.namespace`, `Invalid value: "Bad_NS": ${LABEL_MSG}`]]],
    ['matchLabelKeys and mismatchLabelKeys without a labelSelector', podAffinity({ topologyKey: 'zone', matchLabelKeys: ['a'], mismatchLabelKeys: ['b'] }), [
      [`${PA}.matchLabelKeys`, 'Forbidden: must not be specified when labelSelector is not set'],
      [`${PA}.mismatchLabelKeys`, 'Forbidden: must not be specified when labelSelector is not set'],
    ]],
    ['bad label keys', podAffinity({ topologyKey: 'zone', labelSelector: {}, matchLabelKeys: ['ok', 'bad key'], mismatchLabelKeys: ['-x'] }), [
      [`${PA}.matchLabelKeys[1]`, `Invalid value: "bad key": ${QNAME_NAME_MSG}`],
      [`${PA}.mismatchLabelKeys[0]`, `Invalid value: "-x": ${QNAME_NAME_MSG}`],
    ]],
    ['a key in both matchLabelKeys and mismatchLabelKeys', podAffinity({ topologyKey: 'zone', labelSelector: {}, matchLabelKeys: ['a', 'tenant'], mismatchLabelKeys: ['tenant'] }),
      [[`${PA}.matchLabelKeys[1]`, 'Invalid value: "tenant": exists in both matchLabelKeys and mismatchLabelKeys']]],
    // Reported at `<term>[i]` when matchExpressions repeat a key matchLabels (or an earlier expression) has.
    ['a matchLabelKeys key repeated in the labelSelector', podAffinity({ topologyKey: 'zone', matchLabelKeys: ['x', 'app'], labelSelector: {
      matchLabels: { app: 'web' }, matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }],
    } }), [[`${PA}[1]`, 'Invalid value: "app": exists in both matchLabelKeys and labelSelector']]],
    ['a matchLabelKeys key named once in the labelSelector', podAffinity({ topologyKey: 'zone', matchLabelKeys: ['app'], labelSelector: { matchLabels: { app: 'web' } } }), []],
    ['anti-affinity: required and preferred terms', { affinity: { podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone' }, { topologyKey: '' }],
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, podAffinityTerm: { topologyKey: 'zone' } }, { weight: 5, podAffinityTerm: { topologyKey: 'zone', namespaces: ['X'] } }],
    } } }, [
      ['spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[1].topologyKey', 'Required value: can not be empty'],
      ['spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[1].topologyKey', 'Invalid value: "": name part must be non-empty'],
      ['spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[1].topologyKey', `Invalid value: "": ${QNAME_NAME_MSG}`],
      ['spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight', 'Invalid value: 0: must be in the range 1-100'],
      ['spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[1].podAffinityTerm.namespace', `Invalid value: "X": ${LABEL_MSG}`],
    ]],
    ['affinity: a preferred weight above 100 and a term without topologyKey', { affinity: { podAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 200, podAffinityTerm: {} }],
    } } }, [
      ['spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight', 'Invalid value: 200: must be in the range 1-100'],
      ['spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey', 'Required value: can not be empty'],
      ['spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey', 'Invalid value: "": name part must be non-empty'],
      ['spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey', `Invalid value: "": ${QNAME_NAME_MSG}`],
    ]],
  ])('%s', (_name, spec, want) => {
    expect(check(spec)).toEqual(want);
  });
});

describe('topologySpreadConstraints (validateTopologySpreadConstraints)', () => {
  it.each<[string, Record<string, unknown>, Want]>([
    ['maxSkew 0', spread(sc({ maxSkew: 0 })), [[`${TSC}.maxSkew`, 'Invalid value: 0: must be greater than zero']]],
    ['maxSkew negative', spread(sc({ maxSkew: -1 })), [[`${TSC}.maxSkew`, 'Invalid value: -1: must be greater than zero']]],
    ['no maxSkew', spread(sc({ maxSkew: undefined })), [[`${TSC}.maxSkew`, 'Invalid value: 0: must be greater than zero']]],
    ['maxSkew of the wrong type', spread(sc({ maxSkew: '1' })),
      [[`${TSC}.maxSkew`, `Invalid value: "string": ${TSC}.maxSkew in body must be of type integer: "string"`]]],
    ['no topologyKey', spread(sc({ topologyKey: '' })), [[`${TSC}.topologyKey`, 'Required value: can not be empty']]],
    ['an unknown whenUnsatisfiable', spread(sc({ whenUnsatisfiable: 'X' })),
      [[`${TSC}.whenUnsatisfiable`, 'Unsupported value: "X": supported values: "DoNotSchedule", "ScheduleAnyway"']]],
    ['no whenUnsatisfiable', spread(sc({ whenUnsatisfiable: undefined })),
      [[`${TSC}.whenUnsatisfiable`, 'Unsupported value: "": supported values: "DoNotSchedule", "ScheduleAnyway"']]],
    ['a repeated {topologyKey, whenUnsatisfiable} pair', spread(sc(), sc({ maxSkew: 2 }), sc({ whenUnsatisfiable: 'ScheduleAnyway' })),
      [[`${TSC}.{topologyKey, whenUnsatisfiable}`, 'Duplicate value: "{zone, DoNotSchedule}"']]],
    ['a pair three times', spread(sc(), sc(), sc()), [
      [`${TSC}.{topologyKey, whenUnsatisfiable}`, 'Duplicate value: "{zone, DoNotSchedule}"'],
      ['spec.topologySpreadConstraints[1].{topologyKey, whenUnsatisfiable}', 'Duplicate value: "{zone, DoNotSchedule}"'],
    ]],
    ['minDomains 0', spread(sc({ minDomains: 0 })), [[`${TSC}.minDomains`, 'Invalid value: 0: must be greater than zero']]],
    ['minDomains with ScheduleAnyway', spread(sc({ minDomains: 2, whenUnsatisfiable: 'ScheduleAnyway' })),
      [[`${TSC}.minDomains`, 'Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway']]],
    ['minDomains -1 with ScheduleAnyway', spread(sc({ minDomains: -1, whenUnsatisfiable: 'ScheduleAnyway' })), [
      [`${TSC}.minDomains`, 'Invalid value: -1: must be greater than zero'],
      [`${TSC}.minDomains`, 'Invalid value: -1: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway'],
    ]],
    ['unknown node inclusion policies', spread(sc({ nodeAffinityPolicy: 'Always', nodeTaintsPolicy: '' })), [
      [`${TSC}.nodeAffinityPolicy`, 'Unsupported value: "Always": supported values: "Honor", "Ignore"'],
      [`${TSC}.nodeTaintsPolicy`, 'Unsupported value: "": supported values: "Honor", "Ignore"'],
    ]],
    ['matchLabelKeys without a labelSelector', spread(sc({ labelSelector: undefined, matchLabelKeys: ['pod-template-hash'] })),
      [[`${TSC}.matchLabelKeys`, 'Forbidden: must not be specified when labelSelector is not set']]],
    ['matchLabelKeys naming selector keys or bad keys', spread(sc({
      labelSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
      matchLabelKeys: ['app', 'tier', 'bad key', 'pod-template-hash'],
    })), [
      [`${TSC}.matchLabelKeys[0]`, 'Invalid value: "app": exists in both matchLabelKeys and labelSelector'],
      [`${TSC}.matchLabelKeys[1]`, 'Invalid value: "tier": exists in both matchLabelKeys and labelSelector'],
      [`${TSC}.matchLabelKeys[2]`, `Invalid value: "bad key": ${QNAME_NAME_MSG}`],
    ]],
    ['a bad labelSelector', spread(sc({ labelSelector: { matchExpressions: [{ key: 'app', operator: 'in', values: ['web'] }] } })),
      [[`${TSC}.labelSelector.matchExpressions[0].operator`, 'Invalid value: "in": not a valid selector operator']]],
    ['everything wrong at once, in Kubernetes\' order', spread({ maxSkew: 0, minDomains: 0, nodeAffinityPolicy: 'x', nodeTaintsPolicy: 'y', matchLabelKeys: ['k'] }), [
      [`${TSC}.maxSkew`, 'Invalid value: 0: must be greater than zero'],
      [`${TSC}.topologyKey`, 'Required value: can not be empty'],
      [`${TSC}.whenUnsatisfiable`, 'Unsupported value: "": supported values: "DoNotSchedule", "ScheduleAnyway"'],
      [`${TSC}.minDomains`, 'Invalid value: 0: must be greater than zero'],
      [`${TSC}.minDomains`, 'Invalid value: 0: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not '],
      [`${TSC}.nodeAffinityPolicy`, 'Unsupported value: "x": supported values: "Honor", "Ignore"'],
      [`${TSC}.nodeTaintsPolicy`, 'Unsupported value: "y": supported values: "Honor", "Ignore"'],
      [`${TSC}.matchLabelKeys`, 'Forbidden: must not be specified when labelSelector is not set'],
    ]],
  ])('%s', (_name, spec, want) => {
    expect(check(spec)).toEqual(want);
  });

  it('a pod with maxSkew 0 gets Kubernetes\' 422 message', () => {
    const p = pod({ containers: [c()], ...spread(sc({ maxSkew: 0 })) });
    expect(invalidMessage('Pod', '', 'web', validateObject('Pod', p))).toBe('Pod "web" is invalid: spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero');
  });

  it('affinity and topologySpreadConstraints of the wrong JSON type', () => {
    expect(check({ affinity: [], topologySpreadConstraints: {} })).toEqual([
      ['spec.affinity', 'Invalid value: "array": spec.affinity in body must be of type object: "array"'],
      ['spec.topologySpreadConstraints', 'Invalid value: "object": spec.topologySpreadConstraints in body must be of type array: "object"'],
    ]);
  });
});

describe('pod templates get the same rules', () => {
  const withTemplateSpec = (o: KObject, extra: Record<string, unknown>, at: (o: KObject) => Record<string, unknown>): KObject => {
    Object.assign(at(o), extra);
    applyDefaults(o.kind ?? '', o);
    return o;
  };
  const bad = { ...spread(sc({ maxSkew: 0 })), ...podAffinity({ topologyKey: '' }) };
  const causesAt = (prefix: string): Want => [
    [`${prefix}.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey`, 'Required value: can not be empty'],
    [`${prefix}.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey`, 'Invalid value: "": name part must be non-empty'],
    [`${prefix}.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey`, `Invalid value: "": ${QNAME_NAME_MSG}`],
    [`${prefix}.topologySpreadConstraints[0].maxSkew`, 'Invalid value: 0: must be greater than zero'],
  ];
  type Spec = { spec: Record<string, unknown> };
  const tplSpec = (o: KObject) => (o.spec as { template: Spec }).template.spec;
  it.each<[string, () => KObject, string]>([
    ['Deployment', () => withTemplateSpec(deploymentManifest('x', 1) as KObject, bad, tplSpec), 'spec.template.spec'],
    ['ReplicaSet', () => withTemplateSpec(replicaSetManifest('x', 1) as KObject, bad, tplSpec), 'spec.template.spec'],
    ['DaemonSet', () => withTemplateSpec(daemonSetManifest('x') as KObject, bad, tplSpec), 'spec.template.spec'],
    ['Job', () => withTemplateSpec(jobManifest('x', { manualSelector: true, selector: { matchLabels: { app: 'x' } } }) as KObject, bad, tplSpec), 'spec.template.spec'],
    ['CronJob', () => withTemplateSpec(cronJobManifest('x', '* * * * *') as KObject, bad,
      (o) => (o.spec as { jobTemplate: { spec: { template: Spec } } }).jobTemplate.spec.template.spec), 'spec.jobTemplate.spec.template.spec'],
    ['ReplicationController', () => withTemplateSpec({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'x', namespace: 'default' },
      spec: { replicas: 1, selector: { app: 'x' }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [c()] } } } }, bad, tplSpec), 'spec.template.spec'],
    ['PodTemplate', () => withTemplateSpec({ apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'x', namespace: 'default' },
      template: { spec: { containers: [c()] } } }, bad, (o) => (o.template as Spec).spec), 'template.spec'],
  ])('%s', (kind, make, prefix) => {
    expect(validateObject(kind, make()).map((x) => [x.field, x.message])).toEqual(causesAt(prefix));
  });

  it('a StatefulSet\'s template is not validated as a pod spec (as in Kubernetes); its pods are', () => {
    const sts: KObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x', namespace: 'default' }, spec: {
      serviceName: 'x', replicas: 1, selector: { matchLabels: { app: 'x' } },
      template: { metadata: { labels: { app: 'x' } }, spec: { containers: [c()], ...spread(sc({ maxSkew: 0 })) } },
    } };
    applyDefaults('StatefulSet', sts);
    expect(validateObject('StatefulSet', sts)).toEqual([]);
  });
});

describe('a PersistentVolume\'s node affinity shares the node selector rules', () => {
  it('refuses an unknown operator and a bad matchFields key as Kubernetes does', () => {
    const pv: KObject = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: {
      capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], local: { path: '/data' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'Equals', values: ['n'] }], matchFields: [{ key: 'name', operator: 'In', values: ['n'] }] }] } },
    } };
    applyDefaults('PersistentVolume', pv);
    expect(validateObject('PersistentVolume', pv).map((x) => [x.field, x.message])).toEqual([
      ['spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].operator', 'Invalid value: "Equals": not a valid selector operator'],
      ['spec.nodeAffinity.required.nodeSelectorTerms[0].matchFields[0].key', 'Invalid value: "name": not a valid field selector key'],
    ]);
  });
});
