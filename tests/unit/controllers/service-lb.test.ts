// The service load balancer alone on an in-process control plane: LoadBalancer Services get a pool address
// (ipMode VIP) and the cleanup finalizer, spec.loadBalancerIP is honoured or refused with an event, other classes
// are left alone, and the address is released (status cleared, finalizer gone) on a type change and on deletion.
import { describe, expect, it } from 'vitest';
import type { Service } from '../../../main/api/types';
import { LOAD_BALANCER_CLEANUP_FINALIZER } from '../../../main/api/load-balancer';
import { controlPlaneEach } from '../../helpers/control-plane';

const SVC = { apiVersion: 'v1', kind: 'Service' } as const;
const cp = controlPlaneEach('service-lb');

const lb = (name: string, spec: Partial<NonNullable<Service['spec']>> = {}) => cp.create<Service>({
  ...SVC, metadata: { name, namespace: 'default' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }], selector: { app: name }, ...spec },
});
const svc = (name: string) => cp.get<Service>(SVC, name, 'default');
const ingressIP = async (name: string): Promise<string | undefined> => (await cp.find<Service>(SVC, name, 'default'))?.status?.loadBalancer?.ingress?.[0]?.ip;

describe('service load balancer', () => {
  it('gives a LoadBalancer Service the first free pool address with ipMode VIP, the finalizer and events', async () => {
    await lb('web');
    await cp.waitFor(() => ingressIP('web'), 'web has an address');
    const s = await svc('web');
    expect(s.status?.loadBalancer?.ingress).toEqual([{ ip: '10.250.0.1', ipMode: 'VIP' }]);
    expect(s.metadata?.finalizers).toContain(LOAD_BALANCER_CLEANUP_FINALIZER);
    await cp.eventsIncluding('web', 'default', ['EnsuringLoadBalancer', 'EnsuredLoadBalancer']);
    await lb('api');
    expect(await cp.waitFor(() => ingressIP('api'), 'api has an address')).toBe('10.250.0.2');
  });

  it('honours spec.loadBalancerIP, and refuses one outside the pool or taken with a Warning event', async () => {
    await lb('fixed', { loadBalancerIP: '10.250.0.77' });
    expect(await cp.waitFor(() => ingressIP('fixed'), 'fixed has an address')).toBe('10.250.0.77');
    await lb('outside', { loadBalancerIP: '192.0.2.99' });
    await lb('clash', { loadBalancerIP: '10.250.0.77' });
    const warning = async (name: string) => (await cp.events(name, 'default')).find((e) => e.reason === 'SyncLoadBalancerFailed')?.message;
    expect(await cp.waitFor(() => warning('outside'), 'outside refused')).toBe(
      'Error syncing load balancer: failed to ensure load balancer: requested loadBalancerIP 192.0.2.99 is not in the load balancer pool 10.250.0.0/24');
    expect(await cp.waitFor(() => warning('clash'), 'clash refused')).toBe(
      'Error syncing load balancer: failed to ensure load balancer: requested loadBalancerIP 10.250.0.77 is already in use by service default/fixed');
    expect(await ingressIP('outside')).toBeUndefined();
    expect(await ingressIP('clash')).toBeUndefined();
  });

  it('leaves a Service of another loadBalancerClass alone and serves its own class', async () => {
    await lb('other', { loadBalancerClass: 'example.com/other' });
    await lb('mine', { loadBalancerClass: 'flotilla.dev/load-balancer' });
    await cp.waitFor(() => ingressIP('mine'), 'mine has an address');
    const other = await svc('other');
    expect(other.status?.loadBalancer?.ingress).toBeUndefined();
    expect(other.metadata?.finalizers ?? []).not.toContain(LOAD_BALANCER_CLEANUP_FINALIZER);
    expect(await cp.events('other', 'default')).toEqual([]);
  });

  it('releases the address when the type changes, and reuses it for the next Service', async () => {
    await lb('web');
    const ip = await cp.waitFor(() => ingressIP('web'), 'web has an address');
    await cp.patch(SVC, 'web', 'default', { spec: { type: 'ClusterIP' } });
    await cp.waitFor(async () => {
      const s = await svc('web');
      return !s.status?.loadBalancer?.ingress && !(s.metadata?.finalizers ?? []).includes(LOAD_BALANCER_CLEANUP_FINALIZER);
    }, 'web released');
    await cp.eventsIncluding('web', 'default', ['Type', 'DeletingLoadBalancer', 'DeletedLoadBalancer']);
    await lb('next');
    expect(await cp.waitFor(() => ingressIP('next'), 'next has an address')).toBe(ip);
  });

  it('lets a deleted Service go once its address is released (the finalizer holds it until then)', async () => {
    await lb('gone');
    await cp.waitFor(() => ingressIP('gone'), 'gone has an address');
    await cp.delete(SVC, 'gone', { namespace: 'default' });
    await cp.waitFor(async () => (await cp.find(SVC, 'gone', 'default')) === undefined, 'gone deleted');
    // As the service controller does, the event is recorded after the finalizer is removed: it may land later.
    await cp.eventsIncluding('gone', 'default', ['DeletedLoadBalancer']);
    await lb('after');
    expect(await cp.waitFor(() => ingressIP('after'), 'after has an address')).toBe('10.250.0.1');
  });

  it('allocates no node ports for allocateLoadBalancerNodePorts: false', async () => {
    const s = await lb('noports', { allocateLoadBalancerNodePorts: false });
    expect(s.spec?.ports?.[0]?.nodePort).toBeUndefined();
    const withPorts = await lb('ports');
    expect(withPorts.spec?.ports?.[0]?.nodePort).toBeGreaterThanOrEqual(30000);
  });
});
