import { describe, expect, it } from 'vitest';
import { checkStructure, schemaTypeFor, strictDecodingMessage } from '../../../main/api/schema/structural';

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web', namespace: 'default', labels: { app: 'web', 'app.kubernetes.io/part-of': 'shop' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"apps/v1"}\n' },
  },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }] },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [{
          name: 'nginx', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent',
          ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }],
          env: [{ name: 'MODE', value: 'prod' }, { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: 1, memory: '128Mi' } },
          readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
          livenessProbe: { tcpSocket: { port: 80 }, initialDelaySeconds: 3 },
          volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
        }],
        volumes: [{ name: 'cache', emptyDir: { sizeLimit: '1Gi' } }],
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
        restartPolicy: 'Always',
      },
    },
  },
  status: { replicas: 3, readyReplicas: 3, conditions: [{ type: 'Available', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
});

const clean = { unknownFields: [], typeErrors: [] };

describe('checkStructure: valid objects', () => {
  it('a full Deployment passes', () => {
    expect(checkStructure('apps/v1', 'Deployment', deployment())).toEqual(clean);
  });

  it('a Pod with init containers, probes and status passes', () => {
    const pod = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        name: 'web-1', namespace: 'default', uid: 'u', resourceVersion: '12', creationTimestamp: '2026-01-01T00:00:00Z',
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'x', controller: true, blockOwnerDeletion: true }],
        managedFields: [{ manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } }],
        finalizers: ['example.com/x'],
      },
      spec: {
        initContainers: [{ name: 'init', image: 'busybox', command: ['sh', '-c', 'true'], restartPolicy: 'Always' }],
        containers: [{ name: 'app', image: 'app:1', args: ['--port=8080'], securityContext: { runAsUser: 1000, capabilities: { add: ['NET_ADMIN'] } } }],
        nodeName: 'node-1', terminationGracePeriodSeconds: 30, hostNetwork: false,
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['b'] }] }] } } },
        overhead: { cpu: '10m' },
      },
      status: {
        phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }], startTime: '2026-01-01T00:00:01Z',
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'app:1', imageID: 'sha256:x', started: true, state: { running: { startedAt: '2026-01-01T00:00:02Z' } } }],
      },
    };
    expect(checkStructure('v1', 'Pod', pod)).toEqual(clean);
  });

  it('a NodePort Service, an EndpointSlice, a Node, an Event, a Lease and DeleteOptions pass', () => {
    expect(checkStructure('v1', 'Service', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 's' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30080, protocol: 'TCP' }], clusterIPs: ['10.96.0.5'], ipFamilies: ['IPv4'] },
      status: { loadBalancer: {} },
    })).toEqual(clean);
    expect(checkStructure('discovery.k8s.io/v1', 'EndpointSlice', {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'x' }, addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true }, nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'p' } }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    })).toEqual(clean);
    expect(checkStructure('v1', 'Node', {
      apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: { podCIDR: '10.244.1.0/24', taints: [{ key: 'k', effect: 'NoSchedule' }] },
      status: { capacity: { cpu: '2', memory: '2029876Ki', pods: '110' }, allocatable: { cpu: 2 }, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-01T00:00:00Z' }], nodeInfo: { kubeletVersion: 'v1.32.0' } },
    })).toEqual(clean);
    expect(checkStructure('v1', 'Event', {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p' }, reason: 'Pulled', count: 2,
      eventTime: '2026-01-01T00:00:00.123456Z', series: { count: 2, lastObservedTime: '2026-01-01T00:00:01.000001Z' },
    })).toEqual(clean);
    expect(checkStructure('coordination.k8s.io/v1', 'Lease', {
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node-1', namespace: 'kube-node-lease' },
      spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:00.000000Z' },
    })).toEqual(clean);
    expect(checkStructure('v1', 'DeleteOptions', { propagationPolicy: 'Background', gracePeriodSeconds: 0 })).toEqual(clean);
    expect(checkStructure('policy/v1', 'Eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p' }, deleteOptions: {} })).toEqual(clean);
    expect(checkStructure('autoscaling/v1', 'Scale', { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 3 }, status: { replicas: 2, selector: 'app=web' } })).toEqual(clean);
  });

  it('nulls decode to zero values and are accepted anywhere', () => {
    const d = deployment();
    expect(checkStructure('apps/v1', 'Deployment', { ...d, metadata: { ...d.metadata, creationTimestamp: null }, spec: { ...d.spec, replicas: null, strategy: null } })).toEqual(clean);
  });
});

