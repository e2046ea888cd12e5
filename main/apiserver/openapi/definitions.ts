// The OpenAPI definitions of every built-in kind the server serves and of everything they reach, generated from
// k8s.io/api and k8s.io/apimachinery's Go types and doc comments by scripts/gen-openapi.ts into
// definitions.generated.json (gzip, base64). Inflated once, at the first request that needs them.
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import generated from './definitions.generated.json';

/** One schema node as generated: `$ref` is a bare definition name; `default` belongs to OpenAPI v3 only. */
export interface SchemaNode {
  type?: string;
  format?: string;
  description?: string;
  $ref?: string;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  enum?: string[];
  default?: unknown;
  [extension: `x-kubernetes-${string}`]: unknown;
}

export interface GroupVersionKind { group: string; kind: string; version: string }

export type Definition = SchemaNode & { 'x-kubernetes-group-version-kind'?: GroupVersionKind[] };

export interface DefinitionsFile {
  /** The Kubernetes release the definitions were generated from. */
  source: string;
  /** The definitions by OpenAPI name (`io.k8s.api.core.v1.Pod`), as gzip-compressed JSON in base64. */
  gzip: string;
}

const file: DefinitionsFile = generated;

let inflated: Readonly<Record<string, Definition>> | undefined;

/** Every generated definition by OpenAPI name. Callers must not modify them. */
export function builtinDefinitions(): Readonly<Record<string, Definition>> {
  inflated ??= JSON.parse(gunzipSync(Buffer.from(file.gzip, 'base64')).toString('utf8')) as Record<string, Definition>;
  return inflated;
}

let digest: string | undefined;

/** A digest of the generated definitions (part of every document's hash, so regenerating them changes it). */
export function definitionsDigest(): string {
  digest ??= createHash('sha256').update(file.gzip).digest('hex');
  return digest;
}
