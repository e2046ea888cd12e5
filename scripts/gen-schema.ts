// Generates main/api/schema/schema.generated.json: the structural schema (field names and types) of every
// built-in kind we serve, and of everything reachable from them, from @kubernetes/client-node's model classes.
// Quantity fields (typed plain `string` in client-node) are recognised from kubernetes-types' declarations.
// Run: npm run gen:schema  (npx tsx scripts/gen-schema.ts)
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as clientNode from '@kubernetes/client-node/dist/gen/models/all.js';
import { BUILTIN_ROOTS } from '../main/api/schema/roots';
import type { SchemaDoc } from '../main/api/schema/format';

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

const OUT = join(__dirname, '..', 'main', 'api', 'schema', 'schema.generated.json');

function isAttribute(v: unknown): v is Attribute {
  if (typeof v !== 'object' || v === null) return false;
  const a = v as Record<string, unknown>;
  return typeof a.baseName === 'string' && typeof a.type === 'string' && typeof a.format === 'string';
}

/** The attributeTypeMap of a client-node model class, or undefined when `name` is not a model. */
function attributesOf(name: string): Attribute[] | undefined {
  const cls: unknown = (clientNode as Record<string, unknown>)[name];
  if (typeof cls !== 'function') return undefined;
  const getter: unknown = (cls as unknown as Record<string, unknown>).getAttributeTypeMap;
  if (typeof getter !== 'function') return undefined;
  const map: unknown = getter.call(cls);
  if (!Array.isArray(map) || !map.every(isAttribute)) throw new Error(`${name}: unexpected attributeTypeMap`);
  return map;
}

function walkFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) walkFiles(p, out);
    else if (p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** "Interface.field" pairs whose type is a resource.Quantity (or a map of them), from kubernetes-types. */
function quantityFields(): Set<string> {
  const require = createRequire(__filename);
  const root = dirname(require.resolve('kubernetes-types/package.json'));
  const found = new Set<string>();
  for (const file of walkFiles(root)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    let iface = '';
    lines.forEach((line, i) => {
      const decl = /^export interface (\w+)/.exec(line);
      if (decl) iface = decl[1];
      const field = /^ {4}(\w+)\??: (.*)$/.exec(line);
      if (!field || !iface) return;
      const rest = field[2].trim() === '{' ? (lines[i + 1] ?? '') : field[2];
      if (/\bQuantity\b/.test(rest)) found.add(`${iface}.${field[1]}`);
    });
  }
  return found;
}

/** client-node model name → kubernetes-types interface name (V1ResourceRequirements → ResourceRequirements). */
function plainName(model: string): string {
  return model.replace(/^([A-Z][a-z]+)?V\d+((alpha|beta)\d+)?(?=[A-Z])/, '');
}

function generate(): SchemaDoc {
  const quantities = quantityFields();
  if (quantities.size === 0) throw new Error('no Quantity fields found in kubernetes-types');
  const doc: SchemaDoc = {};
  const queue: string[] = [...new Set(Object.values(BUILTIN_ROOTS))];

  const ref = (type: string, format: string, quantity: boolean): string => {
    const arr = /^Array<(.+)>$/.exec(type);
    if (arr) return `array<${ref(arr[1], format, quantity)}>`;
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
    if (map) return `map<${ref(map[1], format, quantity)}>`;
    switch (type) {
      case 'string': return quantity ? 'quantity' : 'string';
      case 'number': return format === 'int32' || format === 'int64' ? 'integer' : 'number';
      case 'boolean': return 'boolean';
      case 'Date':
      case 'V1MicroTime': return 'date';
      case 'IntOrString': return 'int-or-string';
      case 'any': return 'object(free)';
      default:
        if (!attributesOf(type)) throw new Error(`unknown type ${type}`);
        queue.push(type);
        return type;
    }
  };

  while (queue.length > 0) {
    const name = queue.shift() ?? '';
    if (doc[name]) continue;
    const attrs = attributesOf(name);
    if (!attrs) throw new Error(`no model ${name} in @kubernetes/client-node`);
    const fields: Record<string, string> = {};
    doc[name] = { fields };
    for (const a of attrs) {
      fields[a.baseName] = ref(a.type, a.format, quantities.has(`${plainName(name)}.${a.baseName}`));
    }
  }
  return doc;
}

function render(doc: SchemaDoc): string {
  const names = Object.keys(doc).sort();
  const lines = names.map((n, i) => `  ${JSON.stringify(n)}: ${JSON.stringify(doc[n])}${i < names.length - 1 ? ',' : ''}`);
  return `{\n${lines.join('\n')}\n}\n`;
}

const doc = generate();
writeFileSync(OUT, render(doc));
const quantityRefs = Object.values(doc).flatMap((t) => Object.values(t.fields)).filter((r) => r.includes('quantity')).length;
console.log(`wrote ${OUT}: ${Object.keys(doc).length} types, ${quantityRefs} quantity fields`);
