// The message of a 422 Invalid Status (apierrors.NewInvalid).
import type { Cause } from './cause';
import { goQuote } from './gofmt';

/** `field: message`, as field.Error.Error() prints a cause. */
export function causeString(c: Cause): string {
  return `${c.field}: ${c.message}`;
}

/**
 * `Deployment.apps "x" is invalid: [spec.selector: Required value, …]` — one cause without
 * brackets, duplicates dropped, the group omitted for core kinds.
 */
export function invalidMessage(kind: string, group: string, name: string, causes: Cause[]): string {
  const qualified = group ? `${kind}.${group}` : kind;
  const head = `${qualified} ${goQuote(name)} is invalid`;
  const msgs = [...new Set(causes.map(causeString))];
  if (msgs.length === 0) return head;
  return `${head}: ${msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`}`;
}
