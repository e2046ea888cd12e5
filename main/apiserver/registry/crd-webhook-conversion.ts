// A CustomResourceDefinition's conversion webhook (spec.conversion.strategy Webhook), as apiextensions-apiserver's
// webhookConverter calls it: the objects not yet in the desired version go in one ConversionReview (v1, or v1beta1
// when the CRD lists only that) to the webhook's url or Service, with a 30 s deadline; the answer must carry the
// request's uid, Success, one object per object sent, each in the desired version and of the same kind, name,
// namespace and uid; its metadata is put back from the original but for labels and annotations, which the webhook may
// change (valid ones). Any failure is a 500 in kube-apiserver's words:
// `Internal error occurred: conversion webhook for ex.com/v1, Kind=Widget failed: Post "https://…/convert?timeout=30s": …`.
import { randomUUID } from 'node:crypto';
import type { ResourceInfo } from '../../api/resources';
import type { KObject, ObjectMeta, WebhookClientConfig } from '../../api/types';
import { validateLabels } from '../../api/labels';
import { validateAnnotations } from '../../api/validation/meta';
import { aggregateMessage, causeString } from '../../api/validation/message';
import { postReview } from '../webhooks/client';
import type { ServiceDialer } from '../webhooks/types';
import { errors } from '../status';

/** kube-apiserver's client waits this long for a conversion webhook (the `?timeout=30s` of its URL). */
const TIMEOUT_SECONDS = 30;
const REVIEW_VERSIONS = ['v1', 'v1beta1'];

type Row = Pick<ResourceInfo, 'group' | 'kind' | 'conversionWebhook'>;