describe('checkStructure: unknown fields', () => {
  it('reports typos with Kubernetes-style paths, in document order', () => {
    const d = deployment() as Record<string, unknown> & ReturnType<typeof deployment>;
    (d.spec as Record<string, unknown>).replica = 3;
    (d.spec.template.spec.containers[0] as Record<string, unknown>).imagee = 'nginx';
    (d.metadata as Record<string, unknown>).label = { a: 'b' };
    d.extra = true;
    expect(checkStructure('apps/v1', 'Deployment', d).unknownFields).toEqual([
      'metadata.label', 'spec.template.spec.containers[0].imagee', 'spec.replica', 'extra',
    ]);
  });

  it('reports fields inside lists and maps of structs', () => {
    const pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
      spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y', ports: [{ containerPort: 80, hostport: 8080 }], resources: { limit: { cpu: '1' } } }] },
    };
    expect(checkStructure('v1', 'Pod', pod).unknownFields).toEqual(['spec.containers[1].ports[0].hostport', 'spec.containers[1].resources.limit']);
  });

  it('field names are case-sensitive', () => {
    expect(checkStructure('v1', 'ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { Name: 'x' }, Data: {} }).unknownFields).toEqual(['metadata.Name', 'Data']);
  });

  it('free-form maps (labels, annotations, data, selectors) accept any key', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { 'any/key': 'v' } }, data: { 'weird key.txt': 'v', 'spec.foo': 'x' }, binaryData: { b: 'AAE=' } };
    expect(checkStructure('v1', 'ConfigMap', cm)).toEqual(clean);
  });

  it('kinds without a schema report nothing', () => {
    expect(schemaTypeFor('example.com/v1', 'Widget')).toBeUndefined();
    expect(checkStructure('example.com/v1', 'Widget', { spec: { anything: 1 } })).toEqual(clean);
  });
});

