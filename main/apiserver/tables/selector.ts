// Label and label-selector formatting as the printers show it (labels.FormatLabels, metav1.FormatLabelSelector,
// and LabelSelectorAsSelector(...).String()). Local until main/api/labels.ts offers the same.
import type { LabelSelector } from '../../api/types';

/** `a=b,c=d` sorted by key; `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${(labels ?? {})[k]}`).join(',');
}

/**
 * The selector string of a LabelSelector (`app=web,tier in (a,b)`): requirements sorted by key, set values sorted.
 * Returns '' for a nil or empty selector and undefined for an invalid one.
 */
export function selectorString(sel: LabelSelector | undefined | null): string | undefined {
  if (!sel) return '';
  const reqs: Array<{ key: string; text: string }> = [];
  for (const key of Object.keys(sel.matchLabels ?? {}).sort()) {
    reqs.push({ key, text: `${key}=${(sel.matchLabels ?? {})[key]}` });
  }
  for (const expr of sel.matchExpressions ?? []) {
    const values = [...(expr.values ?? [])].sort();
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) return undefined;
        reqs.push({ key: expr.key, text: `${expr.key} ${expr.operator === 'In' ? 'in' : 'notin'} (${values.join(',')})` });
        break;
      case 'Exists':
        reqs.push({ key: expr.key, text: expr.key });
        break;
      case 'DoesNotExist':
        reqs.push({ key: expr.key, text: `!${expr.key}` });
        break;
      default:
        return undefined;
    }
  }
  return reqs
    .map((r, i) => ({ ...r, i }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i))
    .map((r) => r.text)
    .join(',');
}

/** metav1.FormatLabelSelector: `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(sel: LabelSelector | undefined | null): string {
  const s = selectorString(sel);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}
