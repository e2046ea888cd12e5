// The YAML editor's calls: any object by apiVersion/kind, server-side apply per document with dry-run
// (each document's result or its Status with causes, and the live object to diff against), and the API's
// OpenAPI v3 schemas of a group-version. Kinds are looked up in the shown cluster's discovery (kind-lookup.ts).
import { parseAllDocuments } from 'yaml';
import type { KObject } from '../api/types';
import type { ResourceRef, ApiClient } from '../client/types';
import { ClientError, isNotFound } from '../client/types';
import type { DocumentError, DocumentResult, ObjectKey, OpenApiSchema } from './contract';
import type { ApiEndpoint } from './api-http';
import { getJson } from './api-http';
import { FIELD_MANAGER } from './apply';
import { BridgeFailure, toBridgeError } from './errors';
import { slim } from './slim';
import type { KindResolver } from './kind-lookup';

/** Kubernetes' words for a kind the server does not serve. */
export const notServed = (kind: string, apiVersion: string): string => `the server does not serve ${kind} in ${apiVersion}`;

async function resourceOf(kinds: KindResolver, apiVersion: string, kind: string): Promise<ResourceRef> {
  const r = await kinds(apiVersion, kind);
  if (!r) throw new BridgeFailure(404, 'NotFound', notServed(kind, apiVersion));
  return r;
}

export async function getObject(client: ApiClient, kinds: KindResolver, key: ObjectKey): Promise<KObject> {
  const r = await resourceOf(kinds, key.apiVersion, key.kind);
  return slim(await client.get(r, key.name, r.namespaced ? key.namespace ?? 'default' : undefined));
}

function documentError(e: unknown): DocumentError {
  const err: DocumentError = toBridgeError(e);
  const causes = e instanceof ClientError ? e.status?.details?.causes : undefined;
  if (causes && causes.length > 0) err.causes = causes;
  return err;
}

interface Parsed {
  document: number;
  item?: number;
  obj?: KObject;
  error?: string;
}

/** Every object of a YAML text with the document (and List item) it came from; a document that is no object is an error of its own. */
export function objectsOfYaml(text: string): Parsed[] {
  const out: Parsed[] = [];
  for (const [document, doc] of parseAllDocuments(text).entries()) {
    if (doc.errors.length > 0) {
      out.push({ document, error: doc.errors[0].message });
      continue;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      out.push({ document, error: 'the document is not an object' });
      continue;
    }
    const obj = value as KObject;
    if (obj.kind === 'List' && Array.isArray(obj.items)) (obj.items as KObject[]).forEach((o, item) => out.push({ document, item, obj: o }));
    else out.push({ document, obj });
  }
  return out;
}

async function liveOf(client: ApiClient, r: ResourceRef, name: string, namespace: string | undefined): Promise<KObject | null> {
  try {
    return slim(await client.get(r, name, namespace));
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

async function applyOne(client: ApiClient, kinds: KindResolver, p: Parsed, defaultNamespace: string, dryRun: boolean, force: boolean): Promise<DocumentResult> {
  const at = { document: p.document, ...(p.item === undefined ? {} : { item: p.item }) };
  const obj = p.obj;
  if (!obj) return { ...at, error: { code: 400, reason: 'BadRequest', message: p.error ?? 'no object' } };
  const apiVersion = obj.apiVersion ?? '';
  const kind = obj.kind ?? '';
  const name = obj.metadata?.name ?? '';
  if (!apiVersion || !kind) return { ...at, error: { code: 400, reason: 'BadRequest', message: 'an object needs apiVersion and kind' } };
  let r: ResourceRef | undefined;
  try {
    r = await kinds(apiVersion, kind);
  } catch (e) {
    return { ...at, error: documentError(e) };
  }
  if (!r) return { ...at, error: { code: 404, reason: 'NotFound', message: notServed(kind, apiVersion) } };
  const namespace = r.namespaced ? obj.metadata?.namespace ?? defaultNamespace : undefined;
  const key: ObjectKey = { apiVersion, kind, name, ...(namespace ? { namespace } : {}) };
  if (!name) return { ...at, key, error: { code: 422, reason: 'Invalid', message: `${kind} has no metadata.name`, causes: [{ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name is required' }] } };
  try {
    const live = dryRun ? await liveOf(client, r, name, namespace) : undefined;
    const body = r.namespaced ? { ...obj, metadata: { ...obj.metadata, namespace } } : obj;
    const result = await client.patch(r, name, body, 'apply', { namespace, fieldManager: FIELD_MANAGER, force, dryRun, fieldValidation: 'Strict' });
    return { ...at, key, ...(live === undefined ? {} : { live }), result: slim(result) };
  } catch (e) {
    return { ...at, key, error: documentError(e) };
  }
}

/** Applies (or dry-runs) every object in the text, in order; one object's failure does not stop the others. */
export async function applyDocuments(
  client: ApiClient, kinds: KindResolver, text: string, opts: { namespace?: string; dryRun: boolean; force?: boolean },
): Promise<DocumentResult[]> {
  const parsed = objectsOfYaml(text);
  if (parsed.length === 0) throw new BridgeFailure(400, 'BadRequest', 'the text holds no objects');
  const out: DocumentResult[] = [];
  for (const p of parsed) out.push(await applyOne(client, kinds, p, opts.namespace ?? 'default', opts.dryRun, opts.force === true));
  return out;
}

/** The OpenAPI v3 path of a group-version: /openapi/v3/api/v1, /openapi/v3/apis/<group>/<version>. */
export function openapiPath(apiVersion: string): string {
  if (!/^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion)) throw new BridgeFailure(400, 'BadRequest', `"${apiVersion}" is not an apiVersion`);
  return apiVersion.includes('/') ? `/openapi/v3/apis/${apiVersion}` : `/openapi/v3/api/${apiVersion}`;
}

export async function openapiSchemas(api: ApiEndpoint, apiVersion: string): Promise<Record<string, OpenApiSchema>> {
  const r = await getJson<{ components?: { schemas?: Record<string, OpenApiSchema> } }>(api, openapiPath(apiVersion));
  if (!r.ok) {
    if (r.error.code === 404) throw new BridgeFailure(404, 'NotFound', `the server has no OpenAPI schemas for ${apiVersion}`);
    throw new BridgeFailure(r.error.code, r.error.reason, r.error.message);
  }
  return r.value.components?.schemas ?? {};
}
