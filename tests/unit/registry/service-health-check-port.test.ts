// healthCheckNodePort on the real registry: allocated from the node port range for a LoadBalancer with
// externalTrafficPolicy Local, kept across updates, a given one claimed (or refused with Kubernetes' 422), wiped and
// released when the Service no longer needs it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Service } from '../../../main/api/types';
import { ClientError } from '../../../main/client/types';
import { startControlPlane, type ControlPlane } from '../../helpers/control-plane';

const SVC = { apiVersion: 'v1', kind: 'Service' } as const;
let cp: ControlPlane;

beforeEach(async () => {
  cp = await startControlPlane();
});
afterEach(async () => {
  await cp.stop();
});

const create = (name: string, spec: Partial<NonNullable<Service['spec']>>) => cp.create<Service>({
  ...SVC, metadata: { name, namespace: 'default' }, spec: { ports: [{ port: 80 }], selector: { app: name }, ...spec },
});

describe('healthCheckNodePort', () => {
  it('is allocated for LoadBalancer + externalTrafficPolicy Local only, and kept by updates', async () => {
    const local = await create('local', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    const port = local.spec?.healthCheckNodePort;
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(port).not.toBe(local.spec?.ports?.[0]?.nodePort);
    expect((await create('cluster', { type: 'LoadBalancer' })).spec?.healthCheckNodePort).toBeUndefined();
    expect((await create('np', { type: 'NodePort', externalTrafficPolicy: 'Local' })).spec?.healthCheckNodePort).toBeUndefined();
    const updated = await cp.patch<Service>(SVC, 'local', 'default', { metadata: { labels: { a: 'b' } } });
    expect(updated.spec?.healthCheckNodePort).toBe(port);
  });

  it('claims a given port and refuses a taken or out-of-range one with a 422 naming spec.healthCheckNodePort', async () => {
    const a = await create('a', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 31999 });
    expect(a.spec?.healthCheckNodePort).toBe(31999);
    const taken = await create('b', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 31999 }).catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(ClientError);
    expect((taken as ClientError).code).toBe(422);
    expect((taken as ClientError).message).toBe('Service "b" is invalid: spec.healthCheckNodePort: Invalid value: 31999: provided port is already allocated');
    const outside = await create('c', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 80 }).catch((e: unknown) => e);
    expect((outside as ClientError).message).toBe(
      'Service "c" is invalid: spec.healthCheckNodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767');
  });

  it('is wiped and released when the Service stops needing it', async () => {
    await create('a', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 31998 });
    const cluster = await cp.patch<Service>(SVC, 'a', 'default', { spec: { externalTrafficPolicy: 'Cluster' } });
    expect(cluster.spec?.healthCheckNodePort).toBeUndefined();
    const b = await create('b', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 31998 });
    expect(b.spec?.healthCheckNodePort).toBe(31998);
    await cp.delete(SVC, 'b', { namespace: 'default' });
    expect((await create('c', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 31998 })).spec?.healthCheckNodePort).toBe(31998);
  });
});
