// A value of the wrong JSON type as kube-apiserver's decoding into Kubernetes' Go structs words it. encoding/json (the
// fork in sigs.k8s.io/json) goes on past such an error and reports the first (`json: cannot unmarshal string into Go
// struct field DeploymentSpec.spec.replicas of type int32`: the struct holding the field, the field's JSON path from
// the object's root without list indexes or map keys, the Go type it could not take); a type with a decoder of its own
// (resource.Quantity, intstr.IntOrString, metav1.Time) stops the decoding at its error instead.
import { QUANTITY_FORMAT_MESSAGE, quantityJsonProblem } from '../quantity';
import type { ParsedRef } from './format';

export interface GoDecodeProblem {
  message: string;
  /** A custom decoder's error: the decoding stops there, so it is the one reported. */
  stops: boolean;
}

/** How encoding/json describes a JSON value it could not store: `string`, `number`, `bool`, `array`, `object`. */
function jsonKind(v: unknown): string {
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

function cannotUnmarshal(value: string, struct: string, path: string, type: string): string {
  return struct || path
    ? `json: cannot unmarshal ${value} into Go struct field ${struct}.${path} of type ${type}`
    : `json: cannot unmarshal ${value} into Go value of type ${type}`;
}

/**
 * The Go wording of `v` failing to decode as `t`, held by field `path` of Go struct `struct` with Go type `goType`;
 * undefined when it has none here (an unknown Go type, a malformed date, a free-form field).
 */
export function goDecodeProblem(v: unknown, t: ParsedRef, struct: string, path: string, goType: string | undefined): GoDecodeProblem | undefined {
  if (t.kind === 'primitive') {
    switch (t.name) {
      case 'quantity': // Quantity.UnmarshalJSON parses whatever it gets (a JSON `true` as "true")
        return { message: (typeof v === 'string' && quantityJsonProblem(v)) || QUANTITY_FORMAT_MESSAGE, stops: true };
      case 'int-or-string': // IntOrString.UnmarshalJSON: anything but a string is decoded as its int32
        return { message: cannotUnmarshal(typeof v === 'number' ? `number ${v}` : jsonKind(v), struct, path, 'int32'), stops: true };
      case 'date': // metav1.Time.UnmarshalJSON decodes a string first; a malformed one fails in time.Parse (not worded here)
        return typeof v === 'string' ? undefined : { message: cannotUnmarshal(jsonKind(v), struct, path, 'string'), stops: true };
      case 'object(free)':
        return undefined;
      default:
        break;
    }
  }
  if (goType === undefined) return undefined;
  // A number an integer type cannot take (a fraction, out of range) is named with its text; any other value by its kind.
  const value = typeof v === 'number' && t.kind === 'primitive' && t.name === 'integer' ? `number ${v}` : jsonKind(v);
  return { message: cannotUnmarshal(value, struct, path, goType), stops: false };
}
