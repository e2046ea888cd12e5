// A field-level validation error, shaped like a Kubernetes StatusCause: `reason` is the
// machine-readable type, `message` the error body (no field), `field` the JSON path.
// The constructors below format messages exactly as apimachinery's field.Error does.
import { goValue } from './gofmt';

export type CauseReason =
  | 'FieldValueInvalid'
  | 'FieldValueRequired'
  | 'FieldValueNotFound'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid';

export type Cause = { reason: CauseReason; message: string; field: string };

function withDetail(s: string, detail: string | undefined): string {
  return detail ? `${s}: ${detail}` : s;
}

/** `Invalid value: <value>: <detail>` (the value printed as Go prints it). */
export function invalid(field: string, value: unknown, detail?: string): Cause {
  return { reason: 'FieldValueInvalid', field, message: withDetail(`Invalid value: ${goValue(value)}`, detail) };
}

/** `Required value` or `Required value: <detail>`. */
export function required(field: string, detail?: string): Cause {
  return { reason: 'FieldValueRequired', field, message: withDetail('Required value', detail) };
}

/** `Unsupported value: "X": supported values: "A", "B"`. */
export function notSupported(field: string, value: unknown, supported: readonly string[]): Cause {
  const detail = supported.length > 0 ? `supported values: ${supported.map((v) => goValue(v)).join(', ')}` : undefined;
  return { reason: 'FieldValueNotSupported', field, message: withDetail(`Unsupported value: ${goValue(value)}`, detail) };
}

/** `Not found: <value>`. */
export function notFound(field: string, value: unknown): Cause {
  return { reason: 'FieldValueNotFound', field, message: `Not found: ${goValue(value)}` };
}

/** `Duplicate value: <value>`. */
export function duplicate(field: string, value: unknown): Cause {
  return { reason: 'FieldValueDuplicate', field, message: `Duplicate value: ${goValue(value)}` };
}

/** `Forbidden: <detail>`. */
export function forbidden(field: string, detail: string): Cause {
  return { reason: 'FieldValueForbidden', field, message: withDetail('Forbidden', detail) };
}

/** `Too long: may not be more than N bytes` (1.32's field.TooLong; the value is never printed). */
export function tooLong(field: string, maxBytes: number): Cause {
  return { reason: 'FieldValueTooLong', field, message: `Too long: may not be more than ${maxBytes} bytes` };
}

/** A JSON type mismatch, in the form the apiserver's schema validation uses. */
export function typeInvalid(field: string, expected: string, actual: unknown): Cause {
  const got = jsonTypeName(actual);
  return {
    reason: 'FieldValueTypeInvalid', field,
    message: `Invalid value: ${goValue(got)}: ${field} in body must be of type ${expected}: ${goValue(got)}`,
  };
}

export function jsonTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** The message Kubernetes' immutable-field check uses. */
/** field.TooMany: `Too many: <actual>: must have at most <max> items`. */
export function tooMany(field: string, actual: number, max: number): Cause {
  return { reason: 'FieldValueTooMany', field, message: `Too many: ${actual}: must have at most ${max} ${max === 1 ? 'item' : 'items'}` };
}

export const FIELD_IMMUTABLE = 'field is immutable';

export function immutable(field: string, newValue: unknown): Cause {
  return invalid(field, newValue, FIELD_IMMUTABLE);
}
