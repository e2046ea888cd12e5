// The root CA publisher alone on an in-process control plane: every active namespace gets
// kube-root-ca.crt with the CA, a changed or deleted one is put back, and it watches only ConfigMaps
// of that name (no cache of every ConfigMap).
import { describe, expect, it } from 'vitest';
import type { ConfigMap, Namespace } from '../../../main/api/types';
import { controlPlaneEach } from '../../helpers/control-plane';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const CM = { apiVersion: 'v1', kind: 'ConfigMap' };
const NS = { apiVersion: 'v1', kind: 'Namespace' };

const cp = controlPlaneEach('root-ca-cert-publisher', { rootCaPem: CA });
const rootCa = (ns: string) => cp.find<ConfigMap>(CM, 'kube-root-ca.crt', ns);

describe('root CA publisher', () => {
  it('publishes the CA in every namespace, new ones included, with Kubernetes\' description', async () => {
    const cm = await cp.waitFor(() => rootCa('default'), 'kube-root-ca.crt in default');
    expect(cm.data).toEqual({ 'ca.crt': CA });
    expect(cm.metadata?.annotations?.['kubernetes.io/description']).toMatch(/^Contains a CA bundle that can be used to verify the kube-apiserver/);
    await cp.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    await cp.waitFor(() => rootCa('shop'), 'kube-root-ca.crt in a new namespace');
  });

  it('puts back a changed or deleted copy, and leaves other ConfigMaps alone', async () => {
    await cp.waitFor(() => rootCa('default'), 'published');
    await cp.create<ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other', namespace: 'default' }, data: { a: '1' } });
    await cp.patch(CM, 'kube-root-ca.crt', 'default', { data: { 'ca.crt': 'tampered', extra: 'x' } });
    await cp.waitFor(async () => { const c = await rootCa('default'); return c?.data?.['ca.crt'] === CA && !c.data.extra; }, 'restored content');
    await cp.delete(CM, 'kube-root-ca.crt', { namespace: 'default' });
    await cp.waitFor(async () => (await rootCa('default'))?.data?.['ca.crt'] === CA, 're-created');
    expect((await cp.get<ConfigMap>(CM, 'other', 'default')).data).toEqual({ a: '1' });
    expect(cp.logs.filter((l) => l.includes('root-ca'))).toEqual([]);
  });

  it('does not publish into a terminating namespace', async () => {
    await cp.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'going' } });
    await cp.waitFor(() => rootCa('going'), 'published');
    await cp.delete(NS, 'going');
    await cp.delete(CM, 'kube-root-ca.crt', { namespace: 'going' });
    // The namespace stays Terminating (no namespace controller runs here): the copy is not made again.
    await cp.waitFor(async () => (await cp.get<Namespace>(NS, 'going')).status?.phase === 'Terminating', 'terminating');
    await cp.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'marker' } });
    await cp.waitFor(() => rootCa('marker'), 'a later namespace published (the loop has caught up)');
    expect(await rootCa('going')).toBeUndefined();
  });
});
