// NetworkPolicies with real kubectl: kubectl get netpol columns, the server's defaults (policyTypes,
// port protocol) and Kubernetes' validation messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => {
  await c?.stop();
});

const np = (name: string, spec: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n${spec}`;

describe('NetworkPolicy', () => {
  it('stores policies with their defaults and lists them with NAME POD-SELECTOR AGE', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: np('deny-all', '  podSelector: {}\n') });
    await c.kubectlOk(['apply', '-f', '-'], {
      input: np('web', [
        '  podSelector:', '    matchLabels:', '      app: web',
        '  ingress:', '  - from:', '    - podSelector:', '        matchLabels:', '          role: client', '    ports:', '    - port: 80',
        '  egress:', '  - to:', '    - ipBlock:', '        cidr: 10.0.0.0/8', '        except: ["10.1.0.0/16"]', '',
      ].join('\n')),
    });
    const out = await c.kubectlOk(['get', 'netpol']);
    expect(out.split('\n')[0]).toMatch(/^NAME\s+POD-SELECTOR\s+AGE$/);
    expect(out).toMatch(/\ndeny-all\s+<none>\s+\S+/);
    expect(out).toMatch(/\nweb\s+app=web\s+\S+/);
    expect(await c.kubectlOk(['get', 'networkpolicy', 'deny-all', '-o', 'jsonpath={.spec.policyTypes}'])).toBe('["Ingress"]');
    expect(await c.kubectlOk(['get', 'networkpolicies.networking.k8s.io', 'web', '-o', 'jsonpath={.spec.policyTypes} {.spec.ingress[0].ports[0].protocol}']))
      .toBe('["Ingress","Egress"] TCP');
  });

  it('validates as Kubernetes does', async () => {
    const bad = await c.kubectl(['apply', '-f', '-'], {
      input: np('bad', [
        '  podSelector: {}', '  ingress:', '  - ports:', '    - port: http', '      endPort: 90', '    - port: 100', '      endPort: 90', '      protocol: ICMP',
        '    from:', '    - {}', '    - ipBlock:', '        cidr: 10.0.0.0/16', '        except: ["10.1.0.0/24", "10.0.0.0/8"]', '      podSelector: {}',
        '  policyTypes: ["Ingress", "Sideways"]', '',
      ].join('\n')),
    });
    expect(bad.code).not.toBe(0);
    const err = bad.stderr;
    expect(err).toContain('The NetworkPolicy "bad" is invalid');
    expect(err).toContain('spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric');
    expect(err).toContain('spec.ingress[0].ports[1].endPort: Invalid value: 90: must be greater than or equal to `port`');
    expect(err).toContain('spec.ingress[0].ports[1].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"');
    expect(err).toContain('spec.ingress[0].from[0]: Required value: must specify a peer');
    expect(err).toContain('spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer');
    expect(err).toContain('spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`');
    expect(err).toContain('spec.ingress[0].from[1].ipBlock.except[1]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`');
    expect(err).toContain('spec.policyTypes[1]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"');
    const cidr = await c.kubectl(['apply', '-f', '-'], { input: np('cidr', '  podSelector: {}\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.300/8\n') });
    expect(cidr.stderr).toContain('spec.egress[0].to[0].ipBlock.cidr: Invalid value: "10.0.0.300/8": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)');
  });
});
