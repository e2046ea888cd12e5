// Field selectors of a version served by conversion: its field labels are renamed to the stored version's
// (events.k8s.io/v1 regarding.name is core/v1 involvedObject.name); a label the version does not have is refused
// as Kubernetes refuses it (400 "field label not supported").
import type { Conversion } from '../../api/conversion';
import { FieldSelectorError, escapeFieldValue, parseFieldSelector } from '../../api/fields';
import type { ListQuery } from '../registry/options';
import { errors } from '../status';

export function servedFieldSelector<Q extends ListQuery>(conv: Conversion, q: Q): Q {
  if (!conv.fieldLabel || !q.fieldSelector?.trim()) return q;
  let terms;
  try {
    terms = parseFieldSelector(q.fieldSelector).terms;
  } catch (e) {
    if (e instanceof FieldSelectorError) throw errors.badRequest(e.message);
    throw e;
  }
  const renamed = terms.map((t) => {
    const field = conv.fieldLabel?.(t.field);
    if (field === undefined) throw errors.badRequest(`field label not supported: ${t.field}`);
    return `${field}${t.op}${escapeFieldValue(t.value)}`;
  });
  return { ...q, fieldSelector: renamed.join(',') };
}
