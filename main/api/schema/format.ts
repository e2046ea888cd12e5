// The compact structural-schema format shared by the generated built-in schema, the hand-written Machine schema
// and the checker. A type ref is one of:
//   string | integer | number | boolean | date | int-or-string | quantity | object(free) | map<T> | array<T> | <TypeName>

export interface TypeSchema {
  /** JSON field name → type ref. */
  fields: Record<string, string>;
}

/** Type name → its fields. */
export type SchemaDoc = Record<string, TypeSchema>;

export type PrimitiveRef = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'int-or-string' | 'quantity' | 'object(free)';

export type ParsedRef =
  | { kind: 'primitive'; name: PrimitiveRef }
  | { kind: 'array'; of: ParsedRef }
  | { kind: 'map'; of: ParsedRef }
  | { kind: 'named'; name: string };

const PRIMITIVES: ReadonlySet<string> = new Set<PrimitiveRef>([
  'string', 'integer', 'number', 'boolean', 'date', 'int-or-string', 'quantity', 'object(free)',
]);

function isPrimitive(ref: string): ref is PrimitiveRef {
  return PRIMITIVES.has(ref);
}

export function parseTypeRef(ref: string): ParsedRef {
  if (isPrimitive(ref)) return { kind: 'primitive', name: ref };
  const m = /^(array|map)<(.+)>$/.exec(ref);
  if (m) return { kind: m[1] === 'array' ? 'array' : 'map', of: parseTypeRef(m[2]) };
  return { kind: 'named', name: ref };
}
