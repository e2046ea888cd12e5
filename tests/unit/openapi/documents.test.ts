// The served OpenAPI documents against the shapes of kube-apiserver 1.32's own (api/openapi-spec/swagger.json and
// v3/apis__apps__v1_openapi.json): definitions named by Go import path, references with their descriptions (v2)
// or in allOf with v3's defaults, the list/map/patch extensions and enums of the Go tags, Quantity and IntOrString
// in each version's form, every document holding exactly the schemas its paths reach, and a CRD's kind served from
// its openAPIV3Schema with a hash that changes when the definition does.
import { afterEach, describe, expect, it } from 'vitest';
import { RESOURCES, serveCustomResources, type ResourceInfo } from '../../../main/api/resources';
import { openapiDocument, openapiIndex, openapiV2 } from '../../../main/apiserver/openapi/documents';
import { acceptsJson } from '../../../main/apiserver/openapi/handler';

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; items?: Schema };
interface Operation { parameters?: Array<{ name: string }>; requestBody?: { content: Record<string, unknown> } }
interface V3Doc { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } }
interface V2Doc { swagger: string; definitions: Record<string, Schema> }

const v3 = (path: string) => JSON.parse(openapiDocument(path)!.body) as V3Doc;
const v2 = () => JSON.parse(openapiV2().body) as V2Doc;

const cronTab = (description: string): ResourceInfo => ({
  group: 'stable.example.com', version: 'v1', kind: 'CronTab', listKind: 'CronTabList', plural: 'crontabs', singular: 'crontab',
  namespaced: true, shortNames: [], categories: [], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: [],
  custom: true, crd: true,
  schema: { type: 'object', properties: { spec: { type: 'object', description, nullable: true, properties: { cronSpec: { type: 'string' } } } } },
});

afterEach(() => serveCustomResources([]));

