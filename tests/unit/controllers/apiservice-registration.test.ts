// The APIService registration loop alone (kube-aggregator's autoregister rules): built-in group versions made once at
// start and reset to their spec only then (a second start of the loop is a restart of the control plane), the user's
// edits kept between starts, an APIService without the automanaged label left alone, a user's metrics-server kept.
import { describe, expect, it } from 'vitest';
import type { APIService } from '../../../main/api/types';
import { controlPlaneEach } from '../../helpers/control-plane';

const APISVC = { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService' };
const CRD = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' };

describe('apiservice-registration', () => {
  const cp = controlPlaneEach('apiservice-registration');

  /** A CRD whose APIService the loop makes: once it exists, every change queued before it has been looked at. */
  async function barrier(n: number): Promise<void> {
    await cp.create({ ...CRD, metadata: { name: `things${n}.b${n}.example.com` }, spec: {
      group: `b${n}.example.com`, scope: 'Namespaced', names: { plural: `things${n}`, kind: `Thing${n}` },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
    } });
    await cp.waitFor(() => cp.find(APISVC, `v1.b${n}.example.com`), `v1.b${n}.example.com`);
  }

  it('makes the built-in ones at start; edits stay until the next start, which puts them back', async () => {
    const apps = await cp.waitFor(() => cp.find<APIService>(APISVC, 'v1.apps'), 'v1.apps');
    expect(apps.metadata?.labels).toEqual({ 'kube-aggregator.kubernetes.io/automanaged': 'onstart' });
    await cp.patch(APISVC, 'v1.apps', undefined, { spec: { groupPriorityMinimum: 5 } });
    await cp.delete(APISVC, 'v1.batch');
    await barrier(1);
    expect((await cp.get<APIService>(APISVC, 'v1.apps')).spec.groupPriorityMinimum).toBe(5);
    expect(await cp.find(APISVC, 'v1.batch')).toBeUndefined();
    await cp.startController('apiservice-registration');
    await cp.waitFor(async () => (await cp.get<APIService>(APISVC, 'v1.apps')).spec.groupPriorityMinimum === 17800, 'v1.apps reset at the next start');
    await cp.waitFor(() => cp.find(APISVC, 'v1.batch'), 'v1.batch made again at the next start');
  });

  it('leaves alone one without the label, and a user\'s metrics-server in place of ours', async () => {
    await cp.waitFor(() => cp.find(APISVC, 'v1beta1.metrics.k8s.io'), 'v1beta1.metrics.k8s.io');
    await cp.patch(APISVC, 'v1.policy', undefined, { metadata: { labels: { 'kube-aggregator.kubernetes.io/automanaged': null } }, spec: { versionPriority: 3 } });
    await cp.patch(APISVC, 'v1beta1.metrics.k8s.io', undefined, {
      spec: { service: { namespace: 'kube-system', name: 'metrics-server', port: 443 }, insecureSkipTLSVerify: true },
    });
    await cp.startController('apiservice-registration');
    await barrier(2);
    expect((await cp.get<APIService>(APISVC, 'v1.policy')).spec.versionPriority).toBe(3);
    expect((await cp.get<APIService>(APISVC, 'v1beta1.metrics.k8s.io')).spec.service).toEqual({ namespace: 'kube-system', name: 'metrics-server', port: 443 });
  });

  it('keeps a CRD\'s in step with its served versions, and deletes it with the CRD', async () => {
    await cp.create({ ...CRD, metadata: { name: 'gadgets.g.example.com' }, spec: {
      group: 'g.example.com', scope: 'Cluster', names: { plural: 'gadgets', kind: 'Gadget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
        { name: 'v2', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } }],
    } });
    const v1 = await cp.waitFor(() => cp.find<APIService>(APISVC, 'v1.g.example.com'), 'v1.g.example.com');
    expect(v1.metadata?.labels).toEqual({ 'kube-aggregator.kubernetes.io/automanaged': 'true' });
    expect(await cp.find(APISVC, 'v2.g.example.com')).toBeUndefined();
    await cp.patch(CRD, 'gadgets.g.example.com', undefined, { spec: { versions: [
      { name: 'v1', served: false, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
      { name: 'v2', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } }] } });
    await cp.waitFor(() => cp.find(APISVC, 'v2.g.example.com'), 'v2.g.example.com once v2 is served');
    await cp.waitFor(async () => !(await cp.find(APISVC, 'v1.g.example.com')), 'v1.g.example.com gone once v1 is not served');
  });
});
