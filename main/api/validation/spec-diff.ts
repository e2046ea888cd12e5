// A compact "what changed" listing of two JSON values, standing in for Go's cmp.Diff in the messages of
// forbidden updates.
import { isObj, semanticEqual } from './read';

/** `- path: old` / `+ path: new` lines for every leaf that differs. */
export function specDiff(prev: unknown, next: unknown, path = 'spec'): string[] {
  if (semanticEqual(prev, next)) return [];
  if (isObj(prev) && isObj(next)) {
    const keys = [...new Set([...Object.keys(prev), ...Object.keys(next)])].sort();
    return keys.flatMap((k) => specDiff(prev[k], next[k], `${path}.${k}`));
  }
  if (Array.isArray(prev) && Array.isArray(next) && prev.length === next.length) {
    return prev.flatMap((p, i) => specDiff(p, next[i], `${path}[${i}]`));
  }
  return [`- ${path}: ${JSON.stringify(prev ?? null)}`, `+ ${path}: ${JSON.stringify(next ?? null)}`];
}
