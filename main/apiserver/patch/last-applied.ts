// The bridge from client-side to server-side apply for the manager "kubectl": conflicts on fields
// that the last-applied-configuration annotation still describes with their live values are
// allowed, and a successful apply refreshes that annotation (apimachinery lastappliedmanager.go and
// lastappliedupdater.go).
import type { KObject } from '../../api/types';
import { goJson, isObject } from './json';
import type { FieldSet } from './fieldpath';
import type { PatchMeta } from './patchmeta';
import { compare, toFieldSet } from './typed-fields';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function annotation(obj: KObject | undefined): string | undefined {
  const v = obj?.metadata?.annotations?.[LAST_APPLIED];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Fields the live object still has exactly as last applied by client-side apply, or undefined. */
export function allowedFromLastApplied(live: KObject, meta: PatchMeta): FieldSet | undefined {
  const text = annotation(live);
  if (!text) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(last) || last.apiVersion !== live.apiVersion) return undefined;
  const liveNoManaged = { ...live, metadata: { ...live.metadata, managedFields: undefined } };
  const c = compare(last, liveNoManaged, meta);
  return toFieldSet(last, meta).difference(c.modified).difference(c.added).difference(c.removed);
}

/** After a successful apply by "kubectl", the annotation is rewritten from the applied config, encoded as Go would. */
export function refreshLastApplied(object: KObject, applied: KObject, live: KObject | undefined): KObject {
  if (!annotation(live) || !annotation(object)) return object;
  const config: KObject = { ...applied, metadata: { ...applied.metadata } };
  const own = applied.metadata?.annotations;
  if (config.metadata && own !== undefined) {
    const rest = { ...own };
    delete rest[LAST_APPLIED];
    config.metadata.annotations = rest;
  }
  const value = `${goJson(config)}\n`;
  return { ...object, metadata: { ...object.metadata, annotations: { ...object.metadata?.annotations, [LAST_APPLIED]: value } } };
}
