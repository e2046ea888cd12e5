// Custom objects against their schema with real kubectl: unknown fields pruned (a warning, or a 400 with
// --validate=strict) unless x-kubernetes-preserve-unknown-fields keeps them, embedded resources, defaults
// on writes and on reads from storage, nullable, and the size, uniqueness, multipleOf and format checks.
import { beforeAll, describe, expect, it } from 'vitest';
import { testClusterAll } from '../../helpers/cluster';
import { crdManifest, defineCrd, storedVersion } from '../../helpers/crd';

const c = testClusterAll();

beforeAll(async () => {
  await defineCrd(c, gizmoCrd(''), 'gizmos.schema.example.com');
});

function gizmoCrd(extraProperty: string): string {
  return crdManifest({ group: 'schema.example.com', plural: 'gizmos', kind: 'Gizmo' }, storedVersion(`        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer, default: 3}
              mode: {type: string, default: fast}
              port: {x-kubernetes-int-or-string: true}
              note: {type: string, nullable: true}
              when: {type: string, format: date-time}
              tags: {type: array, items: {type: string}, minItems: 1, maxItems: 3, uniqueItems: true}
              labels: {type: object, additionalProperties: {type: string}, maxProperties: 2}
              step: {type: number, multipleOf: 0.5}
              extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
              nested: {type: object, default: {}, properties: {level: {type: integer, default: 1}}}
              template:
                type: object
                x-kubernetes-embedded-resource: true
                properties:
                  spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
${extraProperty}`));
}

const gizmo = (name: string, spec: string) => `apiVersion: schema.example.com/v1\nkind: Gizmo\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n${spec}`;
const json = async (name: string) => JSON.parse(await c.kubectlOk(['get', 'gizmo', name, '-o', 'json'])) as { spec: Record<string, unknown> };

describe('pruning and defaulting of custom objects', () => {
  it('prunes unknown fields with a warning, keeps preserved and embedded ones, and defaults', async () => {
    const r = await c.kubectl(['apply', '--validate=warn', '-f', '-'], {
      input: gizmo('a', `  foo: 1
  port: http
  extra: {anything: {goes: true}}
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: inner}
    spec: {x: 1}
    other: dropped
`),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Warning: unknown field "spec.foo"');
    expect(r.stderr).toContain('Warning: unknown field "spec.template.other"');
    const spec = (await json('a')).spec;
    expect(spec).toEqual({
      size: 3, mode: 'fast', port: 'http', nested: { level: 1 }, extra: { anything: { goes: true } },
      template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inner' }, spec: { x: 1 } },
    });
  });

  it('refuses unknown fields with --validate=strict, as Kubernetes words it', async () => {
    const r = await c.kubectl(['create', '--validate=strict', '-f', '-'], { input: gizmo('strict', '  foo: 1\n  size: 2\n') });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Gizmo in version "v1" cannot be handled as a Gizmo: strict decoding error: unknown field "spec.foo"');
    expect((await c.kubectl(['get', 'gizmo', 'strict'])).code).not.toBe(0);
  });

  it('defaults nulls that are not nullable, drops them without a default, keeps nullable ones', async () => {
    await c.kubectlOk(['create', '-f', '-'], { input: gizmo('nulls', '  mode: null\n  when: null\n  note: null\n  size: 7\n') });
    expect((await json('nulls')).spec).toEqual({ size: 7, mode: 'fast', note: null, nested: { level: 1 } });
  });

  it('defaults on read a field whose default came after the object was stored', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: gizmo('old', '  size: 5\n') });
    await c.kubectlOk(['apply', '-f', '-'], { input: gizmoCrd('              color: {type: string, default: red}\n') });
    expect(await c.kubectlOk(['get', 'gizmo', 'old', '-o', 'jsonpath={.spec.color} {.spec.size}'])).toBe('red 5');
    const stored = JSON.parse(c.core.store.get('/registry/schema.example.com/gizmos/default/old')!.value) as { spec: object };
    expect(stored.spec).not.toHaveProperty('color');
  });

  it('refuses sizes, duplicates, multiples, formats and embedded resources without kind', async () => {
    const cases: Array<[string, string]> = [
      ['  tags: [a, b, c, d]\n', 'spec.tags: Too many: 4: must have at most 3 items'],
      ['  tags: []\n', 'spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items'],
      ['  tags: [a, a]\n', 'spec.tags: Invalid value: "": spec.tags in body shouldn\'t contain duplicates'],
      ['  labels: {a: x, b: y, c: z}\n', 'spec.labels: Too many: 3: must have at most 2 items'],
      ['  step: 0.3\n', 'spec.step: Invalid value: 0.3: spec.step in body should be a multiple of 0.5'],
      ['  when: yesterday\n', 'spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"'],
      ['  port: 1.5\n', 'spec.port in body must be of type integer,string: "number"'],
      ['  template: {apiVersion: v1, spec: {}}\n', 'spec.template.kind: Required value: must not be empty'],
    ];
    for (const [spec, message] of cases) {
      const r = await c.kubectl(['apply', '-f', '-'], { input: gizmo('bad', spec) });
      expect(r.code, spec).not.toBe(0);
      expect(r.stderr, spec).toContain(message);
    }
    await c.kubectlOk(['apply', '-f', '-'], { input: gizmo('good', '  tags: [a, b]\n  step: 1.5\n  when: "2026-01-02T03:04:05Z"\n  port: 8080\n') });
  });
});
