// Semantic equality as apimachinery sees it, as a comparable string: the controllers' template
// comparisons and the UI bridge's rollback check (kubectl's equalIgnoreHash) share it.

/**
 * The value as apimachinery's semantic equality sees the Go struct it decodes to: a null, an empty
 * list and an empty map or struct are all the zero value, the same as an absent field. (So the
 * template kubectl rollout undo writes back, with Go's `resources: {}`, is the ReplicaSet's own.)
 */
export function semantic(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return v.length ? `[${v.map((x) => semantic(x) ?? 'null').join(',')}]` : undefined;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const fields: string[] = [];
    for (const k of Object.keys(o).sort()) {
      const s = semantic(o[k]);
      if (s !== undefined) fields.push(`${JSON.stringify(k)}:${s}`);
    }
    return fields.length ? `{${fields.join(',')}}` : undefined;
  }
  return JSON.stringify(v);
}