describe('OpenAPI v3 documents', () => {
  it('names definitions by Go import path and marks kinds with x-kubernetes-group-version-kind', () => {
    const s = v3('apis/apps/v1').components.schemas;
    expect(s['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect(s['io.k8s.api.apps.v1.DeploymentList']['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'DeploymentList', version: 'v1' }]);
    expect(s['io.k8s.api.apps.v1.DeploymentList'].required).toEqual(['items']);
    expect(s['io.k8s.api.apps.v1.DeploymentSpec'].required).toEqual(['selector', 'template']);
    expect(s['io.k8s.api.apps.v1.DeploymentSpec'].properties!.template).toEqual({
      allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec' }], default: {},
      description: 'Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is "Always".',
    });
  });

  it('carries the list, map and patch extensions of the Go tags, and enums', () => {
    const s = v3('api/v1').components.schemas;
    const container = s['io.k8s.api.core.v1.Container'].properties!;
    expect(container.ports).toMatchObject({
      type: 'array', items: { allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.ContainerPort' }], default: {} },
      'x-kubernetes-list-map-keys': ['containerPort', 'protocol'], 'x-kubernetes-list-type': 'map',
      'x-kubernetes-patch-merge-key': 'containerPort', 'x-kubernetes-patch-strategy': 'merge',
    });
    expect(container.name).toMatchObject({ type: 'string', default: '' });
    expect(container.args).toMatchObject({ type: 'array', items: { type: 'string', default: '' }, 'x-kubernetes-list-type': 'atomic' });
    expect(container.imagePullPolicy.enum).toEqual(['Always', 'IfNotPresent', 'Never']);
    expect(container.imagePullPolicy.description).toMatch(/\n\nPossible enum values:\n - `"Always"` means that kubelet always attempts to pull the latest image\./);
    expect(s['io.k8s.api.core.v1.PodSpec'].properties!.containers).toMatchObject({ 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' });
    expect(s['io.k8s.api.core.v1.LocalObjectReference']['x-kubernetes-map-type']).toBe('atomic');
    expect(s['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties!.labels).toMatchObject({ type: 'object', additionalProperties: { type: 'string', default: '' } });
    expect(s['io.k8s.api.core.v1.Secret'].properties!.data).toMatchObject({ type: 'object', additionalProperties: { type: 'string', format: 'byte' } });
    // Inline members are flattened: a Volume has its source's fields; a kind has TypeMeta's apiVersion and kind.
    expect(Object.keys(s['io.k8s.api.core.v1.Volume'].properties!)).toEqual(expect.arrayContaining(['name', 'configMap', 'emptyDir', 'hostPath']));
    expect(s['io.k8s.api.core.v1.Pod'].properties!.apiVersion.description).toMatch(/^APIVersion defines the versioned schema of this representation/);
  });

  it('writes Quantity, IntOrString and Time in their own forms', () => {
    const s = v3('apis/apps/v1').components.schemas;
    expect(s['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] });
    expect(s['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].type).toBeUndefined();
    expect(s['io.k8s.apimachinery.pkg.api.resource.Quantity']).toMatchObject({ oneOf: [{ type: 'string' }, { type: 'number' }] });
    expect(s['io.k8s.apimachinery.pkg.apis.meta.v1.Time']).toMatchObject({ type: 'string', format: 'date-time' });
  });

  it('holds the schemas its paths reach and advertises fieldValidation on patch', () => {
    const doc = v3('apis/apps/v1');
    expect(doc.components.schemas['io.k8s.api.core.v1.PodSpec']).toBeDefined();
    expect(doc.components.schemas['io.k8s.api.rbac.v1.Role']).toBeUndefined();
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(patch.parameters!.map((p) => p.name)).toContain('fieldValidation');
    expect(Object.keys(patch.requestBody!.content)).toContain('application/strategic-merge-patch+json');
    expect(v3('apis/autoscaling/v1').components.schemas['io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler']).toBeDefined();
  });

  it('serves a CRD kind from its schema, and a new hash when the CRD changes', () => {
    expect(openapiIndex().paths['apis/stable.example.com/v1']).toBeUndefined();
    serveCustomResources([cronTab('first')]);
    const first = openapiIndex().paths['apis/stable.example.com/v1'].serverRelativeURL;
    const doc = v3('apis/stable.example.com/v1');
    const kind = doc.components.schemas['com.example.stable.v1.CronTab'];
    expect(kind['x-kubernetes-group-version-kind']).toEqual([{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
    expect(kind.properties!.metadata.allOf).toEqual([{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
    expect(kind.properties!.spec).toMatchObject({ description: 'first', nullable: true });
    expect(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']).toBeDefined();
    const patch = doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}'].patch;
    expect(Object.keys(patch.requestBody!.content)).not.toContain('application/strategic-merge-patch+json');

    serveCustomResources([cronTab('first')]);
    expect(openapiIndex().paths['apis/stable.example.com/v1'].serverRelativeURL).toBe(first);
    serveCustomResources([cronTab('second')]);
    expect(openapiIndex().paths['apis/stable.example.com/v1'].serverRelativeURL).not.toBe(first);
    expect(v3('apis/stable.example.com/v1').components.schemas['com.example.stable.v1.CronTab'].properties!.spec.description).toBe('second');
    // v2 leaves out what Swagger 2.0 cannot say.
    expect(v2().definitions['com.example.stable.v1.CronTab'].properties!.spec.nullable).toBeUndefined();
    expect(RESOURCES.some((r) => r.crd)).toBe(true);
  });
});

describe('our own kinds', () => {
  it('serves Machine from its structural schema', () => {
    const s = v3('apis/flotilla.dev/v1alpha1').components.schemas['dev.flotilla.v1alpha1.Machine'];
    expect(s['x-kubernetes-group-version-kind']).toEqual([{ group: 'flotilla.dev', kind: 'Machine', version: 'v1alpha1' }]);
    expect(s.properties!.spec.properties!.running).toMatchObject({ type: 'boolean', description: expect.stringMatching(/^Desired power state/) as unknown });
    expect(s.properties!.status.properties!.attempts.items!.properties!.time).toEqual({ type: 'string', format: 'date-time' });
  });
});

describe('OpenAPI v2 document', () => {
  it('is Swagger 2.0 with references beside their descriptions and no v3 defaults', () => {
    const doc = v2();
    expect(doc.swagger).toBe('2.0');
    expect(doc.definitions['io.k8s.api.apps.v1.DeploymentSpec'].properties!.template).toEqual({
      $ref: '#/definitions/io.k8s.api.core.v1.PodTemplateSpec',
      description: 'Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is "Always".',
    });
    expect(doc.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ type: 'string', format: 'int-or-string' });
    expect(doc.definitions['io.k8s.api.core.v1.Container'].properties!.ports.items).toEqual({ $ref: '#/definitions/io.k8s.api.core.v1.ContainerPort' });
    expect(JSON.stringify(doc.definitions)).not.toContain('"default":{}');
  });

  it('is JSON for JSON-accepting clients only', () => {
    expect(acceptsJson(undefined)).toBe(true);
    expect(acceptsJson('application/json, application/com.github.proto-openapi.spec.v2@v1.0+protobuf')).toBe(true);
    expect(acceptsJson('*/*')).toBe(true);
    expect(acceptsJson('application/com.github.proto-openapi.spec.v2@v1.0+protobuf')).toBe(false);
    expect(acceptsJson('application/json;q=0, text/plain')).toBe(false);
  });
});
