// The kubelet's request attributes on its secure port (pkg/kubelet/server/auth.go): the verb from the method, the
// Node subresource from the path, proxy for everything else; and its 403/500 words.
import { describe, expect, it } from 'vitest';
import { kubeletAuthorizationError, kubeletForbidden, kubeletRequestAttributes } from '../../../vm-images/agent/server/kubelet-attributes';

describe('kubeletRequestAttributes', () => {
  it.each([
    ['GET', '/stats/summary', 'get', 'stats'],
    ['GET', '/stats', 'get', 'stats'],
    ['GET', '/statsz', 'get', 'proxy'],
    ['GET', '/metrics', 'get', 'metrics'],
    ['GET', '/metrics/cadvisor', 'get', 'metrics'],
    ['GET', '/metrics/resource', 'get', 'metrics'],
    ['HEAD', '/metrics/probes', 'get', 'metrics'],
    ['GET', '/metricsfoo', 'get', 'proxy'],
    ['GET', '/logs/syslog', 'get', 'log'],
    ['GET', '/spec/', 'get', 'spec'],
    ['POST', '/checkpoint/ns/pod/c', 'create', 'checkpoint'],
    ['GET', '/pods', 'get', 'proxy'],
    ['GET', '/containerLogs/ns/pod/c', 'get', 'proxy'],
    ['POST', '/exec/ns/pod/c', 'create', 'proxy'],
    ['PUT', '/configz', 'update', 'proxy'],
    ['PATCH', '/healthz', 'patch', 'proxy'],
    ['DELETE', '/pods', 'delete', 'proxy'],
    ['OPTIONS', '/pods', '', 'proxy'],
  ])('%s %s is %s nodes/%s', (method, path, verb, subresource) => {
    expect(kubeletRequestAttributes(method, path, 'n1')).toEqual({ verb, resource: 'nodes', subresource, name: 'n1' });
  });

  it("words a denial and a failed check as the kubelet's filter", () => {
    const a = kubeletRequestAttributes('GET', '/metrics/cadvisor', 'n1');
    expect(kubeletForbidden('system:serviceaccount:monitoring:prometheus', a))
      .toBe('Forbidden (user=system:serviceaccount:monitoring:prometheus, verb=get, resource=nodes, subresource=metrics)');
    expect(kubeletAuthorizationError('alice', a)).toBe('Authorization error (user=alice, verb=get, resource=nodes, subresource=metrics)');
  });
});
