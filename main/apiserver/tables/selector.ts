// Label and label-selector formatting as the printers show it: labels.FormatLabels (local), and
// metav1.FormatLabelSelector / LabelSelectorAsSelector(...).String() from main/api/labels.ts.
import { formatLabelSelector as formatSelector, selectorFromLabelSelector } from '../../api/labels';
import type { LabelSelector } from '../../api/types';

/** `a=b,c=d` sorted by key; `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${(labels ?? {})[k]}`).join(',');
}

/**
 * The selector string of a LabelSelector (`app=web,tier in (a,b)`): requirements sorted by key, set values sorted.
 * '' for a nil or empty selector, undefined for an invalid one.
 */
export function selectorString(sel: LabelSelector | undefined | null): string | undefined {
  try {
    return selectorFromLabelSelector(sel ?? undefined).toString();
  } catch {
    return undefined;
  }
}

/** metav1.FormatLabelSelector: `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(sel: LabelSelector | undefined | null): string {
  return formatSelector(sel ?? undefined);
}
