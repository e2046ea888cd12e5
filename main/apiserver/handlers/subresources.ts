// Subresources with a shape of their own: scale (deployments, replicasets, replicationcontrollers; a CRD's by its paths in
// custom-scale.ts), binding and eviction (pods; the budget checks are registry/eviction.ts), and pod logs (proxied to the node).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceInfo } from '../../api/resources';
import { resourceFor } from '../../api/resources';
import type { Cause } from '../../api/validation';
import { invalidMessage } from '../../api/validation';
import { notSupported, required } from '../../api/validation/cause';
import type { KObject, Scale, StoredObject } from '../../api/types';
import { formatLabelSelector, selectorFromSet } from '../../api/labels';
import { errors, successStatus } from '../status';
import type { RequestInfo } from '../request';
import { decodeBody, isObject, readBody } from '../request';
import { applyPatch } from '../registry/patching';
import { checkFields } from '../registry/body';
import { timestamp } from '../registry/objects';
import type { ApiContext } from '../context';
import { addWarnings, sendJson } from './respond';
import { TABLE_CONTENT_TYPE, includeObject, wantsTable } from './negotiate';
import { tableOf } from '../tables/build';
import { scaleTable } from '../tables/autoscaling';
import { patchBody, patchType, requesterOf, writeOptions } from './resource';
import type { Identity } from '../auth';
import { resolveContainer, type PodWithContainers } from '../streams/pod-containers';
import { evictPod } from '../registry/eviction';
import type { DeleteOptions } from '../registry/options';
import { customScale, customScalePaths, newScale, setCustomReplicas } from './custom-scale';
import { rfc3339Seconds } from '../../api/timestamp';

type Replicated = StoredObject & { spec?: { replicas?: number; selector?: Parameters<typeof formatLabelSelector>[0] }; status?: { replicas?: number } };

function toScale(obj: Replicated, r: ResourceInfo): Scale {
  // A ReplicationController's selector is a plain label map (labels.SelectorFromSet(...).String()).
  const plainMap = r.group === '' && r.plural === 'replicationcontrollers';
  const selector = plainMap ? selectorFromSet(obj.spec?.selector as Record<string, string> | undefined).toString() : formatLabelSelector(obj.spec?.selector);
  return newScale(obj, obj.spec?.replicas ?? 0, { replicas: obj.status?.replicas ?? 0, selector });
}

