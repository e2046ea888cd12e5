// The node authorizer's graph on its own: a bound pod leads its secrets, configmaps, claims and
// service account to its node (env, envFrom, image pull secrets, volumes, projected sources, every
// kind of container); generic ephemeral volumes lead their <pod>-<volume> claim; a bound volume leads
// to its claim and its node-visible secrets to it; removing a pod or a volume removes the paths;
// mirror pods lead nothing but themselves.
import { describe, expect, it } from 'vitest';
import type { PersistentVolume, Pod } from 'kubernetes-types/core/v1';
import { NodeGraph } from '../../../main/apiserver/authz/node-graph';

function pod(name: string, node: string | undefined, spec: Partial<NonNullable<Pod['spec']>> = {}, annotations?: Record<string, string>): Pod {
  return {
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, annotations },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }], ...spec },
  };
}

function pv(name: string, claim: string | undefined, extra: Partial<NonNullable<PersistentVolume['spec']>> = {}): PersistentVolume {
  return { metadata: { name }, spec: { claimRef: claim ? { namespace: 'ns', name: claim } : undefined, ...extra } };
}

describe('node graph', () => {
  it('a pod bound to a node leads everything its spec names to that node only', () => {
    const g = new NodeGraph();
    g.putPod(pod('web', 'n1', {
      serviceAccountName: 'robot',
      imagePullSecrets: [{ name: 'pull' }],
      initContainers: [{ name: 'i', env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'init-env', key: 'k' } } }] }],
      containers: [{
        name: 'c',
        envFrom: [{ configMapRef: { name: 'env-cm' } }, { secretRef: { name: 'env-secret' } }],
        env: [{ name: 'B', valueFrom: { configMapKeyRef: { name: 'key-cm', key: 'k' } } }],
      }],
      ephemeralContainers: [{ name: 'debug', env: [{ name: 'C', valueFrom: { secretKeyRef: { name: 'debug-secret', key: 'k' } } }] }],
      volumes: [
        { name: 'sec', secret: { secretName: 'vol-secret' } },
        { name: 'cm', configMap: { name: 'vol-cm' } },
        { name: 'proj', projected: { sources: [{ secret: { name: 'proj-secret' } }, { configMap: { name: 'proj-cm' } }] } },
        { name: 'csi', csi: { driver: 'd', nodePublishSecretRef: { name: 'csi-secret' } } },
        { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
      ],
    }));
    for (const s of ['pull', 'init-env', 'env-secret', 'debug-secret', 'vol-secret', 'proj-secret', 'csi-secret']) {
      expect(g.hasPath('n1', 'secret', 'ns', s), s).toBe(true);
      expect(g.hasPath('n2', 'secret', 'ns', s), s).toBe(false);
    }
    for (const c of ['env-cm', 'key-cm', 'vol-cm', 'proj-cm']) expect(g.hasPath('n1', 'configmap', 'ns', c), c).toBe(true);
    expect(g.hasPath('n1', 'pvc', 'ns', 'data')).toBe(true);
    expect(g.hasPath('n1', 'serviceaccount', 'ns', 'robot')).toBe(true);
    expect(g.hasPath('n1', 'pod', 'ns', 'web')).toBe(true);
    // Same name, other namespace or other kind: no path.
    expect(g.hasPath('n1', 'secret', 'other', 'pull')).toBe(false);
    expect(g.hasPath('n1', 'configmap', 'ns', 'pull')).toBe(false);
    expect(g.hasPath('n1', 'secret', 'ns', 'unnamed')).toBe(false);
  });

  it('an unbound pod leads nothing; binding it adds its paths; deleting it removes them', () => {
    const g = new NodeGraph();
    const spec = { volumes: [{ name: 'sec', secret: { secretName: 's' } }] };
    g.putPod(pod('p', undefined, spec));
    expect(g.hasPath('n1', 'secret', 'ns', 's')).toBe(false);
    expect(g.size.pods).toBe(0);
    g.putPod(pod('p', 'n1', spec));
    expect(g.hasPath('n1', 'secret', 'ns', 's')).toBe(true);
    g.deletePod('ns', 'p');
    expect(g.hasPath('n1', 'secret', 'ns', 's')).toBe(false);
    expect(g.size.pods).toBe(0);
  });

  it('a secret two pods name stays reachable from the node of the one left', () => {
    const g = new NodeGraph();
    const spec = { imagePullSecrets: [{ name: 'shared' }] };
    g.putPod(pod('a', 'n1', spec));
    g.putPod(pod('b', 'n2', spec));
    g.deletePod('ns', 'a');
    expect(g.hasPath('n1', 'secret', 'ns', 'shared')).toBe(false);
    expect(g.hasPath('n2', 'secret', 'ns', 'shared')).toBe(true);
  });

  it('a pod recreated under the same name with another uid gets its new references', () => {
    const g = new NodeGraph();
    g.putPod(pod('p', 'n1', { imagePullSecrets: [{ name: 'old' }] }));
    g.putPod({ ...pod('p', 'n1', { imagePullSecrets: [{ name: 'new' }] }), metadata: { name: 'p', namespace: 'ns', uid: 'other' } });
    expect(g.hasPath('n1', 'secret', 'ns', 'old')).toBe(false);
    expect(g.hasPath('n1', 'secret', 'ns', 'new')).toBe(true);
  });

  it('a generic ephemeral volume leads its <pod>-<volume> claim, and that claim\'s volume', () => {
    const g = new NodeGraph();
    g.putPod(pod('db', 'n1', { volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } }] }));
    expect(g.hasPath('n1', 'pvc', 'ns', 'db-scratch')).toBe(true);
    expect(g.hasPath('n1', 'pvc', 'ns', 'scratch')).toBe(false);
    g.putPV(pv('pv-eph', 'db-scratch'));
    expect(g.hasPath('n1', 'pv', '', 'pv-eph')).toBe(true);
  });

  it('pod -> pvc -> pv -> secret: a bound volume and its node-visible secrets reach the node of a pod using the claim', () => {
    const g = new NodeGraph();
    g.putPV(pv('vol', 'claim', { csi: { driver: 'd', volumeHandle: 'h', nodeStageSecretRef: { name: 'stage', namespace: 'ns' }, controllerPublishSecretRef: { name: 'ctl', namespace: 'ns' } } }));
    // No pod uses the claim yet.
    expect(g.hasPath('n1', 'pv', '', 'vol')).toBe(false);
    expect(g.hasPath('n1', 'secret', 'ns', 'stage')).toBe(false);
    g.putPod(pod('app', 'n1', { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'claim' } }] }));
    expect(g.hasPath('n1', 'pv', '', 'vol')).toBe(true);
    expect(g.hasPath('n1', 'secret', 'ns', 'stage')).toBe(true);
    // The controller's secret is not the kubelet's.
    expect(g.hasPath('n1', 'secret', 'ns', 'ctl')).toBe(false);
    expect(g.hasPath('n2', 'pv', '', 'vol')).toBe(false);
    // The volume released (no claimRef): no path; deleted: none either.
    g.putPV(pv('vol', undefined));
    expect(g.hasPath('n1', 'pv', '', 'vol')).toBe(false);
    expect(g.hasPath('n1', 'secret', 'ns', 'stage')).toBe(false);
    g.putPV(pv('vol', 'claim'));
    expect(g.hasPath('n1', 'pv', '', 'vol')).toBe(true);
    g.deletePV('vol');
    expect(g.hasPath('n1', 'pv', '', 'vol')).toBe(false);
    expect(g.size.pvs).toBe(0);
  });

  it('a mirror pod leads only to itself', () => {
    const g = new NodeGraph();
    g.putPod(pod('static', 'n1', { serviceAccountName: 'sa', imagePullSecrets: [{ name: 's' }] }, { 'kubernetes.io/config.mirror': 'hash' }));
    expect(g.hasPath('n1', 'pod', 'ns', 'static')).toBe(true);
    expect(g.hasPath('n1', 'secret', 'ns', 's')).toBe(false);
    expect(g.hasPath('n1', 'serviceaccount', 'ns', 'sa')).toBe(false);
  });

  it('a node-local volume leads to the node it lives on, bound or not; another provisioner\'s does not', () => {
    const g = new NodeGraph();
    const affinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }] } };
    g.putPV({ metadata: { name: 'local', annotations: { 'pv.kubernetes.io/provisioned-by': 'flotilla.dev/local-path' } }, spec: { nodeAffinity: affinity } });
    g.putPV({ metadata: { name: 'other', annotations: { 'pv.kubernetes.io/provisioned-by': 'example.com/csi' } }, spec: { nodeAffinity: affinity } });
    expect(g.hasPath('n1', 'pv', '', 'local')).toBe(true);
    expect(g.isLocalVolumeOf('n1', 'local')).toBe(true);
    expect(g.hasPath('n2', 'pv', '', 'local')).toBe(false);
    expect(g.isLocalVolumeOf('n2', 'local')).toBe(false);
    expect(g.hasPath('n1', 'pv', '', 'other')).toBe(false);
    expect(g.isLocalVolumeOf('n1', 'other')).toBe(false);
  });
});
