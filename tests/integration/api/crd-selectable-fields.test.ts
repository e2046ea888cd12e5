// A CRD version's selectableFields (CustomResourceFieldSelectors, on in 1.32) with real kubectl: field selectors on the
// fields it names (strings, integers, booleans; a missing one is ""), in lists and watches, per version; any other
// field is refused as kube-apiserver refuses it; and the definition's selectableFields are validated as apiextensions
// validates them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { crdManifest, defineCrd } from '../../helpers/crd';
import { rawWatch } from '../../helpers/raw-watch';

const GROUP = 'select.flotilla.test';
let c: TestCluster;

const schema = `    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              color: {type: string}
              size: {type: integer}
              enabled: {type: boolean}
              tags: {type: array, items: {type: string}}
              labels: {type: object, additionalProperties: {type: string}}
`;

const widget = (name: string, spec: string) => `apiVersion: ${GROUP}/v1\nkind: Widget\nmetadata: {name: ${name}}\nspec: ${spec}\n`;

beforeAll(async () => {
  c = await startTestCluster();
  await defineCrd(c, crdManifest({ group: GROUP, plural: 'widgets', kind: 'Widget' }, `  - name: v1
    served: true
    storage: true
    selectableFields: [{jsonPath: .spec.color}, {jsonPath: .spec.size}, {jsonPath: .spec.enabled}, {jsonPath: .spec.labels.team}]
${schema}  - name: v2
    served: true
    storage: false
${schema}`), `widgets.${GROUP}`);
  await c.kubectlOk(['apply', '-f', '-'], {
    input: [
      widget('red-small', '{color: red, size: 1, enabled: true, labels: {team: a}}'),
      widget('blue-big', '{color: blue, size: 10, enabled: false}'),
      widget('plain', '{}'),
    ].join('---\n'),
  });
}, 60_000);

afterAll(async () => {
  await c?.stop();
});

const names = async (...selector: string[]) =>
  (await c.kubectlOk(['get', `widgets.v1.${GROUP}`, '-o', 'name', ...selector.flatMap((s) => ['--field-selector', s])])).split('\n').filter(Boolean).map((n) => n.split('/')[1]);

describe('CRD selectableFields', () => {
  it('selects on the named fields: strings, integers, booleans, map keys; a missing field is ""', async () => {
    expect(await names('spec.color=red')).toEqual(['red-small']);
    expect(await names('spec.color!=red')).toEqual(['blue-big', 'plain']);
    expect(await names('spec.size=10')).toEqual(['blue-big']);
    expect(await names('spec.enabled=false')).toEqual(['blue-big']);
    expect(await names('spec.labels.team=a', 'metadata.name=red-small')).toEqual(['red-small']);
    expect(await names('spec.color=')).toEqual(['plain']);
  });

  it('refuses a field the version does not name, in kube-apiserver\'s words (v2 names none)', async () => {
    const other = await c.kubectl(['get', `widgets.v1.${GROUP}`, '--field-selector', 'spec.tags=x']);
    expect(other.stderr).toContain('Error from server (BadRequest): Unable to find "select.flotilla.test/v1, Resource=widgets" that match label selector "", field selector "spec.tags=x": field label not supported: spec.tags');
    const v2 = await c.kubectl(['get', `widgets.v2.${GROUP}`, '--field-selector', 'spec.color=red']);
    expect(v2.stderr).toContain('field label not supported: spec.color');
  });

  it('filters a watch by them: an object leaving the selection is DELETED for it', async () => {
    const w = rawWatch(c, `/apis/${GROUP}/v1/widgets?watch=true&fieldSelector=spec.color%3Dblue`);
    try {
      await waitFor(() => w.events.length >= 1, 'the ADDED event of the blue widget');
      await c.kubectlOk(['patch', `widgets.v1.${GROUP}`, 'plain', '--type=merge', '-p', '{"spec":{"color":"blue"}}']);
      await c.kubectlOk(['patch', `widgets.v1.${GROUP}`, 'blue-big', '--type=merge', '-p', '{"spec":{"color":"green"}}']);
      await waitFor(() => w.events.length >= 3, 'the watch sees both changes');
      expect(w.events.map((e) => [e.type, e.object.metadata?.name])).toEqual([['ADDED', 'blue-big'], ['ADDED', 'plain'], ['DELETED', 'blue-big']]);
    } finally {
      w.close();
    }
  });

  it('validates selectableFields as apiextensions does', async () => {
    const refused = async (fields: string, withSchema = true) => {
      const r = await c.kubectl(['apply', '-f', '-'], { input: crdManifest({ group: 'badselect.flotilla.test', plural: 'gadgets', kind: 'Gadget' }, `  - name: v1
    served: true
    storage: true
    selectableFields: ${fields}
${withSchema ? schema : ''}`) });
      expect(r.code).not.toBe(0);
      return r.stderr;
    };
    const at = 'spec.versions[0].selectableFields';
    const bad = await refused(JSON.stringify(['.spec.shape', 'spec.color', '.spec.tags', '.spec.tags[0]', '.spec.color', '.spec.color', ''].map((jsonPath) => ({ jsonPath }))));
    expect(bad).toContain(`${at}[0].jsonPath: Invalid value: ".spec.shape": is an invalid path: does not refer to a valid field`);
    expect(bad).toContain(`${at}[1].jsonPath: Invalid value: "spec.color": is an invalid path: expected [ or . but got: spec`);
    expect(bad).toContain(`${at}[2].jsonPath: Invalid value: ".spec.tags": must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.`);
    expect(bad).toContain(`${at}[3].jsonPath: Invalid value: ".spec.tags[0]": is an invalid path: array notation is not allowed`);
    expect(bad).toContain(`${at}[5].jsonPath: Duplicate value: ".spec.color"`);
    expect(bad).toContain(`${at}[6].jsonPath: Required value`);
    const many = await refused(`[${Array.from({ length: 9 }, (_, i) => `{jsonPath: .spec.labels.k${i}}`).join(', ')}]`);
    expect(many).toContain(`${at}: Too many: 9: must have at most 8 items`);
    expect(await refused('[{jsonPath: .spec.color}]', false)).toContain(`${at}: Invalid value: "": selectableFields may only be set when version.schema.openAPIV3Schema is not included`);
  });
});
