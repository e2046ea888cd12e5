// What apiextensions checks of one CRD version beyond its schema: its additionalPrinterColumns
// (ValidateCustomResourceColumnDefinition) and its scale subresource's paths (validateCustomResourceDefinitionSubresources).
import type { Cause } from './cause';
import { invalid, required } from './cause';
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

/** The printer columns and subresources of `spec.versions[i]`. */
export function validateVersionExtras(version: Record<string, unknown>, path: string): Cause[] {
  const causes: Cause[] = [];
  list(version.additionalPrinterColumns).forEach((c, j) => causes.push(...validateColumn(obj(c), `${path}.additionalPrinterColumns[${j}]`)));
  const sub = obj(version.subresources);
  if (isObj(sub.scale)) causes.push(...validateScale(sub.scale, `${path}.subresources.scale`));
  return causes;
}
