// LimitRange defaults (SetDefaults_LimitRangeItem): for a Container item, the default limit falls
// back to max, the default request to the default limit, then to min.
import type { KObject, LimitRangeItem } from './types';

type ResourceList = Record<string, string>;

function fill(into: ResourceList, from: ResourceList | undefined): void {
  for (const [k, v] of Object.entries(from ?? {})) if (!(k in into)) into[k] = v;
}

export function defaultLimitRange(o: KObject): void {
  const limits = (o.spec as { limits?: LimitRangeItem[] } | undefined)?.limits;
  if (!Array.isArray(limits)) return;
  for (const item of limits) {
    if (item?.type !== 'Container') continue;
    const def = (item.default ??= {});
    const req = (item.defaultRequest ??= {});
    fill(def, item.max);
    fill(req, def);
    fill(req, item.min);
  }
}
