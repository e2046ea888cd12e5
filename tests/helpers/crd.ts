// CustomResourceDefinition manifests for tests that drive real kubectl: the apiextensions.k8s.io/v1 header built
// from group, plural, kind and scope, the usual single stored version v1, and "apply, then wait for Established".
import type { TestCluster } from './cluster';

export interface CrdHeader {
  group: string;
  plural: string;
  kind: string;
  /** Namespaced unless given; any string, so that tests can send what apiextensions refuses. */
  scope?: string;
  /** metadata.name; `<plural>.<group>` unless given. */
  name?: string;
  shortNames?: string[];
  categories?: string[];
}

/** The schema of a version that keeps every field: an object preserving unknown fields (8-space indent). */
export const PRESERVE_UNKNOWN_FIELDS = '        type: object\n        x-kubernetes-preserve-unknown-fields: true\n';

/** A CRD manifest; `versions` is the YAML list under spec.versions, its items at two spaces ("  - name: v1"). */
export function crdManifest(h: CrdHeader, versions: string): string {
  const list = (key: string, items?: string[]) => (items ? `    ${key}: [${items.join(', ')}]\n` : '');
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${h.name ?? `${h.plural}.${h.group}`}
spec:
  group: ${h.group}
  scope: ${h.scope ?? 'Namespaced'}
  names:
    plural: ${h.plural}
    kind: ${h.kind}
${list('shortNames', h.shortNames)}${list('categories', h.categories)}  versions:
${versions}`;
}

/**
 * The one version v1, served and stored: `extra` is YAML of the version at four spaces (subresources,
 * additionalPrinterColumns, …), `schema` the openAPIV3Schema's body at eight spaces.
 */
export function storedVersion(schema: string, extra = ''): string {
  return `  - name: v1\n    served: true\n    storage: true\n${extra}    schema:\n      openAPIV3Schema:\n${schema}`;
}

/** Applies a CRD manifest with kubectl and waits until the CRD named `name` is Established. */
export async function defineCrd(c: TestCluster, yaml: string, name: string): Promise<void> {
  await c.kubectlOk(['apply', '-f', '-'], { input: yaml });
  await c.kubectlOk(['wait', '--for=condition=Established', '--timeout=20s', `crd/${name}`]);
}

/**
 * An openAPIV3Schema body (eight spaces) whose `spec` carries x-kubernetes-validations: `rules` is their YAML list at
 * twelve spaces ("            - rule: …"), `properties` spec's properties at fourteen ("              size: {type: integer}").
 */
export function ruledSpecSchema(rules: string, properties: string): string {
  return `        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
${rules}
            properties:
${properties}
`;
}
