// The message of a 422 Invalid Status (apierrors.NewInvalid).
import type { Cause } from './cause';
import { goQuote } from './gofmt';

/** `field: message`, as field.Error.Error() prints a cause. */
export function causeString(c: Cause): string {
  return `${c.field}: ${c.message}`;
}

/** utilerrors.NewAggregate's text (and field.ErrorList.ToAggregate's): duplicates dropped, several in brackets. */
export function aggregateMessage(msgs: readonly string[]): string {
  const unique = [...new Set(msgs)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

/**
 * `Deployment.apps "x" is invalid: [spec.selector: Required value, …]` — one cause without
 * brackets, duplicates dropped, the group omitted for core kinds.
 */
export function invalidMessage(kind: string, group: string, name: string, causes: Cause[]): string {
  const qualified = group ? `${kind}.${group}` : kind;
  const head = `${qualified} ${goQuote(name)} is invalid`;
  return causes.length ? `${head}: ${aggregateMessage(causes.map(causeString))}` : head;
}
