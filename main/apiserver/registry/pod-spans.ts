// The API server's part of a pod's journey: every stored write of a pod (create, update or status
// update, delete) as a span of the pod's trace, from the registry taking the request to the store's
// answer, with the revision written, the field manager and what the pod looks like after it.
import type { Attributes } from '@opentelemetry/api';
import type { ResourceInfo } from '../../api/resources';
import type { Pod } from '../../api/types';
import type { StoredObject } from '../../api/types';
import { NODE_NAME, STEP, podSpan } from '../../protocol/tracing/pod-trace';

export const REVISION = 'flotilla.revision';
export const FIELD_MANAGER = 'flotilla.field_manager';

function isPods(r: ResourceInfo): boolean {
  return r.group === '' && r.plural === 'pods';
}

function podAttributes(o: StoredObject, fieldManager: string | undefined, subresource: string | undefined): Attributes {
  const pod = o as StoredObject & Pod;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  return {
    [REVISION]: Number(o.metadata.resourceVersion ?? 0),
    [FIELD_MANAGER]: fieldManager ?? 'unknown',
    'flotilla.subresource': subresource ?? '',
    'k8s.pod.phase': pod.status?.phase ?? '',
    'flotilla.pod.ready': ready,
    ...(pod.spec?.nodeName ? { [NODE_NAME]: pod.spec.nodeName } : {}),
    ...(o.metadata.deletionTimestamp ? { 'flotilla.deletion_grace_seconds': o.metadata.deletionGracePeriodSeconds ?? 0 } : {}),
  };
}

function record(step: typeof STEP.create | typeof STEP.update | typeof STEP.delete, o: StoredObject, start: Date | number, attrs: Attributes): void {
  const m = o.metadata;
  if (!m.uid) return;
  podSpan('apiserver', step, { uid: m.uid, name: m.name, namespace: m.namespace }, start, attrs);
}

/** A pod's create or update as a span (any other kind passes through); returns `o`. */
export function tracedWrite(
  r: ResourceInfo, verb: 'create' | 'update', o: StoredObject, start: Date | number, opts: { fieldManager?: string; subresource?: string },
): StoredObject {
  if (isPods(r)) record(verb === 'create' ? STEP.create : STEP.update, o, start, podAttributes(o, opts.fieldManager, opts.subresource));
  return o;
}

/** A pod's delete as a span: marked for graceful deletion, or removed; returns `res`. */
export function tracedDelete<T extends { object: StoredObject; deleted: boolean }>(r: ResourceInfo, start: number, res: T): T {
  if (isPods(r)) record(STEP.delete, res.object, start, { ...podAttributes(res.object, undefined, undefined), 'flotilla.removed': res.deleted });
  return res;
}
