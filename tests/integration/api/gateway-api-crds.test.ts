// The Gateway API's own CRDs (v1.6.1 standard channel, tests/fixtures/gateway-api) as a user installs them, with
// real kubectl: every upstream example is accepted and every upstream invalid example is refused — the CRDs' schemas,
// CEL rules (isIP among them) and x-kubernetes-list-type uniqueness together, in apiextensions' words — and list-type
// duplicates ratchet on update as in kube-apiserver (refused only when the stored object had none).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { testClusterAll } from '../../helpers/cluster';
import { crdManifest, defineCrd, storedVersion } from '../../helpers/crd';

const c = testClusterAll();
const FIXTURE = path.join(__dirname, '../../fixtures/gateway-api');

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return e.name.endsWith('.yaml') ? [p] : [];
  }).sort();
}

beforeAll(async () => {
  await c.kubectlOk(['apply', '--server-side', '-f', path.join(FIXTURE, 'crds')], { timeoutMs: 60_000 });
  // The namespaces the examples use.
  for (const f of yamlFiles(path.join(FIXTURE, 'examples')).filter((p) => p.endsWith('0-namespaces.yaml'))) await c.kubectlOk(['apply', '-f', f]);
  await c.kubectlOk(['create', 'namespace', 'team-1-ns', '--save-config']);
  await c.kubectlOk(['create', 'namespace', 'team-2-ns', '--save-config']);
}, 90_000);

describe('the Gateway API CRDs', () => {
  it('accepts every upstream example', async () => {
    // One kubectl for all of them (as `kubectl apply -R -f examples/`): it goes on past a refused object and names its file.
    const files = yamlFiles(path.join(FIXTURE, 'examples'));
    const r = await c.kubectl(['apply', ...files.flatMap((f) => ['-f', f])], { timeoutMs: 120_000 });
    expect(r.stderr.trim()).toBe('');
    expect(r.code).toBe(0);
  }, 150_000);

  it('refuses every upstream invalid example', async () => {
    const files = yamlFiles(path.join(FIXTURE, 'invalid'));
    const r = await c.kubectl(['create', '--dry-run=server', ...files.flatMap((f) => ['-f', f])], { timeoutMs: 120_000 });
    // kubectl names each refused object's file: `error when creating "<file>": <what the API server said>`.
    const messages = new Map<string, string>();
    for (const line of r.stderr.split('\n')) {
      const m = /error when creating "([^"]+)": (.*)$/.exec(line);
      if (m) messages.set(path.relative(path.join(FIXTURE, 'invalid'), m[1]), m[2]);
    }
    const accepted = files.map((f) => path.relative(path.join(FIXTURE, 'invalid'), f)).filter((f) => !messages.has(f));
    expect(accepted).toEqual([]);
    // The list-type checks and the IP library's isIP, in kube-apiserver's words.
    expect(messages.get('httproute/duplicate-header-match.yaml')).toContain(
      'spec.rules[0].matches[0].headers[1]: Duplicate value: map[string]interface {}{"name":"foo"}');
    expect(messages.get('httproute/invalid-filter-duplicate-header.yaml')).toContain(
      'spec.rules[0].filters[0].requestHeaderModifier.remove[1]: Duplicate value: "foo"');
    expect(messages.get('httproute/duplicate-query-match.yaml')).toMatch(/queryParams\[1\]: Duplicate value: map\[string\]interface \{\}\{"name":"[^"]+"\}/);
    expect(messages.get('gateway/duplicate-listeners.yaml')).toContain('spec.listeners: Invalid value: "array": Listener name must be unique within the Gateway');
  }, 120_000);

  it('evaluates isIP in TLSRoute hostnames', async () => {
    const route = (host: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: { name: ip-check }
spec:
  parentRefs: [{ name: gw }]
  hostnames: ["${host}"]
  rules: [{ backendRefs: [{ name: svc, port: 443 }] }]
`;
    const bad = await c.kubectl(['create', '--dry-run=server', '-f', '-'], { input: route('10.0.0.1') });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('spec.hostnames: Invalid value: "array": Hostnames cannot contain an IP');
    await c.kubectlOk(['create', '--dry-run=server', '-f', '-'], { input: route('tls.example.com') });
  });
});

describe('x-kubernetes-list-type uniqueness', () => {
  const GROUP = 'lists.flotilla.test';
  const schema = (typed: boolean) => crdManifest({ group: GROUP, plural: 'bags', kind: 'Bag' }, storedVersion(`        type: object
        properties:
          spec:
            type: object
            properties:
              tags:
                type: array
                items: {type: string}
${typed ? '                x-kubernetes-list-type: set\n' : ''}              ports:
                type: array
                items:
                  type: object
                  properties:
                    port: {type: integer}
                    protocol: {type: string}
${typed ? '                x-kubernetes-list-type: map\n                x-kubernetes-list-map-keys: [port, protocol]\n' : ''}              note: {type: string}
`));

  it('refuses repeats in sets and map keys, and lets an object stored with repeats be updated while they stay', async () => {
    await defineCrd(c, schema(false), `bags.${GROUP}`);
    const bag = (name: string, extra = '') => `apiVersion: ${GROUP}/v1
kind: Bag
metadata: { name: ${name} }
spec:
  tags: [a, b, a, a]
  ports: [{ port: 80, protocol: TCP }, { port: 80, protocol: UDP }, { port: 80, protocol: TCP }]
${extra}`;
    await c.kubectlOk(['create', '-f', '-'], { input: bag('old') });
    await defineCrd(c, schema(true), `bags.${GROUP}`);
    const r = await c.kubectl(['create', '-f', '-'], { input: bag('new') });
    // One error for each repeated value (the third "a" repeats it again), in no defined order (kube walks a Go map).
    expect(r.stderr.trim().split('\n').sort()).toEqual([
      '* spec.ports[2]: Duplicate value: map[string]interface {}{"port":80, "protocol":"TCP"}',
      '* spec.tags[2]: Duplicate value: "a"',
      'The Bag "new" is invalid: ',
    ]);
    // Ratcheting: the stored object had repeats, so its update is judged without them.
    await c.kubectlOk(['patch', `bags.${GROUP}`, 'old', '--type=merge', '-p', '{"spec":{"note":"still fine"}}']);
    // A key an item lacks is no part of its identity: {port: 1} twice is a repeat.
    const partial = await c.kubectl(['create', '-f', '-'], { input: `apiVersion: ${GROUP}/v1\nkind: Bag\nmetadata: { name: partial }\nspec: { ports: [{ port: 1 }, { port: 1 }] }\n` });
    expect(partial.stderr).toContain('spec.ports[1]: Duplicate value: map[string]interface {}{"port":1}');
  });
});