/** Go's GroupVersionKind.String(): `ex.com/v1, Kind=Widget`. */
function gvk(apiVersion: string | undefined, kind: string | undefined): string {
  return `${apiVersion ?? ''}, Kind=${kind ?? ''}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** getConvertedObjectsFromResponse: the converted objects of a well-formed, successful answer, or why not. */
function convertedObjects(answer: unknown, reviewVersion: string, uid: string): unknown[] {
  const a = isRecord(answer) ? answer : {};
  const want = `apiextensions.k8s.io/${reviewVersion}`;
  if (a.apiVersion !== want || a.kind !== 'ConversionReview') {
    throw new Error(`expected webhook response of ${gvk(want, 'ConversionReview')}, got ${gvk(typeof a.apiVersion === 'string' ? a.apiVersion : '/', typeof a.kind === 'string' ? a.kind : '')}`);
  }
  if (!isRecord(a.response)) throw new Error('no response provided');
  const response = a.response;
  if (response.uid !== uid) throw new Error(`expected response.uid=${JSON.stringify(uid)}, got ${JSON.stringify(response.uid ?? '')}`);
  const result = isRecord(response.result) ? response.result : {};
  if (result.status !== 'Success') {
    if (typeof result.message === 'string' && result.message) throw new Error(result.message);
    throw new Error(`response.result.status was '${typeof result.status === 'string' ? result.status : ''}', not 'Success'`);
  }
  return Array.isArray(response.convertedObjects) ? response.convertedObjects : [];
}

/** validateConvertedObject: the webhook may not change what the object is. */
function sameObject(original: KObject, converted: KObject): string | undefined {
  const a = original.metadata ?? {};
  const b: ObjectMeta = isRecord(converted.metadata) ? converted.metadata : {};
  if (original.kind !== converted.kind) return `must have the same kind: ${original.kind ?? ''} != ${converted.kind ?? ''}`;
  if ((a.name ?? '') !== (b.name ?? '')) return `must have the same name: ${a.name ?? ''} != ${b.name ?? ''}`;
  if ((a.namespace ?? '') !== (b.namespace ?? '')) return `must have the same namespace: ${a.namespace ?? ''} != ${b.namespace ?? ''}`;
  if ((a.uid ?? '') !== (b.uid ?? '')) return `must have the same UID: ${a.uid ?? ''} != ${b.uid ?? ''}`;
  return undefined;
}

/** restoreObjectMeta: the original's metadata with the converted object's labels and annotations (checked when changed). */
function restoreMetadata(original: KObject, converted: KObject): KObject {
  if (!('metadata' in converted)) throw new Error('missing metadata in converted object');
  if (!isRecord(converted.metadata)) throw new Error(`invalid metadata of type ${typeof converted.metadata} in converted object`);
  const answered = converted.metadata as Record<string, unknown>;
  const meta = structuredClone(original.metadata ?? {}) as Record<string, unknown>;
  for (const field of ['labels', 'annotations'] as const) {
    const got = answered[field];
    if (got === undefined || got === null) {
      delete meta[field];
      continue;
    }
    if (!isRecord(got)) throw new Error(`invalid metadata.${field} of type ${Array.isArray(got) ? 'array' : typeof got} in converted object`);
    for (const [k, v] of Object.entries(got)) {
      if (typeof v !== 'string') throw new Error(`metadata.${field}[${k}] must be a string, but is ${v === null ? 'nil' : typeof v} in converted object`);
    }
    const map = got as Record<string, string>;
    const before = (isRecord(meta[field]) ? meta[field] : {}) as Record<string, string>;
    const changed = Object.keys(before).length !== Object.keys(map).length || Object.entries(map).some(([k, v]) => before[k] !== v);
    if (changed) {
      // kube-apiserver names the annotations' path metadata.annotation here.
      const causes = field === 'labels' ? validateLabels(map, 'metadata.labels') : validateAnnotations(map, 'metadata.annotation');
      if (causes.length) throw new Error(aggregateMessage(causes.map(causeString)));
    }
    meta[field] = map;
  }
  return { ...converted, metadata: meta };
}

export interface ConvertOptions {
  dialService?: ServiceDialer;
  /** Whether `objects` are a list's items (the messages name the object by its index among those sent). */
  list?: boolean;
}

/**
 * Converts `objects` of the CRD row `r` to `desired` (`group/version`) through its conversion webhook: the ones already
 * in that version are not sent. Returns new objects in the same order; throws a 500 ApiError on any failure.
 */
export async function convertByWebhook(r: Row, objects: readonly KObject[], desired: string, opts: ConvertOptions = {}): Promise<KObject[]> {
  const sent = objects.map((o, i) => [o, i] as const).filter(([o]) => o.apiVersion !== desired);
  if (!sent.length) return [...objects];
  const first = sent[0][0];
  const source = opts.list ? gvk(first.apiVersion, `${r.kind}List`) : gvk(first.apiVersion, first.kind);
  const webhook = r.conversionWebhook;
  const reviewVersion = webhook?.conversionReviewVersions.find((v) => REVIEW_VERSIONS.includes(v));
  if (!webhook || !reviewVersion) throw errors.internal('no supported conversion review versions');
  const uid = randomUUID();
  let answer: unknown;
  try {
    answer = await postReview({
      config: webhook.clientConfig as WebhookClientConfig, timeoutSeconds: TIMEOUT_SECONDS, dialService: opts.dialService,
      body: { apiVersion: `apiextensions.k8s.io/${reviewVersion}`, kind: 'ConversionReview', request: { uid, desiredAPIVersion: desired, objects: sent.map(([o]) => o) } },
    });
  } catch (e) {
    throw errors.internal(`conversion webhook for ${source} failed: ${(e as Error).message}`);
  }
  let converted: unknown[];
  try {
    converted = convertedObjects(answer, reviewVersion, uid);
  } catch (e) {
    throw errors.internal(`conversion webhook for ${source} failed: ${(e as Error).message}`);
  }
  if (converted.length !== sent.length) throw errors.internal(`conversion webhook for ${source} returned ${converted.length} objects, expected ${sent.length}`);
  const out = [...objects];
  sent.forEach(([original, at], i) => {
    const where = opts.list ? `returned invalid converted object at index ${i}` : 'returned invalid object at index 0';
    const c = converted[i];
    if (!isRecord(c)) throw errors.internal(`conversion webhook for ${source} ${where}: Object 'Kind' is missing in '${JSON.stringify(c)}'`);
    const obj = c as KObject;
    if (obj.apiVersion !== desired) throw errors.internal(`conversion webhook for ${source} ${where}: invalid groupVersion (expected ${desired}, received ${obj.apiVersion ?? ''})`);
    if (obj.kind !== original.kind) throw errors.internal(`conversion webhook for ${source} ${where}: invalid kind (expected ${original.kind ?? ''}, received ${obj.kind ?? ''})`);
    const differs = sameObject(original, obj);
    if (differs) throw errors.internal(`conversion webhook for ${source} ${opts.list ? `returned invalid converted object at index ${i}` : 'returned invalid object'}: ${differs}`);
    try {
      out[at] = restoreMetadata(original, obj);
    } catch (e) {
      throw errors.internal(`conversion webhook for ${source} ${opts.list ? `returned invalid metadata in object at index ${i}` : 'returned invalid metadata'}: ${(e as Error).message}`);
    }
  });
  return out;
}
