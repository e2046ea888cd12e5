// The LimitRanger admission plugin (plugin/pkg/admission/limitranger) on pod and claim create.
// Mutate: each namespace LimitRange's Container-type defaultRequest/default fill the requests and
// limits a container lacks, recorded in the kubernetes.io/limit-ranger annotation. Validate: min,
// max and maxLimitRequestRatio of Container-, Pod- and PersistentVolumeClaim-type items; a breach
// is a 403 whose reason is the errors aggregated as utilerrors.NewAggregate prints them.
import type { Container, KObject, LimitRange, LimitRangeItem, Pod } from '../../../api/types';
import type { ObjectReader } from '../strategy';
import { resourceFor } from '../../../api/resources';
import { quantityOrNaN } from '../../../api/quantity';
import { formatResource, podResources } from '../../../api/quota-usage';
import { errors } from '../../status';
import { aggregateMessage } from '../../../api/validation/message';
import { compareCodePoints } from '../../../api/string-order';

const LIMIT_RANGES = resourceFor('', 'v1', 'limitranges')!;
export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

type ResourceList = Record<string, string>;
interface Requirements { requests: ResourceList; limits: ResourceList }

function limitRanges(reader: ObjectReader, namespace: string): LimitRange[] {
  return reader.list(LIMIT_RANGES, namespace).items as unknown as LimitRange[];
}
function items(lr: LimitRange, type: string): LimitRangeItem[] {
  return (lr.spec?.limits ?? []).filter((i) => i.type === type);
}
function sortedEntries(list: Record<string, unknown> | undefined): Array<[string, string]> {
  return Object.entries(list ?? {}).map(([k, v]): [string, string] => [k, String(v)]).sort(([a], [b]) => compareCodePoints(a, b));
}

function mergeContainer(c: Container, defaults: Requirements, prefix: string, notes: string[]): void {
  const resources = (c.resources ??= {});
  const set = (into: ResourceList, from: ResourceList) =>
    Object.keys(from).filter((k) => !(k in into)).map((k) => { into[k] = from[k]; return k; }).sort();
  const setLimits = set((resources.limits ??= {}), defaults.limits);
  const setRequests = set((resources.requests ??= {}), defaults.requests);
  if (setRequests.length) notes.push(`${setRequests.join(', ')} request for ${prefix} ${c.name}`);
  if (setLimits.length) notes.push(`${setLimits.join(', ')} limit for ${prefix} ${c.name}`);
  if (Object.keys(resources.limits ?? {}).length === 0) delete resources.limits;
  if (Object.keys(resources.requests ?? {}).length === 0) delete resources.requests;
}

function mutatePod(pod: Pod, lr: LimitRange): void {
  const defaults: Requirements = { requests: {}, limits: {} };
  for (const item of items(lr, 'Container')) {
    Object.assign(defaults.requests, item.defaultRequest ?? {});
    Object.assign(defaults.limits, item.default ?? {});
  }
  const notes: string[] = [];
  for (const c of pod.spec?.containers ?? []) mergeContainer(c, defaults, 'container', notes);
  for (const c of pod.spec?.initContainers ?? []) mergeContainer(c, defaults, 'init container', notes);
  if (notes.length) (pod.metadata ??= {}).annotations = { ...pod.metadata.annotations, [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
}

function minConstraint(type: string, name: string, enforced: string, req: ResourceList, lim: ResourceList): string | undefined {
  const e = quantityOrNaN(enforced);
  if (!(name in req)) return `minimum ${name} usage per ${type} is ${enforced}.  No request is specified`;
  if (quantityOrNaN(req[name]) < e) return `minimum ${name} usage per ${type} is ${enforced}, but request is ${req[name]}`;
  if (name in lim && quantityOrNaN(lim[name]) < e) return `minimum ${name} usage per ${type} is ${enforced}, but limit is ${lim[name]}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: string, req: ResourceList, lim: ResourceList | undefined): string | undefined {
  const e = quantityOrNaN(enforced);
  if (lim === undefined) { // maxRequestConstraint (claims have no limits)
    if (!(name in req)) return `maximum ${name} usage per ${type} is ${enforced}.  No request is specified`;
    return quantityOrNaN(req[name]) > e ? `maximum ${name} usage per ${type} is ${enforced}, but request is ${req[name]}` : undefined;
  }
  if (!(name in lim)) return `maximum ${name} usage per ${type} is ${enforced}.  No limit is specified`;
  if (quantityOrNaN(lim[name]) > e) return `maximum ${name} usage per ${type} is ${enforced}, but limit is ${lim[name]}`;
  if (name in req && quantityOrNaN(req[name]) > e) return `maximum ${name} usage per ${type} is ${enforced}, but request is ${req[name]}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, enforced: string, req: ResourceList, lim: ResourceList): string | undefined {
  const r = quantityOrNaN(req[name]);
  const l = quantityOrNaN(lim[name]);
  const head = `${name} max limit to request ratio per ${type} is ${enforced}`;
  if (!(name in req) || r === 0) return `${head}, but no request is specified or request is 0`;
  if (!(name in lim) || l === 0) return `${head}, but no limit is specified or limit is 0`;
  return l / r > quantityOrNaN(enforced) ? `${head}, but provided ratio is ${(l / r).toFixed(6)}` : undefined;
}

function checkItem(item: LimitRangeItem, type: string, req: ResourceList, lim: ResourceList | undefined): string[] {
  const out: Array<string | undefined> = [];
  for (const [k, v] of sortedEntries(item.min)) out.push(minConstraint(type, k, v, req, lim ?? {}));
  for (const [k, v] of sortedEntries(item.max)) out.push(maxConstraint(type, k, v, req, lim));
  if (lim) for (const [k, v] of sortedEntries(item.maxLimitRequestRatio)) out.push(ratioConstraint(type, k, v, req, lim));
  return out.filter((e): e is string => e !== undefined);
}

/** Pod requests or limits (podRequests/podLimits), printed as quantities. */
function podTotal(pod: Pod, which: 'requests' | 'limits'): ResourceList {
  return Object.fromEntries(Object.entries(podResources(pod, which)).map(([k, v]) => [k, formatResource(k, v)]));
}

function validatePod(pod: Pod, lr: LimitRange): string[] {
  const errs: string[] = [];
  for (const item of items(lr, 'Container')) {
    for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
      errs.push(...checkItem(item, 'Container', (c.resources?.requests ?? {}), (c.resources?.limits ?? {})));
    }
  }
  for (const item of items(lr, 'Pod')) errs.push(...checkItem(item, 'Pod', podTotal(pod, 'requests'), podTotal(pod, 'limits')));
  return errs;
}

export function admitPodLimits(reader: ObjectReader, obj: KObject, namespace: string, displayName: string): void {
  const pod = obj as unknown as Pod;
  const ranges = limitRanges(reader, namespace);
  for (const lr of ranges) mutatePod(pod, lr);
  const errs = ranges.flatMap((lr) => validatePod(pod, lr));
  if (errs.length) throw errors.forbidden('', 'pods', displayName, aggregateMessage(errs));
}

export function admitClaimLimits(reader: ObjectReader, obj: KObject, namespace: string, displayName: string): void {
  const requests = ((obj.spec as { resources?: { requests?: ResourceList } } | undefined)?.resources?.requests ?? {});
  const errs = limitRanges(reader, namespace).flatMap((lr) => items(lr, 'PersistentVolumeClaim').flatMap((item) => checkItem(item, 'PersistentVolumeClaim', requests, undefined)));
  if (errs.length) throw errors.forbidden('', 'persistentvolumeclaims', displayName, aggregateMessage(errs));
}