export async function handleScale(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo, r: ResourceInfo): Promise<void> {
  const ns = info.namespace;
  const name = info.name!;
  const current = ctx.registry.get(r, ns, name) as Replicated;
  const paths = customScalePaths(r);
  const scaleOf = (o: StoredObject) => (paths ? customScale(o, paths) : toScale(o, r));
  if (info.verb === 'get') {
    const scale = scaleOf(current);
    if (!wantsTable(req)) {
      sendJson(res, 200, scale);
      return;
    }
    const table = tableOf(scaleTable, [scale as KObject], { includeObject: includeObject(info.query), resourceVersion: scale.metadata?.resourceVersion });
    sendJson(res, 200, table, TABLE_CONTENT_TYPE);
    return;
  }
  let desired: Scale;
  const opts = writeOptions(req, info.query);
  if (info.verb === 'update') {
    desired = decodeBody(await readBody(req), req.headers['content-type']) as Scale;
    // Decoded into autoscaling/v1's Go Scale as kube-apiserver does: a wrong type is a 400, unknown fields warn (or fail).
    addWarnings(res, checkFields({ ...r, group: 'autoscaling', version: 'v1', kind: 'Scale', crd: false }, desired as KObject, opts));
  } else if (info.verb === 'patch') {
    const type = patchType(req, r);
    // A patch that is not JSON is refused in the patchers' words, as a patch of the object itself.
    const raw = await patchBody(req, type, info.query);
    const scaleResource = { ...r, group: 'autoscaling', version: 'v1', kind: 'Scale' };
    desired = applyPatch({ r: scaleResource, current: scaleOf(current) as StoredObject, patch: raw, type: type === 'apply' ? 'merge' : type, now: timestamp() }) as Scale;
  } else {
    throw errors.methodNotAllowed();
  }
  // spec.replicas is a plain int32: left out (JSON's omitempty, protobuf's zero) it is 0.
  const replicas = desired.spec?.replicas ?? 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw errors.invalid('Scale', 'autoscaling', name, `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, [
      { reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, field: 'spec.replicas' },
    ]);
  }
  const precondition = desired.metadata?.resourceVersion;
  const updated = await ctx.registry.mutate(r, ns, name, (obj) => {
    if (precondition && info.verb === 'update' && obj.metadata.resourceVersion !== precondition) throw errors.conflict(r.group, r.plural, name);
    if (paths) return setCustomReplicas(obj, paths, replicas);
    const o = obj as Replicated;
    if ((o.spec ??= {}).replicas === replicas) return false;
    o.spec.replicas = replicas;
  }, { ...opts, subresource: 'scale' });
  sendJson(res, 200, scaleOf(updated));
}

/** A Binding's node (ValidatePodBinding: a Node target with a name), for the pod it names. */
function bindingTarget(b: unknown, pod: string): string {
  const target = isObject(b) && isObject(b.target) ? b.target : {};
  const kind = typeof target.kind === 'string' ? target.kind : '';
  const node = typeof target.name === 'string' ? target.name : '';
  const causes: Cause[] = [];
  if (kind && kind !== 'Node') causes.push(notSupported('target.kind', kind, ['Node', '<empty>']));
  if (!node) causes.push(required('target.name'));
  if (causes.length) throw errors.invalid('Binding', '', pod, invalidMessage('Binding', '', pod, causes), causes);
  return node;
}

/** pods/binding: the Binding's name, when it has one, must be the pod's. */
export async function handleBinding(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo, r: ResourceInfo): Promise<void> {
  if (info.verb !== 'create') throw errors.methodNotAllowed();
  const b = decodeBody(await readBody(req), req.headers['content-type']);
  const named = isObject(b) && isObject(b.metadata) && typeof b.metadata.name === 'string' ? b.metadata.name : '';
  if (named && named !== info.name) throw errors.badRequest('name in URL does not match name in Binding object');
  await bindPod(ctx, r, info.namespace, info.name!, bindingTarget(b, info.name!));
  sendJson(res, 201, successStatus());
}

/** v1 bindings (POST /api/v1/namespaces/<ns>/bindings, the older schedulers' path): binds the pod the Binding names. */
export async function handleLegacyBinding(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo): Promise<void> {
  if (info.verb !== 'create') throw errors.methodNotAllowed();
  const b = decodeBody(await readBody(req), req.headers['content-type']);
  const pod = isObject(b) && isObject(b.metadata) && typeof b.metadata.name === 'string' ? b.metadata.name : '';
  if (!pod) throw errors.badRequest('name parameter required.');
  await bindPod(ctx, resourceFor('', 'v1', 'pods')!, info.namespace, pod, bindingTarget(b, pod));
  sendJson(res, 201, successStatus());
}

/** Binds a pod to a node, as the scheduler does through pods/binding. */
export async function bindPod(ctx: ApiContext, r: ResourceInfo, namespace: string | undefined, name: string, node: string): Promise<StoredObject> {
  return ctx.registry.mutate(r, namespace, name, (obj) => {
    const pod = obj as StoredObject & { spec?: { nodeName?: string }; status?: { conditions?: Array<Record<string, unknown>> } };
    if (pod.metadata.deletionTimestamp) throw errors.conflict(r.group, r.plural, name, 'pod is being deleted, cannot be assigned to a host');
    if (pod.spec?.nodeName) throw errors.conflict(r.group, r.plural, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    if ((pod.spec as { schedulingGates?: unknown[] } | undefined)?.schedulingGates?.length) throw errors.internal(`pod ${name} has non-empty .spec.schedulingGates`);
    (pod.spec ??= {}).nodeName = node;
    // PodScheduled=True, as the binding's storage sets it (a Pending pod's False/Unschedulable or SchedulingGated ends here).
    const conditions = ((pod.status ??= {}).conditions ??= []);
    const at = conditions.findIndex((c) => c.type === 'PodScheduled');
    if (at < 0 || conditions[at].status !== 'True') {
      const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339Seconds() };
      if (at < 0) conditions.push(scheduled);
      else conditions[at] = scheduled;
    }
  }, { fieldManager: '', subresource: 'binding' });
}

export async function handleEviction(
  ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo, _r: ResourceInfo, identity: Identity,
): Promise<void> {
  if (info.verb !== 'create') throw errors.methodNotAllowed();
  const b = decodeBody(await readBody(req), req.headers['content-type']);
  const name = info.name!;
  if (isObject(b) && isObject(b.metadata) && b.metadata.name !== name) throw errors.badRequest('name in URL does not match name in Eviction object');
  const o = isObject(b) && isObject(b.deleteOptions) ? b.deleteOptions : {};
  const opts: DeleteOptions = { gracePeriodSeconds: typeof o.gracePeriodSeconds === 'number' ? o.gracePeriodSeconds : undefined };
  if (isObject(o.preconditions)) opts.preconditions = o.preconditions;
  if ((Array.isArray(o.dryRun) && o.dryRun.includes('All')) || info.query.getAll('dryRun').includes('All')) opts.dryRun = true;
  opts.requester = requesterOf(ctx, identity, info);
  await evictPod(ctx.registry, info.namespace ?? 'default', name, opts);
  sendJson(res, 201, successStatus());
}

export async function handleLog(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo, r: ResourceInfo): Promise<void> {
  if (info.verb !== 'get') throw errors.methodNotAllowed();
  const pod = ctx.registry.get(r, info.namespace, info.name!) as PodWithContainers & { spec?: { nodeName?: string } };
  resolveContainer(pod, info.query.get('container'));
  if (!pod.spec?.nodeName) throw errors.badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  if (!ctx.pods) throw errors.unavailable(`no connection to node "${pod.spec.nodeName}" to read logs of pod ${pod.metadata.name}`);
  await ctx.pods.logs(pod, info.query, req, res);
}
