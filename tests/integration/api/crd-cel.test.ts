// x-kubernetes-validations (CEL) on custom objects with real kubectl: rules on self, transition rules on
// oldSelf (skipped on create), message, messageExpression, fieldPath, reason, the default
// `failed rule:` message, root rules, and Kubernetes' error shape.
import { beforeAll, describe, expect, it } from 'vitest';
import { testClusterAll } from '../../helpers/cluster';
import { crdManifest, defineCrd, storedVersion } from '../../helpers/crd';

const c = testClusterAll();

const CRD = crdManifest({ group: 'cel.example.com', plural: 'valves', kind: 'Valve' }, storedVersion(`        type: object
        x-kubernetes-validations:
        - rule: "!has(self.spec) || self.metadata.name != 'forbidden'"
          message: this name is reserved
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: self.min <= self.max
              message: min must not exceed max
            - rule: "!has(self.mode) || self.mode == oldSelf.mode"
              message: mode is immutable
            - rule: self.max < 100
              messageExpression: "'max is ' + string(self.max) + ', above 99'"
              fieldPath: .max
            - rule: "!has(self.owner) || self.owner.startsWith('team-')"
              reason: FieldValueForbidden
              message: owners are teams
            properties:
              min: {type: integer}
              max: {type: integer}
              mode: {type: string}
              owner: {type: string}
              ports:
                type: array
                items:
                  type: integer
                  x-kubernetes-validations:
                  - rule: self > 1024
`));

beforeAll(async () => {
  await defineCrd(c, CRD, 'valves.cel.example.com');
});

const valve = (name: string, spec: string) => `apiVersion: cel.example.com/v1\nkind: Valve\nmetadata: {name: ${name}, namespace: default}\nspec: ${spec}\n`;

async function refused(yaml: string): Promise<string> {
  const r = await c.kubectl(['apply', '-f', '-'], { input: yaml });
  expect(r.code, r.stdout).not.toBe(0);
  return r.stderr;
}

describe('CEL validation rules of custom resources', () => {
  it('refuses what the rules refuse, with Kubernetes messages and paths', async () => {
    expect(await refused(valve('a', '{min: 5, max: 2}'))).toContain('The Valve "a" is invalid: spec: Invalid value: "object": min must not exceed max');
    expect(await refused(valve('a', '{min: 1, max: 150}'))).toContain('spec.max: Invalid value: "object": max is 150, above 99');
    expect(await refused(valve('a', '{min: 1, max: 2, owner: bob}'))).toContain('The Valve "a" is invalid: spec: Forbidden: owners are teams');
    expect(await refused(valve('a', '{min: 1, max: 2, ports: [2000, 80]}'))).toContain('spec.ports[1]: Invalid value: "integer": failed rule: self > 1024');
    expect(await refused(valve('forbidden', '{min: 1, max: 2}'))).toContain('<nil>: Invalid value: "object": this name is reserved');
  });

  it('checks transition rules against the stored object, not on create', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: valve('v', '{min: 1, max: 2, mode: fast, ports: [2000]}') });
    await c.kubectlOk(['patch', 'valve', 'v', '--type=merge', '-p', '{"spec":{"max":3}}']);
    const r = await c.kubectl(['patch', 'valve', 'v', '--type=merge', '-p', '{"spec":{"mode":"slow"}}']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The Valve "v" is invalid: spec: Invalid value: "object": mode is immutable');
    expect(await c.kubectlOk(['get', 'valve', 'v', '-o', 'jsonpath={.spec.mode} {.spec.max}'])).toBe('fast 3');
  });
});
