import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import type { OpenApiSchema } from '../../../main/bridge/contract';
import { fieldInMessage, fieldSegments, fieldSpan, parseDocuments, resultDiagnostics, syntaxDiagnostics } from '../../../renderer/src/lib/yaml-fields';
import { fieldOptions, keyContextAt, kindSchema, schemaDiagnostics, typeLabel } from '../../../renderer/src/lib/yaml-schema';
import { diffYaml, editableYaml, objectDiffs } from '../../../renderer/src/lib/yaml-diff';

const TEXT = [
  'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: a}', '---', // doc 0: lines 0-2
  'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  replicas: 2', '  template:', '    spec:', '      containers:',
  '      - name: web', '        image: nginx', '      - name: side', '        image: busybox', '',
].join('\n');

/** The text a span covers. */
const at = (s: { from: number; to: number }) => TEXT.slice(s.from, s.to);

describe('field paths in YAML', () => {
  it('splits Kubernetes field paths, with indexes and bracketed map keys', () => {
    expect(fieldSegments('spec.template.spec.containers[1].image')).toEqual(['spec', 'template', 'spec', 'containers', 1, 'image']);
    expect(fieldSegments('.spec.replicas')).toEqual(['spec', 'replicas']);
    expect(fieldSegments('metadata.labels[app.kubernetes.io/name]')).toEqual(['metadata', 'labels', 'app.kubernetes.io/name']);
  });

  it('finds a field in its own document of several, or the deepest part of its path that is there', () => {
    const docs = parseDocuments(TEXT);
    expect(at(fieldSpan(TEXT, docs[1], fieldSegments('spec.replicas')))).toBe('replicas: 2');
    expect(at(fieldSpan(TEXT, docs[1], fieldSegments('spec.template.spec.containers[1].image')))).toBe('image: busybox');
    expect(at(fieldSpan(TEXT, docs[1], fieldSegments('spec.template.spec.containers[1]')))).toBe('name: side');
    expect(at(fieldSpan(TEXT, docs[1], fieldSegments('spec.selector')))).toBe('spec:');
    expect(at(fieldSpan(TEXT, docs[0], fieldSegments('metadata.name')))).toBe('name: a');
    expect(at(fieldSpan(TEXT, docs[1], []))).toBe('apiVersion: apps/v1');
  });

  it("puts the server's causes next to their fields, other errors at their document's top", () => {
    const d = resultDiagnostics(TEXT, [
      { document: 0, error: { code: 409, reason: 'AlreadyExists', message: 'configmaps "a" already exists' } },
      { document: 1, error: { code: 422, reason: 'Invalid', message: 'Deployment.apps "web" is invalid: …', causes: [
        { field: 'spec.replicas', reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0' },
        { field: 'spec.selector', reason: 'FieldValueRequired', message: 'Required value' },
      ] } },
    ]);
    expect(d.map((x) => [at(x), x.message])).toEqual([
      ['apiVersion: v1', 'configmaps "a" already exists'],
      ['replicas: 2', 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
      ['spec:', 'spec.selector: Required value'],
    ]);
  });

  it('reads the field from a strict decoding error and an item of a List', () => {
    expect(fieldInMessage('Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicaz"')).toBe('spec.replicaz');
    expect(fieldInMessage('Deployment in version "v1" cannot be handled as a Deployment: spec.replicas: expected integer, got string "x"')).toBe('spec.replicas');
    expect(fieldInMessage('the server is gone')).toBeUndefined();
    // encoding/json's wording names the path without list indexes: the first item that has the rest of it is marked.
    const goMessage = 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string';
    expect(fieldInMessage(goMessage)).toBe('spec.template.spec.containers.env.value');
    const deploy = 'kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n      - name: b\n        env:\n        - name: X\n          value: "1"\n        - name: PORT\n          value: 8080\n';
    const g = resultDiagnostics(deploy, [{ document: 0, error: { code: 400, reason: 'BadRequest', message: goMessage } }]);
    expect(deploy.slice(g[0].from, g[0].to)).toBe('value: "1"');
    const list = 'apiVersion: v1\nkind: List\nitems:\n- kind: ConfigMap\n  data: {a: 1}\n';
    const d = resultDiagnostics(list, [{ document: 0, item: 0, error: { code: 422, reason: 'Invalid', message: 'x', causes: [{ field: 'data[a]', message: 'bad' }] } }]);
    expect(list.slice(d[0].from, d[0].to)).toBe('a: 1');
  });

  it('puts YAML syntax errors at their line', () => {
    const text = 'a: 1\n---\nb: [1, 2\nc: 3\n';
    const d = syntaxDiagnostics(text);
    expect(d.length).toBeGreaterThan(0);
    expect(text.slice(0, d[0].from).split('\n').length).toBeGreaterThanOrEqual(3);
  });
});

const SCHEMAS: Record<string, OpenApiSchema> = {
  'io.k8s.api.apps.v1.Deployment': {
    type: 'object', 'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'Deployment' }],
    properties: {
      apiVersion: { type: 'string' }, kind: { type: 'string' },
      metadata: { allOf: [{ $ref: '#/components/schemas/Meta' }], description: 'Standard object metadata.' },
      spec: { allOf: [{ $ref: '#/components/schemas/Spec' }] },
    },
  },
  Meta: { type: 'object', properties: { name: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } } } },
  Spec: {
    type: 'object', required: ['selector'],
    properties: {
      replicas: { type: 'integer', description: 'Number of desired pods.' }, selector: { type: 'object' },
      template: { type: 'object', properties: { spec: { type: 'object', properties: { containers: { type: 'array', items: { $ref: '#/components/schemas/Container' } } } } } },
    },
  },
  Container: { type: 'object', properties: { name: { type: 'string' }, image: { type: 'string' }, ports: { type: 'array', items: { type: 'object', properties: { containerPort: { type: 'integer' } } } } } },
};

