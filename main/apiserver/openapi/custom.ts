// The OpenAPI definitions of a CustomResourceDefinition's kind in one version, as the apiextensions server builds
// them: the version's openAPIV3Schema with apiVersion, kind and metadata (a reference to ObjectMeta) added, named
// after the reversed group (`stable.example.com/v1 CronTab` → `com.example.stable.v1.CronTab`), and its list kind.
// OpenAPI v2 gets the schema without what Swagger 2.0 cannot say (nullable, oneOf, anyOf, allOf, not).
import type { ResourceInfo } from '../../api/resources';
import type { JSONSchemaProps } from '../../api/types';
import { builtinDefinitions } from './definitions';
import type { Flavor, Rendered } from './schemas';
import { refTo, renderNode } from './schemas';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const LIST_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';
const V2_DROPPED = new Set(['nullable', 'oneOf', 'anyOf', 'allOf', 'not']);

/** `stable.example.com`, `v1`, `CronTab` → `com.example.stable.v1.CronTab`. */
export function customDefinitionName(r: Pick<ResourceInfo, 'group' | 'version' | 'kind'>): string {
  return [...r.group.split('.').reverse(), r.version, r.kind].join('.');
}

function forFlavor(schema: JSONSchemaProps, flavor: Flavor): Rendered {
  if (flavor === 'v3') return structuredClone(schema) as Rendered;
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).filter(([k]) => !V2_DROPPED.has(k)).map(([k, v]) => [k, k === 'default' || k === 'example' || k === 'enum' ? v : strip(v)]));
  };
  return strip(schema) as Rendered;
}

/** The standard apiVersion and kind properties (TypeMeta's) and a metadata property of the given type. */
function typeMeta(flavor: Flavor, meta: string, metaDescription: string): Record<string, Rendered> {
  const props = builtinDefinitions()['io.k8s.api.core.v1.ConfigMap'].properties!;
  const metadata = renderNode({ $ref: meta, description: metaDescription }, flavor);
  return { apiVersion: renderNode(props.apiVersion, flavor), kind: renderNode(props.kind, flavor), metadata };
}

/** The kind's definition and its list's, by name; the names they reference are ObjectMeta and ListMeta. */
export function customDefinitions(r: ResourceInfo, flavor: Flavor): Record<string, Rendered> {
  const name = customDefinitionName(r);
  const schema: Rendered = r.schema ? forFlavor(r.schema, flavor) : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const objectMetaDescription = builtinDefinitions()['io.k8s.api.core.v1.ConfigMap'].properties!.metadata.description ?? '';
  schema.properties = {
    ...(schema.properties as Record<string, Rendered> | undefined),
    ...typeMeta(flavor, OBJECT_META, objectMetaDescription),
  };
  schema['x-kubernetes-group-version-kind'] = [{ group: r.group, kind: r.kind, version: r.version }];
  const list: Rendered = {
    description: `${r.listKind} is a list of ${r.kind}`,
    properties: {
      ...typeMeta(flavor, LIST_META, 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds'),
      items: {
        description: `List of ${r.plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`,
        items: { $ref: refTo(name, flavor) },
        type: 'array',
      },
    },
    required: ['items'],
    type: 'object',
    'x-kubernetes-group-version-kind': [{ group: r.group, kind: r.listKind, version: r.version }],
  };
  return { [name]: schema, [`${name}List`]: list };
}
