// Which host routes a sandbox cluster needs: every node's podCIDR via the node; the service CIDR and the load
// balancer pool via the first Ready node by name; an externalTrafficPolicy Local address (as /32) via a Ready node
// whose health check passed; nothing through a node that is not Ready, and no service routes without one.
import { describe, expect, it } from 'vitest';
import { planHostRoutes, routedNode } from '../../../main/nodes/host-route-plan';

const base = { serviceCIDR: '10.96.0.0/16', loadBalancerPool: '10.250.0.0/24' };
const n1 = { name: 'node-1', ip: '10.251.9.2', podCIDR: '10.244.1.0/24', ready: true };
const n2 = { name: 'node-2', ip: '10.251.9.3', podCIDR: '10.244.2.0/24', ready: true };

describe('host route plan', () => {
  it('routes podCIDRs to their nodes and the service CIDR and pool to the first Ready node', () => {
    expect(planHostRoutes({ ...base, nodes: [n2, n1] })).toEqual([
      { dest: '10.244.1.0/24', via: '10.251.9.2' },
      { dest: '10.244.2.0/24', via: '10.251.9.3' },
      { dest: '10.96.0.0/16', via: '10.251.9.2' },
      { dest: '10.250.0.0/24', via: '10.251.9.2' },
    ]);
  });

  it('moves the service routes off a node that is not Ready, and has none without a Ready node', () => {
    const routes = planHostRoutes({ ...base, nodes: [{ ...n1, ready: false }, n2] });
    expect(routes.filter((r) => !r.dest.startsWith('10.244.'))).toEqual([
      { dest: '10.96.0.0/16', via: '10.251.9.3' }, { dest: '10.250.0.0/24', via: '10.251.9.3' },
    ]);
    expect(planHostRoutes({ ...base, nodes: [{ ...n1, ready: false }] })).toEqual([{ dest: '10.244.1.0/24', via: '10.251.9.2' }]);
  });

  it('routes an externalTrafficPolicy Local address to a node that passed its health check, or not at all', () => {
    const localBackends = new Map([['10.250.0.7', ['node-2']], ['10.250.0.8', []]]);
    const routes = planHostRoutes({ ...base, nodes: [n1, n2], localBackends });
    expect(routes).toContainEqual({ dest: '10.250.0.7/32', via: '10.251.9.3' });
    expect(routes.some((r) => r.dest === '10.250.0.8/32')).toBe(false);
  });

  it('reads a Node: its InternalIP, podCIDR and Ready condition; none without an InternalIP', () => {
    expect(routedNode({
      metadata: { name: 'node-1' }, spec: { podCIDR: '10.244.1.0/24' },
      status: { addresses: [{ type: 'Hostname', address: 'node-1' }, { type: 'InternalIP', address: '10.251.9.2' }], conditions: [{ type: 'Ready', status: 'True' }] },
    })).toEqual(n1);
    expect(routedNode({ metadata: { name: 'x' }, status: { addresses: [] } })).toBeUndefined();
  });
});
