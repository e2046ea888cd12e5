import { describe, expect, it } from 'vitest';
import { applyDefaults, defaultPullPolicy } from '../../../main/api/defaults';
import type { KObject } from '../../../main/api/types';

function defaulted(kind: string, obj: KObject): Record<string, unknown> {
  const o = structuredClone(obj);
  applyDefaults(kind, o);
  return o;
}

const CONTAINER_DEFAULTS = {
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
};
const POD_SPEC_DEFAULTS = {
  restartPolicy: 'Always',
  dnsPolicy: 'ClusterFirst',
  schedulerName: 'default-scheduler',
  terminationGracePeriodSeconds: 30,
  securityContext: {},
  enableServiceLinks: true,
};
const NO_EXECUTE_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

describe('imagePullPolicy', () => {
  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v1', 'IfNotPresent'],
    ['docker.io/library/busybox@sha256:abcd', 'IfNotPresent'],
  ])('%s → %s', (image, want) => {
    expect(defaultPullPolicy(image)).toBe(want);
  });
});

describe('Pod defaults', () => {
  const pod: KObject = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' },
    spec: {
      containers: [{
        name: 'web', image: 'nginx',
        ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
        livenessProbe: { httpGet: { port: 80 } },
        readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
        startupProbe: { grpc: { port: 9090 } },
        env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
        resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
      }],
    },
  };

  it('fills the PodSpec, container, probe and admission defaults', () => {
    const o = defaulted('Pod', pod);
    expect(o.spec).toMatchObject({ ...POD_SPEC_DEFAULTS, priority: 0, serviceAccountName: 'default', tolerations: NO_EXECUTE_TOLERATIONS });
    const c = (o.spec as { containers: Array<Record<string, unknown>> }).containers[0];
    expect(c).toMatchObject({ ...CONTAINER_DEFAULTS, imagePullPolicy: 'Always' });
    expect(c?.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }]);
    expect(c?.livenessProbe).toEqual({
      httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3,
    });
    expect(c?.readinessProbe).toMatchObject({ periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
    // GRPCAction.service defaults to "" (+default=""), never left null.
    expect(c?.startupProbe).toMatchObject({ grpc: { port: 9090, service: '' } });
    expect(c?.env).toEqual([{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName', apiVersion: 'v1' } } }]);
    expect(c?.resources).toEqual({ limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
  });

  it('keeps explicit values and does not set server-owned metadata', () => {
    const o = defaulted('Pod', {
      metadata: { name: 'p' },
      spec: { restartPolicy: 'Never', dnsPolicy: 'Default', terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'a:1', imagePullPolicy: 'Never' }] },
    });
    expect(o.spec).toMatchObject({ restartPolicy: 'Never', dnsPolicy: 'Default', terminationGracePeriodSeconds: 0 });
    expect((o.spec as { containers: Array<Record<string, unknown>> }).containers[0]?.imagePullPolicy).toBe('Never');
    expect(o.metadata).toEqual({ name: 'p' });
  });

  it('does not duplicate existing not-ready/unreachable tolerations', () => {
    const o = defaulted('Pod', { spec: { containers: [], tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }] } });
    expect((o.spec as { tolerations: unknown[] }).tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 },
      NO_EXECUTE_TOLERATIONS[1],
    ]);
    const all = defaulted('Pod', { spec: { containers: [], tolerations: [{ operator: 'Exists' }] } });
    expect((all.spec as { tolerations: unknown[] }).tolerations).toEqual([{ operator: 'Exists' }]);
  });

  it("takes the cluster's default toleration seconds (kube-apiserver's --default-*-toleration-seconds)", () => {
    const o = structuredClone({ spec: { containers: [] } }) as KObject;
    applyDefaults('Pod', o, { tolerationSeconds: { notReady: 7, unreachable: 5 } });
    expect((o.spec as { tolerations: unknown[] }).tolerations).toEqual([
      { ...NO_EXECUTE_TOLERATIONS[0], tolerationSeconds: 7 },
      { ...NO_EXECUTE_TOLERATIONS[1], tolerationSeconds: 5 },
    ]);
  });

  it('is idempotent', () => {
    const once = defaulted('Pod', pod);
    expect(defaulted('Pod', once as KObject)).toEqual(once);
  });

  it('hostNetwork pods get hostPort = containerPort; volumes get a source', () => {
    const o = defaulted('Pod', { spec: { hostNetwork: true, containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 8080 }] }], volumes: [{ name: 'v' }, { name: 'cm', configMap: { name: 'x' } }] } });
    const spec = o.spec as { containers: Array<{ ports: unknown[] }>; volumes: unknown[] };
    expect(spec.containers[0]?.ports).toEqual([{ containerPort: 8080, protocol: 'TCP', hostPort: 8080 }]);
    expect(spec.volumes).toEqual([{ name: 'v', emptyDir: {} }, { name: 'cm', configMap: { name: 'x', defaultMode: 420 } }]);
  });
});

