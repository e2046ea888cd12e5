// The pods the UI's informer gets leave out what no view reads from it (volumes, tolerations, server defaults, null
// lastProbeTime) and keep all it does read; the pod given is not changed, and other kinds only lose managedFields.
import { describe, expect, it } from 'vitest';
import type { KObject, Pod } from '../../../main/api/types';
import { informerObject, leanPod } from '../../../main/bridge/lean-pod';

function fullPod(): Pod & KObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: 'web-1', namespace: 'default', uid: 'u1', resourceVersion: '7', labels: { app: 'web' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d', uid: 'r1', controller: true }],
      managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
    },
    spec: {
      nodeName: 'n1', restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', serviceAccountName: 'default',
      serviceAccount: 'default', enableServiceLinks: true, securityContext: {}, preemptionPolicy: 'PreemptLowerPriority', terminationGracePeriodSeconds: 30,
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      volumes: [{ name: 'kube-api-access-x', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }],
      initContainers: [{ name: 'init', image: 'busybox', volumeMounts: [{ name: 'kube-api-access-x', mountPath: '/var/run' }] }],
      containers: [{
        name: 'app', image: 'nginx:1', ports: [{ containerPort: 80 }], imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File', volumeMounts: [{ name: 'kube-api-access-x', mountPath: '/var/run' }],
      }],
    },
    status: {
      phase: 'Running', podIP: '10.244.0.3',
      conditions: [
        { type: 'Ready', status: 'True', lastProbeTime: null as unknown as string, lastTransitionTime: '2026-12-04T03:44:51Z' },
        { type: 'PodScheduled', status: 'True', lastProbeTime: '2026-12-04T03:44:50Z' },
      ],
      containerStatuses: [{ name: 'app', image: 'nginx:1', imageID: 'nginx@sha256:1', ready: true, restartCount: 0, state: { running: {} } }],
    },
  };
}

describe('leanPod', () => {
  it('leaves out what no view reads from the informer and keeps the rest', () => {
    const pod = fullPod();
    const before = JSON.stringify(pod);
    const lean = leanPod(pod);
    expect(JSON.stringify(pod)).toBe(before);
    expect(lean.metadata).toEqual({ ...pod.metadata, managedFields: undefined });
    expect(lean.spec).toEqual({
      nodeName: 'n1', restartPolicy: 'Always', serviceAccountName: 'default',
      initContainers: [{ name: 'init', image: 'busybox' }],
      containers: [{ name: 'app', image: 'nginx:1', ports: [{ containerPort: 80 }] }],
    });
    expect(lean.status?.conditions).toEqual([
      { type: 'Ready', status: 'True', lastTransitionTime: '2026-12-04T03:44:51Z' },
      { type: 'PodScheduled', status: 'True', lastProbeTime: '2026-12-04T03:44:50Z' },
    ]);
    expect(lean.status?.containerStatuses).toEqual(pod.status?.containerStatuses);
    expect(JSON.stringify(lean).length).toBeLessThan(before.length * 0.7);
  });

  it('is used for pods only: other kinds lose their managedFields and nothing else', () => {
    const cm: KObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', managedFields: [{ manager: 'x' }] }, spec: { volumes: [] } };
    expect(informerObject('deployments', cm)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, spec: { volumes: [] } });
    expect(informerObject('pods', fullPod()).spec).not.toHaveProperty('volumes');
  });
});
