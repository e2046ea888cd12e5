// Node IPAM alone on an in-process control plane: the lowest free 10.244.N.0/24 per node, released
// with the node.
import { describe, expect, it } from 'vitest';
import type { Node } from '../../../main/api/types';
import { controlPlaneEach } from '../../helpers/control-plane';
import { registerNode } from '../../helpers/node-standin';

const NODE = { apiVersion: 'v1', kind: 'Node' };
const cp = controlPlaneEach('node-ipam');

const waitCIDR = (name: string) => cp.waitFor(async () => { const s = (await cp.get<Node>(NODE, name)).spec; return s?.podCIDR ? s : undefined; }, `${name}'s podCIDR`);

describe('node ipam', () => {
  it('gives each node the lowest free /24, and reuses a deleted node\'s', async () => {
    await registerNode(cp, 'a');
    expect(await waitCIDR('a')).toMatchObject({ podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] });
    await registerNode(cp, 'b');
    expect((await waitCIDR('b')).podCIDR).toBe('10.244.1.0/24');
    await cp.delete(NODE, 'a');
    await registerNode(cp, 'c');
    expect((await waitCIDR('c')).podCIDR).toBe('10.244.0.0/24');
    await registerNode(cp, 'd');
    expect((await waitCIDR('d')).podCIDR).toBe('10.244.2.0/24');
  });

  it('keeps the range a node already has', async () => {
    await cp.create<Node>({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'preset' }, spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] } });
    await registerNode(cp, 'next');
    expect((await waitCIDR('next')).podCIDR).toBe('10.244.1.0/24');
    expect((await cp.get<Node>(NODE, 'preset')).spec?.podCIDR).toBe('10.244.0.0/24');
  });
});
