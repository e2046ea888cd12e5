// CustomResourceDefinitions with real kubectl: stored with apiextensions' defaults and validation
// messages, listed as NAME CREATED AT, and made NamesAccepted and Established by their controller.
import { describe, expect, it } from 'vitest';
import { testClusterAll } from '../../helpers/cluster';
import { crdManifest, defineCrd, storedVersion } from '../../helpers/crd';

const c = testClusterAll();

const SCHEMA = `        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
`;

function crd(o: { name?: string; group?: string; plural?: string; kind?: string; scope?: string; versions?: string } = {}): string {
  const header = { group: o.group ?? 'example.com', plural: o.plural ?? 'widgets', kind: o.kind ?? 'Widget', scope: o.scope, name: o.name, shortNames: ['wd'] };
  return crdManifest(header, o.versions ?? storedVersion(SCHEMA));
}

describe('CustomResourceDefinition', () => {
  it('is stored with its defaults, becomes Established and lists as NAME CREATED AT', async () => {
    await defineCrd(c, crd(), 'widgets.example.com');
    const names = await c.kubectlOk(['get', 'crd', 'widgets.example.com', '-o', 'jsonpath={.spec.names.listKind} {.spec.names.singular} {.spec.conversion.strategy}']);
    expect(names).toBe('WidgetList widget None');
    const status = await c.kubectlOk([
      'get', 'customresourcedefinitions', 'widgets.example.com', '-o',
      'jsonpath={.status.acceptedNames.kind} {.status.storedVersions} {.status.conditions[?(@.type=="NamesAccepted")].reason}',
    ]);
    expect(status).toBe('Widget ["v1"] NoConflicts');
    const out = await c.kubectlOk(['get', 'crds']);
    expect(out.split('\n')[0]).toMatch(/^NAME\s+CREATED AT$/);
    expect(out).toMatch(/widgets\.example\.com\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
  });

  it('refuses what apiextensions refuses, with its messages', async () => {
    const cases: Array<[string, string]> = [
      [crd({ name: 'wrong.example.com' }), 'metadata.name: Invalid value: "wrong.example.com": must be spec.names.plural+"."+spec.group'],
      [crd({ group: 'nodots', name: 'widgets.nodots' }), 'spec.group: Invalid value: "nodots": should be a domain with at least one dot'],
      [crd({ scope: 'Galaxy', plural: 'things', kind: 'Thing' }), 'spec.scope: Unsupported value: "Galaxy": supported values: "Cluster", "Namespaced"'],
      [crd({ plural: 'gadgets', kind: 'Gadget', versions: '  - name: v1\n    served: true\n    storage: true\n' }),
        'spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required'],
      [crd({ plural: 'gizmos', kind: 'Gizmo', versions: `  - name: v1\n    served: true\n    storage: false\n    schema:\n      openAPIV3Schema:\n${SCHEMA}` }),
        'must have exactly one version marked as storage version'],
      [crd({ plural: 'bolts', kind: 'Bolt', versions: '  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        properties:\n          spec: {}\n' }),
        'spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields'],
    ];
    for (const [body, message] of cases) {
      const r = await c.kubectl(['apply', '-f', '-'], { input: body });
      expect(r.code, body).not.toBe(0);
      expect(r.stderr).toContain(message);
    }
    const root = await c.kubectl(['apply', '-f', '-'], { input: crd({ plural: 'bolts', kind: 'Bolt', versions: '  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        properties:\n          spec: {}\n' }) });
    expect(root.stderr).toContain('spec.versions[0].schema.openAPIV3Schema.type: Required value: must not be empty at the root');
  });
});
