import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../../main/api/defaults';
import { invalidMessage, validateObject, validateUpdate } from '../../../main/api/validation';
import type { Cause } from '../../../main/api/validation/cause';
import type { KObject } from '../../../main/api/types';
import { LABEL_MSG, PORT_RANGE } from './k8s-messages';
import { c, pod } from './pod-fixture';

const meta = { name: 'web', namespace: 'default' };

const pick = (causes: Cause[]): Array<[string, string]> => causes.map((x) => [x.field, x.message]);

describe('Pod', () => {
  it('a defaulted pod is valid', () => {
    expect(validateObject('Pod', pod({ containers: [c({ ports: [{ containerPort: 80, name: 'http' }] })] }))).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, Array<[string, string]>]>([
    ['no containers', { containers: [] }, [['spec.containers', 'Required value']]],
    ['container without name and image', { containers: [{}] }, [['spec.containers[0].name', 'Required value'], ['spec.containers[0].image', 'Required value']]],
    ['bad container name', { containers: [c({ name: 'Web' })] }, [['spec.containers[0].name', `Invalid value: "Web": ${LABEL_MSG}`]]],
    ['duplicate container names', { containers: [c(), c()] }, [['spec.containers[1].name', 'Duplicate value: "c"']]],
    ['init container clashing with a container', { containers: [c()], initContainers: [c()] }, [['spec.initContainers[0].name', 'Duplicate value: "c"']]],
    ['port out of range', { containers: [c({ ports: [{ containerPort: 70000 }] })] }, [['spec.containers[0].ports[0].containerPort', `Invalid value: 70000: ${PORT_RANGE}`]]],
    ['port zero', { containers: [c({ ports: [{ containerPort: 0 }] })] }, [['spec.containers[0].ports[0].containerPort', 'Required value']]],
    ['hostPort out of range', { containers: [c({ ports: [{ containerPort: 80, hostPort: 65536 }] })] }, [['spec.containers[0].ports[0].hostPort', `Invalid value: 65536: ${PORT_RANGE}`]]],
    ['duplicate port names', { containers: [c({ ports: [{ containerPort: 80, name: 'http' }, { containerPort: 81, name: 'http' }] })] }, [['spec.containers[0].ports[1].name', 'Duplicate value: "http"']]],
    ['bad port name', { containers: [c({ ports: [{ containerPort: 80, name: 'HTTP' }] })] }, [
      ['spec.containers[0].ports[0].name', 'Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
      ['spec.containers[0].ports[0].name', 'Invalid value: "HTTP": must contain at least one letter (a-z)'],
    ]],
    ['bad protocol', { containers: [c({ ports: [{ containerPort: 80, protocol: 'ICMP' }] })] }, [['spec.containers[0].ports[0].protocol', 'Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"']]],
    ['bad restartPolicy', { containers: [c()], restartPolicy: 'Sometimes' }, [['spec.restartPolicy', 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']]],
    ['bad dnsPolicy', { containers: [c()], dnsPolicy: 'X' }, [['spec.dnsPolicy', 'Unsupported value: "X": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"']]],
    ['bad pull policy', { containers: [c({ imagePullPolicy: 'Sometimes' })] }, [['spec.containers[0].imagePullPolicy', 'Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"']]],
    ['request above limit', { containers: [c({ resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } })] }, [['spec.containers[0].resources.requests', 'Invalid value: "2": must be less than or equal to cpu limit of 1']]],
    ['malformed quantity', { containers: [c({ resources: { requests: { memory: '1GB' } } })] }, [['spec.containers[0].resources.requests[memory]', "Invalid value: \"1GB\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"]]],
    // Defaulting copies the limit into requests, so both report it (as in Kubernetes).
    ['unknown resource', { containers: [c({ resources: { limits: { gpu: '1' } } })] }, [
      ['spec.containers[0].resources.limits[gpu]', 'Invalid value: "gpu": must be a standard resource for containers'],
      ['spec.containers[0].resources.requests[gpu]', 'Invalid value: "gpu": must be a standard resource for containers'],
    ]],
    ['probe without handler', { containers: [c({ livenessProbe: { periodSeconds: 5 } })] }, [['spec.containers[0].livenessProbe', 'Required value: must specify a handler type']]],
    ['liveness successThreshold', { containers: [c({ livenessProbe: { exec: { command: ['true'] }, successThreshold: 2 } })] }, [['spec.containers[0].livenessProbe.successThreshold', 'Invalid value: 2: must be 1']]],
    ['probe port', { containers: [c({ readinessProbe: { httpGet: { port: 0 } } })] }, [['spec.containers[0].readinessProbe.httpGet.port', `Invalid value: 0: ${PORT_RANGE}`]]],
    ['gRPC probe port out of range', { containers: [c({ startupProbe: { grpc: { port: 70000 } } })] }, [['spec.containers[0].startupProbe.grpc.port', `Invalid value: 70000: ${PORT_RANGE}`]]],
    ['gRPC probe without a port (0)', { containers: [c({ livenessProbe: { grpc: { service: 'app' } } })] }, [['spec.containers[0].livenessProbe.grpc.port', `Invalid value: 0: ${PORT_RANGE}`]]],
    ['sysctl name not a sysctl', { containers: [c()], securityContext: { sysctls: [{ name: 'Net.IPv4', value: '1' }] } }, [
      ['spec.securityContext.sysctls[0].name', String.raw`Invalid value: "Net.IPv4": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$`],
    ]],
    ['sysctl without a name, and one twice', { containers: [c()], securityContext: { sysctls: [{ value: '1' }, { name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'net.ipv4.tcp_syncookies', value: '0' }] } }, [
      ['spec.securityContext.sysctls[0].name', 'Required value'], ['spec.securityContext.sysctls[2].name', 'Duplicate value: "net.ipv4.tcp_syncookies"'],
    ]],
    ['network sysctl with hostNetwork', { containers: [c()], hostNetwork: true, securityContext: { sysctls: [{ name: 'net/ipv4/ip_unprivileged_port_start', value: '0' }] } }, [
      ['spec.securityContext.sysctls[0].name', 'Invalid value: "net/ipv4/ip_unprivileged_port_start": may not be specified when \'hostNetwork\' is true'],
    ]],
    ['IPC sysctl with hostIPC', { containers: [c()], hostIPC: true, securityContext: { sysctls: [{ name: 'kernel.shm_rmid_forced', value: '1' }] } }, [
      ['spec.securityContext.sysctls[0].name', 'Invalid value: "kernel.shm_rmid_forced": may not be specified when \'hostIPC\' is true'],
    ]],
    ['env without name', { containers: [c({ env: [{ value: 'x' }] })] }, [['spec.containers[0].env[0].name', 'Required value']]],
    ['nodeSelector label value', { containers: [c()], nodeSelector: { disk: 'a b' } }, [['spec.nodeSelector', expect.stringContaining('Invalid value: "a b": a valid label must be an empty string')]]],
    ['toleration operator', { containers: [c()], tolerations: [{ key: 'k', operator: 'Maybe' }] }, [['spec.tolerations[0].operator', 'Unsupported value: "Maybe": supported values: "Equal", "Exists"']]],
    ['toleration without key', { containers: [c()], tolerations: [{ operator: 'Equal', value: 'v' }] }, [['spec.tolerations[0].operator', 'Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"']]],
    ['toleration seconds without NoExecute', { containers: [c()], tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }] }, [['spec.tolerations[0].effect', 'Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set']]],
    ['volume names', { containers: [c()], volumes: [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }] }, [['spec.volumes[1].name', 'Duplicate value: "v"']]],
    ['activeDeadlineSeconds', { containers: [c()], activeDeadlineSeconds: 0 }, [['spec.activeDeadlineSeconds', 'Invalid value: 0: must be between 1 and 4294967295, inclusive']]],
  ])('%s', (_name, spec, want) => {
    expect(pick(validateObject('Pod', pod(spec)))).toEqual(want);
  });

  it('wrong JSON types are reported, not thrown', () => {
    const causes = validateObject('Pod', pod({ containers: [c({ ports: [{ containerPort: '80' }] })] }));
    expect(pick(causes)).toEqual([['spec.containers[0].ports[0].containerPort', 'Invalid value: "string": spec.containers[0].ports[0].containerPort in body must be of type integer: "string"']]);
    expect(() => validateObject('Pod', { metadata: meta, spec: 'nope' })).not.toThrow();
  });
});

function deployment(spec: Record<string, unknown>, kind = 'Deployment'): KObject {
  const d: KObject = { apiVersion: 'apps/v1', kind, metadata: meta, spec };
  applyDefaults(kind, d);
  return d;
}
const template = { metadata: { labels: { app: 'nginx' } }, spec: { containers: [c()] } };

describe('Deployment', () => {
  it('a defaulted deployment is valid', () => {
    expect(validateObject('Deployment', deployment({ selector: { matchLabels: { app: 'nginx' } }, template }))).toEqual([]);
  });

  it('missing selector: the 422 text kubectl prints', () => {
    const causes = validateObject('Deployment', deployment({ template }));
    expect(invalidMessage('Deployment', 'apps', 'web', causes)).toBe(
      'Deployment.apps "web" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`]',
    );
    expect(causes.map((x) => x.reason)).toEqual(['FieldValueRequired', 'FieldValueInvalid']);
  });

  it.each<[string, Record<string, unknown>, Array<[string, string]>]>([
    ['selector does not match', { selector: { matchLabels: { app: 'other' } }, template }, [['spec.template.metadata.labels', 'Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`']]],
    ['template without labels', { selector: { matchLabels: { app: 'nginx' } }, template: { spec: template.spec } }, [['spec.template.metadata.labels', 'Invalid value: map[string]string(nil): `selector` does not match template `labels`']]],
    ['empty selector', { selector: {}, template }, [['spec.selector', 'Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment']]],
    ['negative replicas', { replicas: -1, selector: { matchLabels: { app: 'nginx' } }, template }, [['spec.replicas', 'Invalid value: -1: must be greater than or equal to 0']]],
    ['bad selector operator', { selector: { matchExpressions: [{ key: 'app', operator: 'Is', values: ['nginx'] }] }, template }, [
      ['spec.selector.matchExpressions[0].operator', 'Invalid value: "Is": not a valid selector operator'],
      ['spec.selector', 'Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Is", Values:[]string{"nginx"}}}}: invalid label selector'],
    ]],
    ['In without values', { selector: { matchExpressions: [{ key: 'app', operator: 'In' }] }, template }, [
      ['spec.selector.matchExpressions[0].values', "Required value: must be specified when `operator` is 'In' or 'NotIn'"],
      ['spec.selector', 'Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"In", Values:[]string(nil)}}}: invalid label selector'],
    ]],
    ['template restartPolicy', { selector: { matchLabels: { app: 'nginx' } }, template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } } }, [['spec.template.spec.restartPolicy', 'Unsupported value: "Never": supported values: "Always"']]],
    ['template container', { selector: { matchLabels: { app: 'nginx' } }, template: { ...template, spec: { containers: [{ name: 'c' }] } } }, [['spec.template.spec.containers[0].image', 'Required value']]],
    ['template label syntax', { selector: { matchLabels: { app: 'nginx' } }, template: { metadata: { labels: { app: 'nginx', 'a b': 'x' } }, spec: template.spec } }, [['spec.template.labels', expect.stringContaining('Invalid value: "a b": name part must consist')]]],
    ['zero surge and unavailable', { selector: { matchLabels: { app: 'nginx' } }, template, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } }, [['spec.strategy.rollingUpdate.maxUnavailable', 'Invalid value: 0%: may not be 0 when `maxSurge` is 0']]],
    ['bad percent', { selector: { matchLabels: { app: 'nginx' } }, template, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '1x', maxUnavailable: 1 } } }, [['spec.strategy.rollingUpdate.maxSurge', "Invalid value: 1x: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"]]],
    ['over 100%', { selector: { matchLabels: { app: 'nginx' } }, template, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '150%' } } }, [['spec.strategy.rollingUpdate.maxUnavailable', 'Invalid value: 150%: must not be greater than 100%']]],
    ['Recreate with rollingUpdate', { selector: { matchLabels: { app: 'nginx' } }, template, strategy: { type: 'Recreate', rollingUpdate: {} } }, [['spec.strategy.rollingUpdate', "Forbidden: may not be specified when strategy `type` is 'Recreate'"]]],
    ['bad strategy', { selector: { matchLabels: { app: 'nginx' } }, template, strategy: { type: 'BlueGreen' } }, [['spec.strategy.type', 'Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"']]],
    ['progress deadline', { selector: { matchLabels: { app: 'nginx' } }, template, minReadySeconds: 700 }, [['spec.progressDeadlineSeconds', 'Invalid value: 600: must be greater than minReadySeconds']]],
    // The message Helm 3.18.0 users saw from real clusters.
    ['zero progress deadline', { selector: { matchLabels: { app: 'nginx' } }, template, progressDeadlineSeconds: 0 }, [['spec.progressDeadlineSeconds', 'Invalid value: 0: must be greater than minReadySeconds']]],
    ['replicas as string', { replicas: '3', selector: { matchLabels: { app: 'nginx' } }, template }, [['spec.replicas', 'Invalid value: "string": spec.replicas in body must be of type integer: "string"']]],
  ])('%s', (_name, spec, want) => {
    expect(pick(validateObject('Deployment', deployment(spec)))).toEqual(want);
  });

  it('matchExpressions selectors are honoured', () => {
    const spec = { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['nginx', 'web'] }] }, template };
    expect(validateObject('Deployment', deployment(spec))).toEqual([]);
  });

  it('spec.selector is immutable', () => {
    const old = deployment({ selector: { matchLabels: { app: 'nginx' } }, template });
    const next = deployment({ selector: { matchLabels: { app: 'nginx', v: '2' } }, template: { ...template, metadata: { labels: { app: 'nginx', v: '2' } } } });
    expect(validateUpdate('Deployment', next, old)).toEqual([{
      reason: 'FieldValueInvalid', field: 'spec.selector',
      message: 'Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"nginx", "v":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    }]);
    const scaled = deployment({ replicas: 5, selector: { matchLabels: { app: 'nginx' } }, template: { ...template, spec: { containers: [c({ image: 'nginx:1.28' })] } } });
    expect(validateUpdate('Deployment', scaled, old)).toEqual([]);
  });
});

describe('ReplicaSet', () => {
  it('valid, missing selector, immutable selector', () => {
    expect(validateObject('ReplicaSet', deployment({ selector: { matchLabels: { app: 'nginx' } }, template }, 'ReplicaSet'))).toEqual([]);
    expect(pick(validateObject('ReplicaSet', deployment({ template }, 'ReplicaSet')))).toEqual([
      ['spec.selector', 'Required value'],
      ['spec.template.metadata.labels', 'Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`'],
    ]);
    expect(pick(validateObject('ReplicaSet', deployment({ selector: {}, template }, 'ReplicaSet')))).toEqual([
      ['spec.selector', 'Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
    ]);
    expect(pick(validateObject('ReplicaSet', deployment({ replicas: -2, selector: { matchLabels: { app: 'nginx' } }, template }, 'ReplicaSet')))).toEqual([
      ['spec.replicas', 'Invalid value: -2: must be greater than or equal to 0'],
    ]);
    const old = deployment({ selector: { matchLabels: { app: 'nginx' } }, template }, 'ReplicaSet');
    const next = deployment({ selector: { matchLabels: { app: 'x' } }, template }, 'ReplicaSet');
    expect(pick(validateUpdate('ReplicaSet', next, old))).toEqual([
      ['spec.selector', 'Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable'],
    ]);
  });
});

describe('DaemonSet', () => {
  const ds = (spec: Record<string, unknown>): KObject => deployment(spec, 'DaemonSet');
  it('valid and invalid', () => {
    expect(validateObject('DaemonSet', ds({ selector: { matchLabels: { app: 'nginx' } }, template }))).toEqual([]);
    expect(pick(validateObject('DaemonSet', ds({ selector: { matchLabels: { app: 'x' } }, template })))).toEqual([
      ['spec.template.metadata.labels', 'Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`'],
    ]);
    expect(pick(validateObject('DaemonSet', ds({ selector: {}, template })))).toEqual([
      ['spec.selector', 'Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset'],
    ]);
    expect(pick(validateObject('DaemonSet', ds({ selector: { matchLabels: { app: 'nginx' } }, template, updateStrategy: { type: 'Sometimes' } })))).toEqual([
      ['spec.updateStrategy.type', 'Unsupported value: "Sometimes": supported values: "OnDelete", "RollingUpdate"'],
    ]);
    expect(pick(validateObject('DaemonSet', ds({ selector: { matchLabels: { app: 'nginx' } }, template, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } })))).toEqual([
      ['spec.updateStrategy.rollingUpdate.maxUnavailable', 'Required value: cannot be 0 when maxSurge is 0'],
    ]);
    expect(pick(validateObject('DaemonSet', ds({ selector: { matchLabels: { app: 'nginx' } }, template, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '10%' } } })))).toEqual([
      ['spec.updateStrategy.rollingUpdate.maxSurge', 'Invalid value: 10%: may not be set when maxUnavailable is non-zero'],
    ]);
  });
  it('selector is immutable', () => {
    const old = ds({ selector: { matchLabels: { app: 'nginx' } }, template });
    const next = ds({ selector: { matchLabels: { app: 'nginx' }, matchExpressions: [{ key: 'a', operator: 'Exists' }] }, template });
    expect(pick(validateUpdate('DaemonSet', next, old))).toEqual([
      ['spec.selector', 'Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"nginx"}, MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"a", Operator:"Exists", Values:[]string(nil)}}}: field is immutable'],
    ]);
  });
});
