// componentstatuses (v1 ComponentStatus, deprecated in v1.19 and still served): the scheduler, the controller manager
// and etcd-0 (here the store) checked on every read, as kube-apiserver's componentstatus REST does. Get and list only;
// a list takes label and field selectors (metadata.name); an unknown name is the 500 "Component not found: <name>" that
// kube-apiserver answers. Every answer carries the deprecation warning.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ComponentStatus, KObject } from '../../api/types';
import type { ApiContext, ComponentHealth } from '../context';
import type { RequestInfo } from '../request';
import { compileSelection } from '../registry/selection';
import { errors } from '../status';
import { tableOf } from '../tables/build';
import { componentStatusTable } from '../tables/component-statuses';
import { TABLE_CONTENT_TYPE, includeObject, wantsTable } from './negotiate';
import { addWarnings, sendJson } from './respond';

const DEPRECATED = 'v1 ComponentStatus is deprecated in v1.19+';

/** etcd-0: the store answers a read (kube-apiserver's storage probe). */
function storeHealth(ctx: ApiContext): ComponentHealth {
  try {
    ctx.store.get('/registry/health');
    return { name: 'etcd-0', healthy: true, message: 'ok' };
  } catch (e) {
    return { name: 'etcd-0', healthy: false, message: e instanceof Error ? e.message : String(e) };
  }
}

/** As Go encodes it: an unset creationTimestamp is null (metav1.Time is a struct, never omitted). */
type WireComponentStatus = Omit<ComponentStatus, 'metadata'> & { metadata: { name: string; creationTimestamp: null } };

function componentStatus(h: ComponentHealth): WireComponentStatus {
  return {
    kind: 'ComponentStatus', apiVersion: 'v1',
    metadata: { name: h.name, creationTimestamp: null },
    conditions: [{ type: 'Healthy', status: h.healthy ? 'True' : 'False', message: h.message }],
  };
}

/** Every component, checked now: the scheduler and controller manager (when this process runs them), then etcd-0. */
export function componentStatuses(ctx: ApiContext): WireComponentStatus[] {
  return [...(ctx.components?.() ?? []), storeHealth(ctx)].map(componentStatus);
}

export function handleComponentStatuses(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo): void {
  if (info.verb !== 'get' && info.verb !== 'list') throw errors.methodNotAllowed();
  addWarnings(res, [DEPRECATED]);
  const all = componentStatuses(ctx);
  let items: WireComponentStatus[];
  if (info.name) {
    const one = all.find((cs) => cs.metadata.name === info.name);
    if (!one) throw errors.internal(`Component not found: ${info.name}`);
    items = [one];
  } else {
    const matches = compileSelection('ComponentStatus', info.query.get('labelSelector') ?? undefined, info.query.get('fieldSelector') ?? undefined);
    items = matches ? all.filter((cs) => matches(cs as unknown as KObject)) : all;
  }
  if (wantsTable(req)) {
    sendJson(res, 200, tableOf(componentStatusTable, items as unknown as KObject[], { includeObject: includeObject(info.query) }), TABLE_CONTENT_TYPE);
    return;
  }
  sendJson(res, 200, info.name ? items[0] : { kind: 'ComponentStatusList', apiVersion: 'v1', metadata: {}, items });
}
