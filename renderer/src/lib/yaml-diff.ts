// Objects as YAML for editing and for the diff of a dry-run: the editor shows a live object without managedFields
// and status (its resourceVersion stays, so an apply over a change made meanwhile is a conflict); the diff compares
// the live object with the dry-run's result without what the server changes on every write.
import { stringify } from 'yaml';
import type { KObject } from '../../../main/api/types';

const NOISE = ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp'] as const;

function copy(o: KObject): KObject {
  return JSON.parse(JSON.stringify(o)) as KObject;
}

export function editableYaml(o: KObject): string {
  const c = copy(o);
  delete c.status;
  if (c.metadata) delete c.metadata.managedFields;
  return stringify(c);
}

/** The object as the diff shows it ('' for none). */
export function diffYaml(o: KObject | null | undefined): string {
  if (!o) return '';
  const c = copy(o);
  delete c.status;
  if (c.metadata) for (const k of NOISE) delete c.metadata[k];
  return stringify(c);
}

export interface ObjectDiff {
  title: string;
  before: string;
  after: string;
  changed: boolean;
}

/** One entry per dry-run object: `kind/name` (new when it does not exist yet). */
export interface DiffSource {
  live?: KObject | null;
  result?: KObject;
  key?: { kind: string; name: string; namespace?: string };
}

export function objectDiffs(results: DiffSource[]): ObjectDiff[] {
  return results.filter((r) => r.result).map((r) => {
    const before = diffYaml(r.live);
    const after = diffYaml(r.result);
    const name = `${r.key?.kind ?? 'object'}/${r.key?.name ?? ''}${r.key?.namespace ? ` in ${r.key.namespace}` : ''}`;
    return { title: r.live ? name : `${name} (new)`, before, after, changed: before !== after };
  });
}