describe('workload defaults', () => {
  const template = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } };

  it('Deployment', () => {
    const o = defaulted('Deployment', { spec: { selector: { matchLabels: { app: 'a' } }, template } });
    expect(o.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: { spec: { ...POD_SPEC_DEFAULTS, containers: [{ ...CONTAINER_DEFAULTS, imagePullPolicy: 'IfNotPresent' }] } },
    });
    // Admission defaults belong to Pods, not to templates.
    const tplSpec = (o.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    expect(tplSpec.tolerations).toBeUndefined();
    expect(tplSpec.priority).toBeUndefined();
  });

  it('every container of a template reads `resources: {}` (a Go struct), so that the template kubectl writes back hashes the same', async () => {
    const { computeHash } = await import('../../../main/controllers/deployment-util');
    const spec = { initContainers: [{ name: 'init', image: 'nginx:1.27' }], containers: [{ name: 'c', image: 'nginx:1.27', resources: { limits: { cpu: '1' } } }] };
    const o = defaulted('Deployment', { spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec } } });
    const tpl = (o.spec as { template: { spec: { initContainers: Array<Record<string, unknown>>; containers: Array<Record<string, unknown>> } } }).template;
    expect(tpl.spec.initContainers[0].resources).toEqual({});
    expect(tpl.spec.containers[0].resources).toEqual({ limits: { cpu: '1' }, requests: { cpu: '1' } });
    // kubectl rollout undo sends the ReplicaSet's template as Go prints it: `resources: {}` on each container.
    const written = defaulted('Deployment', { spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: {
      ...spec, initContainers: [{ name: 'init', image: 'nginx:1.27', resources: {} }],
    } } } });
    expect(computeHash((written.spec as { template: never }).template)).toBe(computeHash(tpl as never));
  });

  it('Deployment keeps replicas 0 and a Recreate strategy without rollingUpdate', () => {
    const o = defaulted('Deployment', { spec: { replicas: 0, strategy: { type: 'Recreate' }, template } });
    expect(o.spec).toMatchObject({ replicas: 0, strategy: { type: 'Recreate' } });
    expect((o.spec as { strategy: Record<string, unknown> }).strategy.rollingUpdate).toBeUndefined();
  });

  it('ReplicaSet', () => {
    const o = defaulted('ReplicaSet', { spec: { template } });
    expect(o.spec).toMatchObject({ replicas: 1, template: { spec: POD_SPEC_DEFAULTS } });
  });

  it('DaemonSet', () => {
    const o = defaulted('DaemonSet', { spec: { template } });
    expect(o.spec).toMatchObject({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
      template: { spec: POD_SPEC_DEFAULTS },
    });
  });
});

describe('Service defaults', () => {
  it('ClusterIP', () => {
    const o = defaulted('Service', { spec: { selector: { app: 'a' }, ports: [{ port: 80 }, { port: 53, targetPort: 5353, protocol: 'UDP' }, { port: 443, targetPort: 'https' }] } });
    expect(o.spec).toEqual({
      selector: { app: 'a' },
      type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack',
      ports: [
        { port: 80, protocol: 'TCP', targetPort: 80 },
        { port: 53, targetPort: 5353, protocol: 'UDP' },
        { port: 443, targetPort: 'https', protocol: 'TCP' },
      ],
    });
  });
  it('NodePort and LoadBalancer get externalTrafficPolicy', () => {
    expect(defaulted('Service', { spec: { type: 'NodePort', ports: [{ port: 80 }] } }).spec).toMatchObject({ externalTrafficPolicy: 'Cluster' });
    expect(defaulted('Service', { spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } }).spec).toMatchObject({ externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true });
    expect((defaulted('Service', { spec: { ports: [{ port: 80 }] } }).spec as Record<string, unknown>).externalTrafficPolicy).toBeUndefined();
  });
  it('ExternalName gets no IP families', () => {
    const spec = defaulted('Service', { spec: { type: 'ExternalName', externalName: 'example.com' } }).spec as Record<string, unknown>;
    expect(spec.ipFamilies).toBeUndefined();
    expect(spec.sessionAffinity).toBe('None');
  });
  it('ClientIP affinity gets a timeout', () => {
    expect(defaulted('Service', { spec: { sessionAffinity: 'ClientIP', ports: [{ port: 1 }] } }).spec)
      .toMatchObject({ sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } });
  });
});

describe('other kinds', () => {
  it('Secret', () => {
    expect(defaulted('Secret', { data: {} }).type).toBe('Opaque');
    expect(defaulted('Secret', { type: 'kubernetes.io/tls' }).type).toBe('kubernetes.io/tls');
  });
  it('Namespace', () => {
    // The `kubernetes` finalizer is no default: the strategy's PrepareForCreate adds it on create only.
    const o = defaulted('Namespace', { metadata: { name: 'x' } });
    expect(o.spec).toBeUndefined();
    expect(o.status).toEqual({ phase: 'Active' });
  });
  it('Machine', () => {
    expect(defaulted('Machine', { metadata: { name: 'm' } }).spec).toEqual({ provider: 'sandbox', cpus: 2, memoryMiB: 2048, diskGiB: 20, running: true });
    expect(defaulted('Machine', { spec: { provider: 'lima', cpus: 4, running: false } }).spec).toEqual({ provider: 'lima', cpus: 4, memoryMiB: 2048, diskGiB: 20, running: false });
  });
  it('Node allocatable defaults to capacity', () => {
    expect(defaulted('Node', { status: { capacity: { cpu: '2' } } }).status).toEqual({ capacity: { cpu: '2' }, allocatable: { cpu: '2' } });
  });
  it('Endpoints and EndpointSlice port protocols', () => {
    expect(defaulted('Endpoints', { subsets: [{ ports: [{ port: 80 }] }] }).subsets).toEqual([{ ports: [{ port: 80, protocol: 'TCP' }] }]);
    expect(defaulted('EndpointSlice', { ports: [{ port: 80 }] }).ports).toEqual([{ port: 80, protocol: 'TCP' }]);
  });
  it('unknown kinds and ConfigMaps are untouched', () => {
    expect(defaulted('ConfigMap', { data: { a: 'b' } })).toEqual({ data: { a: 'b' } });
    expect(defaulted('Widget', { spec: {} })).toEqual({ spec: {} });
  });
});
