// Ingress and IngressClass through real kubectl: the default class `flotilla` exists at start, DefaultIngressClass
// admission fills spec.ingressClassName, `kubectl get` prints Kubernetes' columns, and bad objects get Kubernetes'
// 422 messages with their field paths.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster();
  await waitFor(async () => (await c.kubectl(['get', 'ingressclass', 'flotilla'])).code === 0, 'IngressClass flotilla');
});
afterAll(async () => {
  await c?.stop();
});

const ingress = (name: string, extra = '') => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: ${name} }
spec:
${extra}  rules:
  - host: shop.localhost
    http:
      paths:
      - { path: /, pathType: Prefix, backend: { service: { name: shop, port: { number: 80 } } } }
`;

/** The lines of a kubectl error after "is invalid: ", one per cause. */
async function invalidCauses(manifest: string): Promise<string> {
  const r = await c.kubectl(['create', '-f', '-'], { input: manifest });
  expect(r.code).not.toBe(0);
  return r.stderr.trim();
}

describe('IngressClass', () => {
  it('starts with flotilla, the default, served by flotilla.dev/ingress', async () => {
    const out = await c.kubectlOk(['get', 'ingressclass']);
    const [header, row] = out.trim().split('\n');
    expect(header.split(/\s+/)).toEqual(['NAME', 'CONTROLLER', 'PARAMETERS', 'AGE']);
    expect(row.split(/\s+/).slice(0, 3)).toEqual(['flotilla', 'flotilla.dev/ingress', '<none>']);
    expect(await c.kubectlOk(['get', 'ingressclass', 'flotilla', '-o', 'jsonpath={.metadata.annotations}']))
      .toBe('{"ingressclass.kubernetes.io/is-default-class":"true"}');
  });

  it('defaults parameters.scope to Cluster and prints PARAMETERS as Kind.apiGroup/name', async () => {
    await c.kubectlOk(['create', '-f', '-'], { input: `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: external }
spec:
  controller: example.com/ingress
  parameters: { apiGroup: k8s.example.com, kind: IngressParameters, name: external-lb }
` });
    expect(await c.kubectlOk(['get', 'ingressclass', 'external', '-o', 'jsonpath={.spec.parameters.scope}'])).toBe('Cluster');
    expect((await c.kubectlOk(['get', 'ingressclass', 'external', '--no-headers'])).split(/\s+/).slice(0, 3))
      .toEqual(['external', 'example.com/ingress', 'IngressParameters.k8s.example.com/external-lb']);
  });

  it('refuses a controller that is no domain-prefixed path, bad parameters, and a changed controller', async () => {
    expect(await invalidCauses(`apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: bad }
spec:
  controller: nodomain
  parameters: { kind: P, name: p, scope: Namespace }
