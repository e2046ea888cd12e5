// The kubelet's service environment variables: which services, which names, and that the
// container's own variables win and can refer to them.
import { describe, expect, it } from 'vitest';
import type { Pod, Service, ServicePort } from 'kubernetes-types/core/v1';
import { ContainerConfigError, containerEnv } from '../../../vm-images/agent/pods/env';

const svc = (namespace: string, name: string, clusterIP: string, ports: ServicePort[]): Service =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { clusterIP, ports } });

const SERVICES: Service[] = [
  svc('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }]),
  svc('shop', 'redis-primary', '10.96.4.7', [{ port: 6379 }, { name: 'metrics', port: 9121, protocol: 'TCP' }]),
  svc('shop', 'dns', '10.96.4.8', [{ name: 'dns', port: 53, protocol: 'UDP' }]),
  svc('shop', 'headless', 'None', [{ port: 80 }]),
  svc('other', 'elsewhere', '10.96.9.9', [{ port: 80 }]),
];

const pod = (spec: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({
  metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'c' }], ...spec },
});

async function env(p: Pod, containerEnv_: Parameters<typeof containerEnv>[0]['env'] = []): Promise<Record<string, string>> {
  const vars = await containerEnv({ name: 'c', env: containerEnv_ }, { pod: p, podIP: '10.244.1.5', hostIP: '10.250.0.2', services: () => SERVICES });
  return Object.fromEntries(vars.map((v) => [v.key, v.value]));
}

describe('service environment variables', () => {
  it("gives the pod's namespace's services and default/kubernetes, by the kubelet's names", async () => {
    const e = await env(pod());
    expect(e).toMatchObject({
      KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443', KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443', KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443', KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
      KUBERNETES_PORT_443_TCP_PORT: '443', KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
      REDIS_PRIMARY_SERVICE_HOST: '10.96.4.7', REDIS_PRIMARY_SERVICE_PORT: '6379', REDIS_PRIMARY_SERVICE_PORT_METRICS: '9121',
      REDIS_PRIMARY_PORT: 'tcp://10.96.4.7:6379', REDIS_PRIMARY_PORT_9121_TCP_ADDR: '10.96.4.7',
      DNS_PORT: 'udp://10.96.4.8:53', DNS_PORT_53_UDP_PROTO: 'udp',
    });
    // Headless services and other namespaces give nothing.
    expect(Object.keys(e).filter((k) => k.startsWith('HEADLESS_') || k.startsWith('ELSEWHERE_'))).toEqual([]);
  });

  it('enableServiceLinks: false keeps only the kubernetes service', async () => {
    const e = await env(pod({ enableServiceLinks: false }));
    expect(Object.keys(e).every((k) => k.startsWith('KUBERNETES_'))).toBe(true);
    expect(e.KUBERNETES_SERVICE_HOST).toBe('10.96.0.1');
  });

  it("lets the container's own variables win and refer to service variables", async () => {
    const e = await env(pod(), [{ name: 'REDIS_PRIMARY_SERVICE_HOST', value: 'override' }, { name: 'URL', value: 'redis://$(REDIS_PRIMARY_SERVICE_HOST):$(REDIS_PRIMARY_SERVICE_PORT)' }]);
    expect(e.REDIS_PRIMARY_SERVICE_HOST).toBe('override');
    expect(e.URL).toBe('redis://override:6379');
  });

  it('refuses to build the environment before the services were listed once, as the kubelet does', async () => {
    const start = containerEnv({ name: 'c' }, { pod: pod(), podIP: '', hostIP: '', services: () => undefined });
    await expect(start).rejects.toThrow(ContainerConfigError);
    await expect(start).rejects.toThrow('services have not yet been read at least once, cannot construct envvars');
  });
});
