// What apiextensions checks of one CRD version beyond its schema: its additionalPrinterColumns
// (ValidateCustomResourceColumnDefinition), its scale subresource's paths (validateCustomResourceDefinitionSubresources)
// and its selectableFields (ValidateCustomResourceSelectableFields).
import type { Cause } from './cause';
import { duplicate, invalid, required, tooMany } from './cause';
import { isObj, list, obj, str } from './read';

const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

/** validateSimpleJSONPath: not empty, starts with a dot. */
function simpleJsonPath(field: string, s: string): Cause[] {
  if (!s) return [invalid(field, s, 'must not be empty')];
  if (!s.startsWith('.')) return [invalid(field, s, 'must be a simple json path starting with .')];
  return [];
}

function validateColumn(col: Record<string, unknown>, path: string): Cause[] {
  const causes: Cause[] = [];
  if (!str(col.name)) causes.push(required(`${path}.name`, ''));
  const type = str(col.type);
  const types = `must be one of ${COLUMN_TYPES.join(',')}`;
  if (!type) causes.push(required(`${path}.type`, types));
  else if (!COLUMN_TYPES.includes(type)) causes.push(invalid(`${path}.type`, type, types));
  const format = str(col.format);
  if (format && !COLUMN_FORMATS.includes(format)) causes.push(invalid(`${path}.format`, format, `must be one of ${COLUMN_FORMATS.join(',')}`));
  const jsonPath = str(col.jsonPath);
  if (!jsonPath) causes.push(required(`${path}.JSONPath`, ''));
  else causes.push(...simpleJsonPath(`${path}.JSONPath`, jsonPath));
  return causes;
}

function validateScale(scale: Record<string, unknown>, path: string): Cause[] {
  const causes: Cause[] = [];
  const under = (field: string, value: string, prefixes: string[], detail: string) => {
    const errs = simpleJsonPath(`${path}.${field}`, value);
    if (errs.length) causes.push(...errs);
    else if (!prefixes.some((p) => value.startsWith(p))) causes.push(invalid(`${path}.${field}`, value, detail));
  };
  const spec = str(scale.specReplicasPath);
  if (!spec) causes.push(required(`${path}.specReplicasPath`, ''));
  else under('specReplicasPath', spec, ['.spec.'], 'should be a json path under .spec');
  const status = str(scale.statusReplicasPath);
  if (!status) causes.push(required(`${path}.statusReplicasPath`, ''));
  else under('statusReplicasPath', status, ['.status.'], 'should be a json path under .status');
  const selector = str(scale.labelSelectorPath);
  if (selector) under('labelSelectorPath', selector, ['.spec.', '.status.'], 'should be a json path under either .spec or .status');
  return causes;
}

/** At most this many selectable fields a version (MaxSelectableFields). */
const MAX_SELECTABLE_FIELDS = 8;

/**
 * cel.ValidFieldPath without array notation: `.a.b` walked through the schema's properties (or additionalProperties,
 * whose keys any name is); the schema found, or why the path is not one.
 */
export function fieldPathSchema(jsonPath: string, root: Record<string, unknown>): { path: string[]; schema: Record<string, unknown> } | string {
  const tokens = jsonPath.split(/([.[\]])/).filter((t) => t !== '');
  let schema = root;
  const path: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok === '[') return 'array notation is not allowed';
    if (tok !== '.') return `expected [ or . but got: ${tok}`;
    const name = tokens[++i];
    if (name === undefined) return 'unexpected end of JSON path';
    if (isObj(schema.properties)) {
      if (!isObj(schema.properties[name])) return 'does not refer to a valid field';
      schema = schema.properties[name];
    } else if (isObj(schema.additionalProperties)) {
      schema = schema.additionalProperties;
    } else {
      return 'does not refer to a valid field';
    }
    path.push(name);
  }
  return { path, schema };
}

function validateSelectableFields(fields: unknown[], schema: Record<string, unknown>, path: string): Cause[] {
  const causes: Cause[] = [];
  const unique = new Set<string>();
  fields.forEach((f, i) => {
    const at = `${path}[${i}].jsonPath`;
    const jsonPath = str(obj(f).jsonPath);
    if (!jsonPath) {
      causes.push(required(at, ''));
      return;
    }
    const found = fieldPathSchema(jsonPath, schema);
    if (typeof found === 'string') {
      causes.push(invalid(at, jsonPath, `is an invalid path: ${found}`));
      return;
    }
    if (found.path[0] === 'metadata') causes.push(invalid(at, jsonPath, 'must not point to fields in metadata'));
    if (!['string', 'boolean', 'integer'].includes(str(found.schema.type))) {
      causes.push(invalid(at, jsonPath, 'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.'));
    }
    const key = found.path.join('.');
    if (unique.has(key)) causes.push(duplicate(at, jsonPath));
    else unique.add(key);
  });
  if (unique.size > MAX_SELECTABLE_FIELDS) causes.push(tooMany(path, unique.size, MAX_SELECTABLE_FIELDS));
  return causes;
}

/** The printer columns, subresources and selectable fields of `spec.versions[i]`. */
export function validateVersionExtras(version: Record<string, unknown>, path: string): Cause[] {
  const causes: Cause[] = [];
  const selectable = list(version.selectableFields);
  if (selectable.length) {
    const schema = obj(version.schema).openAPIV3Schema;
    // (kube-apiserver's words, "not" included.)
    if (!isObj(schema)) causes.push(invalid(`${path}.selectableFields`, '', 'selectableFields may only be set when version.schema.openAPIV3Schema is not included'));
    else causes.push(...validateSelectableFields(selectable, schema, `${path}.selectableFields`));
  }
  list(version.additionalPrinterColumns).forEach((c, j) => causes.push(...validateColumn(obj(c), `${path}.additionalPrinterColumns[${j}]`)));
  const sub = obj(version.subresources);
  if (isObj(sub.scale)) causes.push(...validateScale(sub.scale, `${path}.subresources.scale`));
  return causes;
}