`)).toBe('The IngressClass "bad" is invalid: \n'
      + '* spec.controller: Invalid value: "nodomain": must be a domain-prefixed path (such as "acme.io/foo")\n'
      + "* spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'");
    const r = await c.kubectl(['patch', 'ingressclass', 'external', '--type=merge', '-p', '{"spec":{"controller":"example.com/other"}}']);
    expect(r.stderr.trim()).toBe('The IngressClass "external" is invalid: spec.controller: Invalid value: "example.com/other": field is immutable');
  });
});

describe('Ingress', () => {
  it('gets the default class when it names none, and prints NAME CLASS HOSTS ADDRESS PORTS AGE', async () => {
    await c.kubectlOk(['create', '-f', '-'], { input: ingress('shop') });
    expect(await c.kubectlOk(['get', 'ingress', 'shop', '-o', 'jsonpath={.spec.ingressClassName}'])).toBe('flotilla');
    const [header, row] = (await c.kubectlOk(['get', 'ing'])).trim().split('\n');
    expect(header.split(/\s+/)).toEqual(['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE']);
    expect(row.split(/\s+/).slice(0, 3)).toEqual(['shop', 'flotilla', 'shop.localhost']);
    expect(row).toMatch(/\s80\s/);
  });

  it('keeps the deprecated class annotation as it is (no default), and prints "80, 443" with TLS', async () => {
    await c.kubectlOk(['create', '-f', '-'], { input: ingress('annotated', '').replace('metadata: { name: annotated }',
      'metadata: { name: annotated, annotations: { kubernetes.io/ingress.class: other } }')
      .replace('spec:\n', 'spec:\n  tls: [{ hosts: [shop.localhost], secretName: shop-tls }]\n') });
    expect(await c.kubectlOk(['get', 'ingress', 'annotated', '-o', 'jsonpath={.spec.ingressClassName}'])).toBe('');
    const row = (await c.kubectlOk(['get', 'ingress', 'annotated', '--no-headers'])).trim();
    expect(row.split(/\s+/).slice(0, 3)).toEqual(['annotated', '<none>', 'shop.localhost']);
    expect(row).toContain('80, 443');
  });

  it('takes `kubectl create ingress` as the README shows it', async () => {
    await c.kubectlOk(['create', 'ingress', 'readme', '--rule=shop.localhost/*=shop:80']);
    expect(JSON.parse(await c.kubectlOk(['get', 'ingress', 'readme', '-o', 'jsonpath={.spec}']))).toEqual({
      ingressClassName: 'flotilla',
      rules: [{ host: 'shop.localhost', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { number: 80 } } } }] } }],
    });
  });

  it('requires pathType and a backend, with Kubernetes\' field paths', async () => {
    expect(await invalidCauses(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: bad }
spec:
  rules:
  - host: 10.0.0.1
    http:
      paths:
      - { path: /a, backend: { service: { name: a, port: { number: 80 } } } }
      - { path: relative, pathType: Exact, backend: { service: { name: a } } }
      - { path: /x, pathType: Regex, backend: { service: { name: a, port: { name: http } } } }
      - { path: /y, pathType: Prefix, backend: {} }
`)).toBe('The Ingress "bad" is invalid: \n'
      + '* spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address\n'
      + '* spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified\n'
      + '* spec.rules[0].http.paths[1].path: Invalid value: "relative": must be an absolute path\n'
      + '* spec.rules[0].http.paths[1].backend: Required value: port name or number is required\n'
      + '* spec.rules[0].http.paths[2].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"\n'
      + '* spec.rules[0].http.paths[3].backend: Invalid value: "": resource or service backend is required');
  });

  it('checks wildcard hosts, TLS hosts, both backends, and that rules or a default backend exist', async () => {
    expect(await invalidCauses(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: bad }
spec:
  tls: [{ hosts: ["*.*.example.com"] }]
`)).toBe('The Ingress "bad" is invalid: \n'
      + '* spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified\n'
      + '* spec.tls[0].hosts[0]: Invalid value: "*.*.example.com": a wildcard DNS-1123 subdomain must start with \'*.\', followed by a valid DNS subdomain, '
      + "which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character "
      + "(e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    expect(await invalidCauses(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: bad }
spec:
  defaultBackend:
    service: { name: a, port: { number: 80 } }
    resource: { kind: Bucket, name: b }
  rules:
  - host: "*.shop.localhost"
    http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: a, port: { number: 70000 } } } }] }
`)).toBe('The Ingress "bad" is invalid: \n'
      + '* spec.defaultBackend: Invalid value: "": cannot set both resource and service backends\n'
      + '* spec.rules[0].http.paths[0].backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive');
  });

  it('refuses a class annotation that disagrees with ingressClassName', async () => {
    const r = await invalidCauses(ingress('mismatch', '  ingressClassName: flotilla\n').replace('metadata: { name: mismatch }',
      'metadata: { name: mismatch, annotations: { kubernetes.io/ingress.class: other } }'));
    expect(r).toBe('The Ingress "mismatch" is invalid: annotations.kubernetes.io/ingress.class: Invalid value: "other": '
      + 'must match `ingressClassName` when both are specified');
  });

  it('serves status and bumps generation on spec changes only', async () => {
    expect(await c.kubectlOk(['get', 'ingress', 'shop', '-o', 'jsonpath={.metadata.generation}'])).toBe('1');
    await c.kubectlOk(['patch', 'ingress', 'shop', '--subresource=status', '--type=merge', '-p',
      '{"status":{"loadBalancer":{"ingress":[{"ip":"127.0.0.1","hostname":"localhost"}]}}}']);
    expect((await c.kubectlOk(['get', 'ingress', 'shop', '--no-headers'])).split(/\s+/)[3]).toBe('127.0.0.1');
    await c.kubectlOk(['label', 'ingress', 'shop', 'a=b']);
    expect(await c.kubectlOk(['get', 'ingress', 'shop', '-o', 'jsonpath={.metadata.generation}'])).toBe('1');
    await c.kubectlOk(['patch', 'ingress', 'shop', '--type=json', '-p', '[{"op":"replace","path":"/spec/rules/0/host","value":"shop.local"}]']);
    expect(await c.kubectlOk(['get', 'ingress', 'shop', '-o', 'jsonpath={.metadata.generation}'])).toBe('2');
    const bad = await c.kubectl(['patch', 'ingress', 'shop', '--subresource=status', '--type=merge', '-p',
      '{"status":{"loadBalancer":{"ingress":[{"hostname":"127.0.0.1"}]}}}']);
    expect(bad.stderr.trim()).toBe('The Ingress "shop" is invalid: status.loadBalancer.ingress[0].hostname: Invalid value: "127.0.0.1": must be a DNS name, not an IP address');
  });
});
