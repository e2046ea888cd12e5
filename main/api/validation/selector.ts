// metav1.LabelSelector validation (ValidateLabelSelector / ValidateLabelSelectorRequirement).
import { validateLabels } from '../labels';
import type { Cause } from './cause';
import { forbidden, invalid, required } from './cause';
import { isQualifiedName, isValidLabelValue } from './names';
import { list, obj, str, strMap } from './read';

/** ValidateLabelName: a label key (a qualified name), one Invalid cause per problem. */
export function validateLabelName(key: string, path: string): Cause[] {
  return isQualifiedName(key).map((m) => invalid(path, key, m));
}

export function validateLabelSelector(selector: unknown, path: string): Cause[] {
  if (selector === undefined || selector === null) return [];
  const ls = obj(selector);
  const causes: Cause[] = [...validateLabels(strMap(ls.matchLabels), `${path}.matchLabels`)];
  list(ls.matchExpressions).forEach((e, i) => {
    const expr = obj(e);
    const p = `${path}.matchExpressions[${i}]`;
    const values = list(expr.values).map(str);
    const op = str(expr.operator);
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) causes.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) causes.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      causes.push(invalid(`${p}.operator`, op, 'not a valid selector operator'));
    }
    causes.push(...validateLabelName(str(expr.key), `${p}.key`));
    values.forEach((v, j) => {
      for (const m of isValidLabelValue(v)) causes.push(invalid(`${p}.values[${j}]`, v, m));
    });
  });
  return causes;
}

/** Number of requirements in a structured selector. */
export function selectorSize(selector: unknown): number {
  const ls = obj(selector);
  return Object.keys(obj(ls.matchLabels)).length + list(ls.matchExpressions).length;
}
