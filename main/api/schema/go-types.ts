// The Go types kube-apiserver decodes built-in objects into (go-types.generated.json, from the Kubernetes sources by
// scripts/gen-go-types.ts): each schema type's Go struct name, and each of its fields' Go type as reflect prints it.
// Type strings are taken apart here (a slice's or map's element, a named type's underlying type, integer ranges).
import doc from './go-types.generated.json';

export interface GoStructInfo {
  /** The struct's Go name (`DeploymentSpec`), as encoding/json's errors name it. */
  go: string;
  /** JSON field name → Go type (`int32`, `[]v1.Container`, `map[string]string`, `v1.Protocol`). */
  fields: Record<string, string>;
}

export interface GoTypesDoc {
  /** Schema type name (`V1DeploymentSpec`) → its Go struct. */
  structs: Record<string, GoStructInfo>;
  /** Named types that are not structs (`v1.Protocol` → `string`). */
  named: Record<string, string>;
}

const DOC: GoTypesDoc = doc;

/** The Go struct a schema type decodes into, when it is one of Kubernetes' own. */
export function goStruct(schemaType: string): GoStructInfo | undefined {
  return DOC.structs[schemaType];
}

/** A named type's underlying type, followed to the end (`v1.ResourceList` → `map[v1.ResourceName]resource.Quantity`). */
function underlying(t: string): string {
  let u = t;
  for (let i = 0; i < 8 && DOC.named[u] !== undefined; i++) u = DOC.named[u];
  return u;
}

/** The element type of a slice or map type (named ones followed): `[]v1.Container` → `v1.Container`. */
export function goElement(t: string | undefined): string | undefined {
  if (t === undefined) return undefined;
  const u = underlying(t);
  if (u.startsWith('[]')) return u.slice(2);
  if (!u.startsWith('map[')) return undefined;
  let depth = 0;
  for (let i = 3; i < u.length; i++) {
    if (u[i] === '[') depth++;
    else if (u[i] === ']' && --depth === 0) return u.slice(i + 1);
  }
  return undefined;
}

const RANGES: Readonly<Record<string, readonly [number, number]>> = {
  int8: [-(2 ** 7), 2 ** 7 - 1], int16: [-(2 ** 15), 2 ** 15 - 1], int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [-(2 ** 63), 2 ** 63 - 1], int: [-(2 ** 63), 2 ** 63 - 1],
  uint8: [0, 2 ** 8 - 1], uint16: [0, 2 ** 16 - 1], uint32: [0, 2 ** 32 - 1], uint64: [0, 2 ** 64 - 1], uint: [0, 2 ** 64 - 1],
};

/** Whether a JSON number fits a Go integer type (whole, in range); undefined when the type is no integer. */
export function fitsGoInteger(t: string | undefined, n: number): boolean | undefined {
  const range = t === undefined ? undefined : RANGES[underlying(t)];
  if (!range) return undefined;
  return Number.isInteger(n) && n >= range[0] && n <= range[1];
}
