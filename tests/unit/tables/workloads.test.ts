import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import { MIN, ago, cells, headers } from './fixtures';

const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'sidecar', image: 'busybox:1.36' }] },
};

describe('deployments table', () => {
  it('has the real columns', () => {
    expect(headers('apps', 'deployments')).toEqual({
      normal: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
      wide: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'],
    });
  });

  it('rolling deployment', () => {
    const d: KObject = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', creationTimestamp: ago(7 * MIN) },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
      status: { replicas: 3, readyReplicas: 2, updatedReplicas: 1, availableReplicas: 2 },
    };
    expect(cells('apps', 'deployments', d)).toEqual(['web', '2/3', 1, 2, '7m', 'nginx,sidecar', 'nginx:1.27,busybox:1.36', 'app=web']);
  });

  it('fresh deployment without status; expression selector', () => {
    const d: KObject = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', creationTimestamp: ago(5_000) },
      spec: { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'api-v2'] }] }, template },
    };
    expect(cells('apps', 'deployments', d)).toEqual(['api', '0/1', 0, 0, '5s', 'nginx,sidecar', 'nginx:1.27,busybox:1.36', 'app in (api,api-v2)']);
  });
});

describe('replicasets table', () => {
  it('has the real columns', () => {
    expect(headers('apps', 'replicasets')).toEqual({
      normal: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
      wide: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'],
    });
  });

  it('cells', () => {
    const rs: KObject = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-7d4b9c', creationTimestamp: ago(7 * MIN) },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d4b9c' } }, template },
      status: { replicas: 3, readyReplicas: 2 },
    };
    expect(cells('apps', 'replicasets', rs)).toEqual(['web-7d4b9c', 3, 3, 2, '7m', 'nginx,sidecar', 'nginx:1.27,busybox:1.36', 'app=web,pod-template-hash=7d4b9c']);
    const scaledDown: KObject = { ...rs, spec: { replicas: 0, selector: {}, template }, status: { replicas: 0 } };
    expect(cells('apps', 'replicasets', scaledDown)).toEqual(['web-7d4b9c', 0, 0, 0, '7m', 'nginx,sidecar', 'nginx:1.27,busybox:1.36', '<none>']);
  });
});

describe('daemonsets table', () => {
  it('has the real columns', () => {
    expect(headers('apps', 'daemonsets')).toEqual({
      normal: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
      wide: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'],
    });
  });

  it('cells (kube-proxy style)', () => {
    const ds: KObject = {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'kube-proxy', creationTimestamp: ago(2 * MIN + 3_000) },
      spec: {
        selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
        template: { metadata: { labels: { 'k8s-app': 'kube-proxy' } }, spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.32.0' }] } },
      },
      status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2, numberMisscheduled: 0 },
    };
    expect(cells('apps', 'daemonsets', ds)).toEqual([
      'kube-proxy', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '2m3s', 'kube-proxy', 'registry.k8s.io/kube-proxy:v1.32.0', 'k8s-app=kube-proxy',
    ]);
  });

  it('no node selector → <none>', () => {
    const ds: KObject = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [] } } } };
    expect(cells('apps', 'daemonsets', ds).slice(1, 8)).toEqual([0, 0, 0, 0, 0, '<none>', '<unknown>']);
  });
});
