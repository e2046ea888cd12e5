// LimitRange validation (pkg/apis/core/validation ValidateLimitRange), the ordering of an item's
// bounds: min ≤ defaultRequest ≤ default ≤ max per resource, each breach worded as Kubernetes does
// ("min value 2 is greater than max value 1"), and maxLimitRequestRatio at least 1 and at most max/min; a Pod item
// may not give default or defaultRequest.
import type { KObject } from '../types';
import { parseQuantity } from '../quantity';
import type { Cause } from './cause';
import { duplicate, forbidden, invalid } from './cause';
import { list, obj, str } from './read';

type Bound = 'min' | 'max' | 'default' | 'defaultRequest' | 'maxLimitRequestRatio';

/** An item's quantities of one kind, each with its text as given (Quantity.String()). */
function quantities(item: Record<string, unknown>, kind: Bound): Map<string, { v: number; s: string }> {
  const out = new Map<string, { v: number; s: string }>();
  for (const [k, q] of Object.entries(obj(item[kind]))) {
    try {
      out.set(k, { v: parseQuantity(q as string | number), s: String(q) });
    } catch {
      // A malformed quantity is the schema's error.
    }
  }
  return out;
}

function validateItem(item: Record<string, unknown>, p: string): Cause[] {
  const causes: Cause[] = [];
  const type = str(item.type);
  if (type === 'Pod') {
    if (Object.keys(obj(item.default)).length) causes.push(forbidden(`${p}.default`, 'may not be specified when `type` is \'Pod\''));
    if (Object.keys(obj(item.defaultRequest)).length) causes.push(forbidden(`${p}.defaultRequest`, 'may not be specified when `type` is \'Pod\''));
  }
  const [min, max, def, req] = [quantities(item, 'min'), quantities(item, 'max'), quantities(item, 'default'), quantities(item, 'defaultRequest')];
  const ratios = quantities(item, 'maxLimitRequestRatio');
  const keys = new Set([...min.keys(), ...max.keys(), ...def.keys(), ...req.keys(), ...ratios.keys()]);
  for (const k of [...keys].sort()) {
    const [mn, mx, d, r, ratio] = [min.get(k), max.get(k), def.get(k), req.get(k), ratios.get(k)];
    if (mn && mx && mn.v > mx.v) causes.push(invalid(`${p}.min[${k}]`, mn.s, `min value ${mn.s} is greater than max value ${mx.s}`));
    if (r && mn && mn.v > r.v) causes.push(invalid(`${p}.defaultRequest[${k}]`, r.s, `min value ${mn.s} is greater than default request value ${r.s}`));
    if (r && mx && r.v > mx.v) causes.push(invalid(`${p}.defaultRequest[${k}]`, r.s, `default request value ${r.s} is greater than max value ${mx.s}`));
    if (r && d && r.v > d.v) causes.push(invalid(`${p}.defaultRequest[${k}]`, r.s, `default request value ${r.s} is greater than default limit value ${d.s}`));
    if (d && mn && mn.v > d.v) causes.push(invalid(`${p}.default[${k}]`, mn.s, `min value ${mn.s} is greater than default value ${d.s}`));
    if (d && mx && d.v > mx.v) causes.push(invalid(`${p}.default[${k}]`, mx.s, `default value ${d.s} is greater than max value ${mx.s}`));
    if (ratio && ratio.v < 1) causes.push(invalid(`${p}.maxLimitRequestRatio[${k}]`, ratio.s, `ratio ${ratio.s} is less than 1`));
    if (ratio && mn && mx && ratio.v > mx.v / mn.v) {
      causes.push(invalid(`${p}.maxLimitRequestRatio[${k}]`, ratio.s, `ratio ${ratio.s} is greater than max/min = ${(mx.v / mn.v).toFixed(6)}`));
    }
  }
  return causes;
}

export function validateLimitRange(lr: KObject): Cause[] {
  const causes: Cause[] = [];
  const seen = new Set<string>();
  list(obj(lr.spec).limits).forEach((it, i) => {
    const item = obj(it);
    const p = `spec.limits[${i}]`;
    const type = str(item.type);
    if (seen.has(type)) causes.push(duplicate(`${p}.type`, type));
    seen.add(type);
    causes.push(...validateItem(item, p));
  });
  return causes;
}
