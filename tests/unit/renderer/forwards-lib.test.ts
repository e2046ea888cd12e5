// The UI's port-forward helpers (renderer/src/lib/forwards.ts): which ports can be opened, a target's forward, a
// forward's state in words, the local port suggested.
import { describe, expect, it } from 'vitest';
import type { PortForward } from '../../../main/api/port-forward';
import type { Pod, Service } from '../../../main/api/types';
import { forwardOf, forwardState, podPorts, servicePorts, suggestedLocalPort } from '../../../renderer/src/lib/forwards';

describe('openable ports', () => {
  it('lists a Service\'s TCP ports only', () => {
    const svc: Service = { metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ name: 'http', port: 80 }, { port: 53, protocol: 'UDP' }, { port: 9090, protocol: 'TCP' }] } };
    expect(servicePorts(svc)).toEqual([
      { target: { kind: 'service', namespace: 'shop', name: 'web', port: 80 }, label: 'http 80/TCP' },
      { target: { kind: 'service', namespace: 'shop', name: 'web', port: 9090 }, label: '9090/TCP' },
    ]);
  });

  it('lists a pod\'s declared TCP container ports once, sidecars included', () => {
    const pod: Pod = { metadata: { name: 'p', namespace: 'default' }, spec: {
      initContainers: [{ name: 'proxy', restartPolicy: 'Always', ports: [{ containerPort: 15000 }] }, { name: 'init', ports: [{ containerPort: 1 }] }],
      containers: [{ name: 'app', ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 8080 }, { containerPort: 5353, protocol: 'UDP' }] }],
    } };
    expect(podPorts(pod).map((p) => [p.target.port, p.label])).toEqual([[15000, '15000/TCP · proxy'], [8080, 'http 8080/TCP · app']]);
  });
});

describe('forwards', () => {
  const f = (over: Partial<PortForward>): PortForward => ({
    id: '8080', localPort: 8080, url: 'http://127.0.0.1:8080/', target: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, ready: 2, ...over,
  });

  it('finds a target\'s forward and says whether a ready pod answers', () => {
    expect(forwardOf([f({})], { kind: 'service', namespace: 'default', name: 'web', port: 80 })?.id).toBe('8080');
    expect(forwardOf([f({})], { kind: 'pod', namespace: 'default', name: 'web', port: 80 })).toBeUndefined();
    expect(forwardState(f({}))).toEqual({ tone: 'ok', text: '2 ready pods' });
    expect(forwardState(f({ ready: 0, problem: 'service "default/web" has no ready endpoints' }))).toEqual({ tone: 'warn', text: 'service "default/web" has no ready endpoints' });
    expect(forwardState(f({ target: { kind: 'pod', namespace: 'default', name: 'p', port: 8080 }, ready: 1 }))).toEqual({ tone: 'ok', text: 'ready' });
  });

  it('suggests the target\'s own port when unprivileged, 8000 + it otherwise', () => {
    expect(suggestedLocalPort({ kind: 'service', namespace: 'd', name: 'w', port: 8080 })).toBe(8080);
    expect(suggestedLocalPort({ kind: 'service', namespace: 'd', name: 'w', port: 80 })).toBe(8080);
  });
});
