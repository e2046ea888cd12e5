// The checks of a custom object's value beyond type, enum, bounds and strings (custom-object.ts): list and
// map sizes, uniqueItems, multipleOf, string formats, and x-kubernetes-embedded-resource's apiVersion and
// kind — with the messages kube-openapi's validator gives and apiextensions turns into field errors.
import type { JSONSchemaProps } from '../types';
import type { Cause } from './cause';
import { invalid, required, tooMany } from './cause';
import { goValue } from './gofmt';
import { isObj } from './read';

/** A dotted-quad IPv4 address without leading zeros (Go's netip and kube-openapi's ipv4 format agree). */
export const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** kube-openapi's string formats (strfmt) that schemas name, by name. */
export const FORMATS: Record<string, (s: string) => boolean> = {
  'date-time': (s) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T'))),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)),
  uuid: (s) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s),
  email: (s) => /^[^@\s]+@[^@\s]+$/.test(s),
  hostname: (s) => s.length <= 255 && /^[a-zA-Z0-9]([-a-zA-Z0-9]{0,62})?(\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,62})?)*\.?$/.test(s),
  ipv4: (s) => IPV4.test(s),
  ipv6: (s) => s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s) && (s.match(/::/g) ?? []).length <= 1,
  cidr: (s) => /^[^/]+\/\d{1,3}$/.test(s) && (IPV4.test(s.split('/')[0]) || s.includes(':')),
  mac: (s) => /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/.test(s),
  byte: (s) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0,
};

/** A JSON value's text with object keys sorted: equal values, equal texts (Go's json.Marshal of unstructured content). */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

function checkArray(schema: JSONSchemaProps, v: unknown[], path: string, causes: Cause[]): void {
  if (schema.maxItems !== undefined && v.length > schema.maxItems) causes.push(tooMany(path, v.length, schema.maxItems));
  if (schema.minItems !== undefined && v.length < schema.minItems) causes.push(invalid(path, v.length, `${path} in body should have at least ${schema.minItems} items`));
  if (schema.uniqueItems && new Set(v.map(canonical)).size !== v.length) causes.push(invalid(path, '', `${path} in body shouldn't contain duplicates`));
}

function checkMap(schema: JSONSchemaProps, v: Record<string, unknown>, path: string, causes: Cause[]): void {
  const n = Object.keys(v).length;
  if (schema.maxProperties !== undefined && n > schema.maxProperties) causes.push(tooMany(path, n, schema.maxProperties));
  if (schema.minProperties !== undefined && n < schema.minProperties) causes.push(invalid(path, n, `${path} in body should have at least ${schema.minProperties} properties`));
  if ((schema as Record<string, unknown>)['x-kubernetes-embedded-resource'] === true) {
    if (v.apiVersion === undefined || v.apiVersion === '') causes.push(required(`${path}.apiVersion`, 'must not be empty'));
    if (v.kind === undefined || v.kind === '') causes.push(required(`${path}.kind`, 'must not be empty'));
  }
}

/** The extra checks of one value against its schema (the value already has the schema's type). */
export function checkExtras(schema: JSONSchemaProps, v: unknown, path: string, causes: Cause[]): void {
  if (Array.isArray(v)) checkArray(schema, v, path, causes);
  else if (isObj(v)) checkMap(schema, v, path, causes);
  else if (typeof v === 'number' && schema.multipleOf !== undefined && schema.multipleOf > 0) {
    const q = v / schema.multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9) causes.push(invalid(path, v, `${path} in body should be a multiple of ${schema.multipleOf}`));
  } else if (typeof v === 'string' && schema.format && FORMATS[schema.format] && !FORMATS[schema.format](v)) {
    causes.push({ reason: 'FieldValueTypeInvalid', field: path, message: `Invalid value: ${goValue(v)}: ${path} in body must be of type ${schema.format}: ${goValue(v)}` });
  }
}
