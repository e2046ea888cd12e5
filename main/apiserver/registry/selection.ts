// Label and field selectors of a list or watch, compiled once into a predicate.
import type { KObject } from '../../api/types';
import { parseLabelSelector } from '../../api/labels';
import { parseFieldSelector, fieldSelectorMatches, fieldsOf, unsupportedField } from '../../api/fields';
import { errors } from '../status';

export type Predicate = (obj: KObject) => boolean;

/**
 * Field labels of frozen objects, by object: a watch event's object is shared and frozen, and every watch with a field
 * selector on its resource (a kubelet's pods watch per node) asks for its labels, so they are made once per event.
 */
const frozenFields = new WeakMap<KObject, Record<string, string>>();

function fieldLabels(kind: string, obj: KObject, custom: readonly string[] | undefined): Record<string, string> {
  // A custom resource's labels depend on the version asked for: not cached.
  if (custom || !Object.isFrozen(obj)) return fieldsOf(kind, obj, custom);
  let f = frozenFields.get(obj);
  if (!f) frozenFields.set(obj, (f = fieldsOf(kind, obj)));
  return f;
}

/** `custom`: a custom resource's selectable fields (api/fields.ts customFieldLabels), which replace the kind's labels. */
export function compileSelection(kind: string, labelSelector?: string, fieldSelector?: string, custom?: readonly string[]): Predicate | undefined {
  let labels: ReturnType<typeof parseLabelSelector> | undefined;
  let fields: ReturnType<typeof parseFieldSelector> | undefined;
  if (labelSelector && labelSelector.trim()) {
    try {
      labels = parseLabelSelector(labelSelector);
    } catch (e) {
      throw errors.badRequest((e as Error).message);
    }
    if (labels.empty) labels = undefined;
  }
  if (fieldSelector && fieldSelector.trim()) {
    try {
      fields = parseFieldSelector(fieldSelector);
    } catch (e) {
      throw errors.badRequest((e as Error).message);
    }
    const bad = unsupportedField(kind, fields, custom);
    if (bad) throw errors.badRequest(`field label not supported: ${bad}`);
  }
  if (!labels && !fields) return undefined;
  const l = labels;
  const f = fields;
  return (obj) => (!l || l.matches(obj.metadata?.labels ?? undefined)) && (!f || fieldSelectorMatches(f, fieldLabels(kind, obj, custom)));
}