describe('checkStructure: type errors', () => {
  it('detects wrong primitive types with readable messages', () => {
    const d = deployment();
    const bad = { ...d, spec: { ...d.spec, replicas: '3', paused: 'yes', template: { ...d.spec.template, spec: { ...d.spec.template.spec, containers: [{ ...d.spec.template.spec.containers[0], ports: [{ containerPort: 80.5 }], image: 5 }] } } } };
    expect(checkStructure('apps/v1', 'Deployment', bad).typeErrors).toEqual([
      { field: 'spec.replicas', message: 'expected integer, got string "3"' },
      { field: 'spec.template.spec.containers[0].image', message: 'expected string, got number 5' },
      { field: 'spec.template.spec.containers[0].ports[0].containerPort', message: 'expected integer, got number 80.5' },
      { field: 'spec.paused', message: 'expected boolean, got string "yes"' },
    ]);
  });

  it('detects wrong structure: object vs array vs map', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: ['a'] }, spec: { containers: { name: 'a' } } };
    expect(checkStructure('v1', 'Pod', pod).typeErrors).toEqual([
      { field: 'metadata.labels', message: 'expected object, got array' },
      { field: 'spec.containers', message: 'expected array, got object' },
    ]);
    expect(checkStructure('v1', 'Pod', { metadata: { labels: { a: 1 } }, spec: 'x' }).typeErrors).toEqual([
      { field: 'metadata.labels.a', message: 'expected string, got number 1' },
      { field: 'spec', message: 'expected object, got string "x"' },
    ]);
  });

  it('int-or-string, quantities and dates', () => {
    const pod = {
      metadata: { creationTimestamp: 'yesterday' },
      spec: { containers: [{ name: 'a', resources: { limits: { cpu: 'lots', memory: 128 } }, readinessProbe: { httpGet: { port: true } } }] },
    };
    expect(checkStructure('v1', 'Pod', pod).typeErrors).toEqual([
      { field: 'metadata.creationTimestamp', message: 'expected RFC 3339 date-time, got string "yesterday"' },
      { field: 'spec.containers[0].resources.limits.cpu', message: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$', got string \"lots\"" },
      { field: 'spec.containers[0].readinessProbe.httpGet.port', message: 'expected integer or string, got boolean true' },
    ]);
  });

  it('words the first error as decoding into the Go structs does (encoding/json), for the Status kube-apiserver sends', () => {
    const d = deployment();
    const bad = { ...d, spec: { ...d.spec, replicas: '3', template: { ...d.spec.template, spec: { ...d.spec.template.spec, containers: [{ ...d.spec.template.spec.containers[0], env: [{ name: 'PORT', value: 8080 }] }] } } } };
    // The first in document order; list indexes and map keys are not in the path; the struct is the one holding the field.
    expect(checkStructure('apps/v1', 'Deployment', bad).decodeError).toBe('json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
    const env = { ...bad, spec: { ...bad.spec, replicas: 3 } };
    expect(checkStructure('apps/v1', 'Deployment', env).decodeError).toBe('json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string');
    const cases: Array<[string, string, unknown, string]> = [
      ['v1', 'Pod', { metadata: { labels: ['a'] } }, 'json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string'],
      ['v1', 'Pod', { metadata: { labels: { a: 1 } } }, 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'],
      ['v1', 'Pod', { spec: { containers: 5 } }, 'json: cannot unmarshal number into Go struct field PodSpec.spec.containers of type []v1.Container'],
      ['v1', 'Pod', { spec: { imagePullSecrets: ['regcred'] } }, 'json: cannot unmarshal string into Go struct field PodSpec.spec.imagePullSecrets of type v1.LocalObjectReference'],
      ['v1', 'Pod', { spec: { restartPolicy: 1 } }, 'json: cannot unmarshal number into Go struct field PodSpec.spec.restartPolicy of type v1.RestartPolicy'],
      ['v1', 'Pod', { spec: { activeDeadlineSeconds: 1.5 } }, 'json: cannot unmarshal number 1.5 into Go struct field PodSpec.spec.activeDeadlineSeconds of type int64'],
      ['apps/v1', 'Deployment', { spec: { replicas: 3000000000 } }, 'json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32'],
      ['v1', 'Secret', { data: { a: 1 } }, 'json: cannot unmarshal number into Go struct field Secret.data of type []uint8'],
      ['v1', 'ConfigMap', { metadata: 'x' }, 'json: cannot unmarshal string into Go struct field ConfigMap.metadata of type v1.ObjectMeta'],
      // Types with decoders of their own: IntOrString decodes a non-string as its int32, Time a string first.
      ['v1', 'Service', { spec: { ports: [{ port: 80, targetPort: true }] } }, 'json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32'],
      ['v1', 'Pod', { metadata: { creationTimestamp: 5 } }, 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string'],
    ];
    for (const [apiVersion, kind, obj, message] of cases) expect(checkStructure(apiVersion, kind, obj).decodeError, JSON.stringify(obj)).toBe(message);
  });

  it('a custom decoder\'s error stops the decoding: it is the one reported, not an earlier one', () => {
    const pod = { spec: { containers: [{ name: 'a', image: 5, resources: { limits: { cpu: 'lots' } }, readinessProbe: { httpGet: { port: true } } }] } };
    const r = checkStructure('v1', 'Pod', pod);
    expect(r.typeErrors.map((t) => t.field)).toEqual(['spec.containers[0].image', 'spec.containers[0].resources.limits.cpu', 'spec.containers[0].readinessProbe.httpGet.port']);
    expect(r.decodeError).toBe("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  });

  it('a quantity of the right shape with a suffix that is none of Kubernetes\' is ParseQuantity\'s ErrSuffix', () => {
    const pod = (cpu: string) => ({ spec: { containers: [{ name: 'a', resources: { limits: { cpu } } }] } });
    for (const cpu of ['1MM', '5mi', '1K', '1e']) {
      const r = checkStructure('v1', 'Pod', pod(cpu));
      expect(r.typeErrors, cpu).toEqual([{ field: 'spec.containers[0].resources.limits.cpu', message: `unable to parse quantity's suffix, got string "${cpu}"` }]);
      expect(r.decodeError).toBe("unable to parse quantity's suffix");
    }
    for (const cpu of ['1.2.3', 'lots', '100Mb']) expect(checkStructure('v1', 'Pod', pod(cpu)).decodeError, cpu).toBe("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    // Quantity.UnmarshalJSON trims the string (strings.TrimSpace) before it parses it: spaces around are no error,
    // inside they are; a byte-order mark is not one of Go's spaces.
    for (const cpu of [' 1', '1 ', '\t250m\n', '\u00a01Gi\u0085']) expect(checkStructure('v1', 'Pod', pod(cpu)).typeErrors, JSON.stringify(cpu)).toEqual([]);
    for (const cpu of ['1 Gi', '\ufeff1']) expect(checkStructure('v1', 'Pod', pod(cpu)).decodeError, JSON.stringify(cpu)).toBe("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    for (const cpu of ['1', '250m', '1Ki', '1e3', '1E', '.5', '1.']) expect(checkStructure('v1', 'Pod', pod(cpu)).typeErrors, cpu).toEqual([]);
  });

  it('has no Go wording where a type is not one of Kubernetes\' Go structs or the error is not worded here', () => {
    expect(checkStructure('v1', 'Pod', { metadata: { creationTimestamp: 'yesterday' } }).decodeError).toBeUndefined(); // time.Parse's own words
    expect(checkStructure('flotilla.dev/v1alpha1', 'Machine', { spec: { cpus: '2' } })).not.toHaveProperty('decodeError');
  });

  it('a non-object body is a type error at the root', () => {
    expect(checkStructure('v1', 'Pod', [1, 2])).toEqual({ unknownFields: [], typeErrors: [{ field: '', message: 'expected object, got array' }] });
  });
});

describe('Machine schema', () => {
  const machine = {
    apiVersion: 'flotilla.dev/v1alpha1', kind: 'Machine', metadata: { name: 'node-1' },
    spec: { provider: 'sandbox', cpus: 2, memoryMiB: 2048, diskGiB: 10, running: true },
    status: {
      phase: 'Running', message: 'ready', nodeName: 'node-1', addresses: [{ type: 'InternalIP', address: '10.251.0.11' }],
      progress: { step: 5, total: 5, message: 'done' }, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }],
    },
  };

  it('accepts a valid Machine', () => {
    expect(checkStructure('flotilla.dev/v1alpha1', 'Machine', machine)).toEqual(clean);
  });

  it('reports unknown fields and type errors', () => {
    const bad = { ...machine, spec: { ...machine.spec, memory: '2Gi', cpus: '2' }, status: { ...machine.status, progress: { step: 1, total: 5, msg: 'x' } } };
    expect(checkStructure('flotilla.dev/v1alpha1', 'Machine', bad)).toEqual({
      unknownFields: ['spec.memory', 'status.progress.msg'],
      typeErrors: [{ field: 'spec.cpus', message: 'expected integer, got string "2"' }],
    });
  });
});

describe('strictDecodingMessage', () => {
  it('matches the apiserver text kubectl prints', () => {
    expect(strictDecodingMessage('Deployment', 'v1', ['spec.foo'])).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"',
    );
    expect(strictDecodingMessage('Pod', 'v1', ['spec.containers[0].imagee', 'spec.foo'])).toBe(
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagee", unknown field "spec.foo"',
    );
  });
});
