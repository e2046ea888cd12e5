// CRD validation ratcheting (CRDValidationRatcheting, on by default in 1.32), with real kubectl: after a CRD's schema
// tightens, objects stored under the old one can still be updated — labels, finalizers, status, other fields — as long
// as the values the new schema refuses are left as they were; changing such a value, or creating an object with one,
// is refused. Map-list items are judged by their own old items (by key); CEL rules ratchet as the schema does, except
// transition rules (oldSelf), which always run; a required field missing from an object the update changes is refused,
// and such an error keeps the CEL rules from running, in apiextensions' words. 1.32's TooLong wording throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';
import { crdManifest, defineCrd } from '../../helpers/crd';

const GROUP = 'ratchet.flotilla.test';
const RESOURCE = `gadgets.${GROUP}`;
let c: TestCluster;

/** The version's schema: `strict` adds the rules the stored objects break. */
function crd(strict: boolean): string {
  const tight = (s: string) => (strict ? s : '');
  return crdManifest({ group: GROUP, plural: 'gadgets', kind: 'Gadget' }, `  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          status:
            type: object
            properties:
              phase: {type: string}
          spec:
            type: object
${tight(`            required: [owner]
            x-kubernetes-validations:
            - {rule: "has(oldSelf.owner) ? has(self.owner) && self.owner == oldSelf.owner : true", message: "owner is immutable"}
`)}            properties:
              owner: {type: string}
              name: {type: string${tight(', maxLength: 3')}}
              replicas: {type: integer${tight(', x-kubernetes-validations: [{rule: "self % 2 == 1", message: "replicas must be odd"}]')}}
              note: {type: string}
              tags:
                type: array
                items: {type: string${tight(', maxLength: 2')}}
              ports:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    port: {type: integer${tight(', maximum: 1000')}}
`);
}

const patch = async (name: string, body: object, ...extra: string[]) =>
  c.kubectl(['patch', RESOURCE, name, '--type=merge', '-p', JSON.stringify(body), ...extra]);

beforeAll(async () => {
  c = await startTestCluster();
  await defineCrd(c, crd(false), RESOURCE);
  const gadget = (name: string, spec: object) => JSON.stringify({ apiVersion: `${GROUP}/v1`, kind: 'Gadget', metadata: { name }, spec });
  await c.kubectlOk(['apply', '-f', '-'], { input: gadget('old', { owner: 'x', name: 'toolong', replicas: 8, note: 'a', tags: ['long-tag'], ports: [{ name: 'a', port: 5000 }, { name: 'b', port: 80 }] }) });
  await c.kubectlOk(['apply', '-f', '-'], { input: gadget('ownerless', { replicas: 1 }) });
  await defineCrd(c, crd(true), RESOURCE);
}, 60_000);

afterAll(async () => {
  await c?.stop();
});

describe('CRD validation ratcheting', () => {
  it('lets an update through when what the new schema refuses is left as it was', async () => {
    expect((await patch('old', { spec: { note: 'b' } })).code).toBe(0);
    expect((await patch('old', { metadata: { labels: { team: 'x' }, finalizers: ['ratchet.flotilla.test/hold'] } })).code).toBe(0);
    expect((await patch('old', { metadata: { finalizers: null } })).code).toBe(0);
    expect((await patch('old', { status: { phase: 'Ready' } }, '--subresource=status')).code).toBe(0);
    // A map-list item by its key: item b changes (valid), item a keeps its refused port.
    expect((await patch('old', { spec: { ports: [{ name: 'a', port: 5000 }, { name: 'b', port: 81 }] } })).code).toBe(0);
    expect(await c.kubectlOk(['get', RESOURCE, 'old', '-o', 'jsonpath={.spec.note} {.spec.ports[1].port} {.status.phase} {.metadata.labels.team}'])).toBe('b 81 Ready x');
  });

  it('refuses a changed value the new schema refuses, each rule in its own words', async () => {
    const name = await patch('old', { spec: { name: 'stilltoolong' } });
    expect(name.stderr).toContain('spec.name: Too long: may not be more than 3 bytes');
    // A schema error of that kind keeps the CEL rules from running, as apiextensions says.
    expect(name.stderr).toContain('<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation');
    const port = await patch('old', { spec: { ports: [{ name: 'a', port: 6000 }, { name: 'b', port: 81 }] } });
    expect(port.stderr).toContain('spec.ports[0].port: Invalid value: 6000: spec.ports[0].port in body should be less than or equal to 1000');
    // An atomic list has no per-item old values: a changed list is judged whole.
    const tags = await patch('old', { spec: { tags: ['long-tag', 'ok'] } });
    expect(tags.stderr).toContain('spec.tags[0]: Too long: may not be more than 2 bytes');
    // CEL: the rule on replicas (8 kept above) runs once the value changes.
    const even = await patch('old', { spec: { replicas: 6 } });
    expect(even.stderr).toContain('The Gadget "old" is invalid: spec.replicas: Invalid value: "integer": replicas must be odd');
  });

  it('runs transition rules and required fields on a changed object, and judges creates in full', async () => {
    const owner = await patch('old', { spec: { owner: 'me' } });
    expect(owner.stderr).toContain('spec: Invalid value: "object": owner is immutable');
    // ownerless' spec is unchanged by a label: let through; a change to its spec meets the required owner.
    expect((await patch('ownerless', { metadata: { labels: { a: 'b' } } })).code).toBe(0);
    expect((await patch('ownerless', { spec: { note: 'x' } })).stderr).toContain('spec.owner: Required value');
    const created = await c.kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: `${GROUP}/v1`, kind: 'Gadget', metadata: { name: 'new' }, spec: { owner: 'me', name: 'toolong', replicas: 1 } }) });
    expect(created.code).not.toBe(0);
    expect(created.stderr).toContain('spec.name: Too long: may not be more than 3 bytes');
  });
});