describe('schema help', () => {
  it("finds a kind's schema by its group-version-kind and describes types", () => {
    expect(kindSchema(SCHEMAS, 'apps/v1', 'Deployment')).toBe(SCHEMAS['io.k8s.api.apps.v1.Deployment']);
    expect(kindSchema(SCHEMAS, 'apps/v2', 'Deployment')).toBeUndefined();
    expect(typeLabel({ $ref: '#/components/schemas/Meta' }, SCHEMAS)).toBe('object');
    expect(typeLabel({ type: 'object', additionalProperties: { type: 'string' } }, SCHEMAS)).toBe('map[string]string');
  });

  it('reads the path of the key being typed from the lines above, sequences included', () => {
    const doc = (lines: string[]) => lines.join('\n');
    const t1 = doc(['apiVersion: apps/v1', 'kind: Deployment', 'spec:', '  rep']);
    expect(keyContextAt(t1, t1.length)).toEqual({ path: ['spec'], prefix: 'rep', from: t1.length - 3 });
    const t2 = doc(['spec:', '  template:', '    spec:', '      containers:', '      - name: web', '        ima']);
    expect(keyContextAt(t2, t2.length)?.path).toEqual(['spec', 'template', 'spec', 'containers', '[]']);
    const t3 = doc(['spec:', '  template:', '    spec:', '      containers:', '        - name: web', '          ports:', '          - ']);
    expect(keyContextAt(t3, t3.length)?.path).toEqual(['spec', 'template', 'spec', 'containers', '[]', 'ports', '[]']);
    const t4 = doc(['kind: A', '---', 'metadata:', '  name: x', 'sp']);
    expect(keyContextAt(t4, t4.length)).toMatchObject({ path: [], prefix: 'sp' });
    expect(keyContextAt('spec:\n  replicas: 3', 19)).toBeUndefined();
  });

  it('offers the fields of the object at a path, required first, with type and description', () => {
    const root = kindSchema(SCHEMAS, 'apps/v1', 'Deployment');
    const spec = fieldOptions(root, ['spec'], SCHEMAS);
    expect(spec.map((o) => o.label)).toEqual(['selector', 'replicas', 'template']);
    expect(spec[1]).toEqual({ label: 'replicas', type: 'integer', description: 'Number of desired pods.', required: false });
    expect(fieldOptions(root, ['spec', 'template', 'spec', 'containers', '[]'], SCHEMAS).map((o) => o.label)).toEqual(['image', 'name', 'ports']);
    expect(fieldOptions(root, ['metadata', 'labels'], SCHEMAS)).toEqual([]);
  });

  it('marks unknown fields and wrongly typed values, at their place', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x, labels: {a: b}}\nspec:\n  replicas: "x"\n  replicaz: 2\n'
      + '  template: {spec: {containers: [{name: a, ports: [{containerPort: 80}, {containerPort: http}]}]}}\n';
    const d = schemaDiagnostics(parseDocuments(text)[0], SCHEMAS);
    expect(d.map((x) => [text.slice(x.from, x.to), x.message])).toEqual([
      ['"x"', 'spec.replicas: expected integer, got string "x"'],
      ['replicaz', 'unknown field "spec.replicaz"'],
      ['http', 'spec.template.spec.containers[0].ports[1].containerPort: expected integer, got string "http"'],
    ]);
    expect(schemaDiagnostics(parseDocuments('apiVersion: v9\nkind: Nope\nx: 1\n')[0], SCHEMAS)).toEqual([]);
  });
});

describe('YAML for editing and for the diff', () => {
  const live: KObject = {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7', generation: 2, creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{ manager: 'x' }] },
    spec: { replicas: 1 }, status: { replicas: 1 },
  };

  it('edits without managedFields and status but with the resourceVersion; diffs without the noise', () => {
    expect(editableYaml(live)).toContain('resourceVersion: "7"');
    expect(editableYaml(live)).not.toMatch(/managedFields|status:/);
    expect(diffYaml(live)).toBe('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\nspec:\n  replicas: 1\n');
    expect(live.metadata?.managedFields).toHaveLength(1);
  });

  it('names each object and says whether it changes', () => {
    const after = { ...live, metadata: { ...live.metadata, resourceVersion: '8' }, spec: { replicas: 3 } };
    const key = { kind: 'Deployment', name: 'web', namespace: 'default' };
    expect(objectDiffs([{ key, live, result: after }, { key: { kind: 'ConfigMap', name: 'c' }, live: null, result: live }, { key, live, result: live }]).map((d) => [d.title, d.changed]))
      .toEqual([['Deployment/web in default', true], ['ConfigMap/c (new)', true], ['Deployment/web in default', false]]);
  });
});
