// Apply conflicts and their wording, as the API server reports them (managedfields/internal/conflict.go).

export interface ApplyConflict {
  /** The manager that owns the field (its `manager` name). */
  manager: string;
  /** The field, like `.spec.replicas` or `.spec.template.spec.containers[name="nginx"].image`. */
  field: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  subresource?: string;
}

/** `"kubectl"`, `"kubectl-scale" with subresource "scale" using apps/v1`, … */
export function printManager(c: ApplyConflict): string {
  let s = JSON.stringify(c.manager);
  if (c.subresource) s += ` with subresource ${JSON.stringify(c.subresource)}`;
  if (c.operation === 'Update' && c.apiVersion) s += ` using ${c.apiVersion}`;
  return s;
}

/** The Status message: `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas`. */
export function conflictMessage(conflicts: readonly ApplyConflict[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0])}: ${conflicts[0].field}`;
  const byManager = new Map<string, { label: string; fields: string[] }>();
  for (const c of conflicts) {
    const label = printManager(c);
    const key = JSON.stringify([c.manager, c.operation ?? '', c.apiVersion ?? '', c.subresource ?? '']);
    const entry = byManager.get(key) ?? { label, fields: [] };
    entry.fields.push(c.field);
    byManager.set(key, entry);
  }
  const lines: string[] = [];
  for (const key of [...byManager.keys()].sort()) {
    const { label, fields } = byManager.get(key) as { label: string; fields: string[] };
    lines.push(`conflicts with ${label}:`, ...fields.map((f) => `- ${f}`));
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** `details.causes` of the 409 Status. */
export function conflictCauses(conflicts: readonly ApplyConflict[]): Array<{ reason: 'FieldManagerConflict'; message: string; field: string }> {
  return conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c)}`, field: c.field }));
}
