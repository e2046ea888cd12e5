// HTTP handling of a version served by conversion (api/resources.ts CONVERTED_RESOURCES, and every version of a CRD
// whose objects convert through its conversion webhook): a body in the served version is converted to the stored
// version before the registry sees it, and every object answered (watch events included) is converted back; patches
// apply to the served form (converted-patch.ts). Conversions may be asynchronous (a webhook's).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConvertedResourceInfo } from '../../api/resources';
import { apiVersionOf } from '../../api/resources';
import type { KObject, StoredObject } from '../../api/types';
import type { Conversion } from '../../api/conversion';
import { conversionFor } from '../../api/conversion';
import { buildTable } from '../tables';
import { ApiError, errors } from '../status';
import type { RequestInfo } from '../request';
import { isObject } from '../request';
import type { ApiContext } from '../context';
import type { Identity } from '../auth';
import { addWarnings, sendJson } from './respond';
import { TABLE_CONTENT_TYPE, includeObject, wantsTable } from './negotiate';
import { listOptions, watchOptions } from './list-options';
import { body, deleteOptions, patchType, requesterOf, serveWatch, writeOptions } from './resource';
import { patchConverted } from './converted-patch';
import { servedFieldSelector } from './converted-fields';
import { checkServedWrite } from './converted-validate';
import { queryFlag } from '../query-bool';
import type { WriteOptions } from '../registry/options';
import { webhookConversion } from '../registry/crd-converted';

/** A request body in the stored version: one already in it passes as is (as Kubernetes decodes any served version). */
async function toStored(
  r: ConvertedResourceInfo, conv: Conversion, b: unknown, opts: WriteOptions, warnings: string[], old?: () => Promise<KObject | undefined>,
): Promise<unknown> {
  if (!isObject(b) || b.apiVersion === apiVersionOf(r.storedAs)) return b;
  if (b.apiVersion !== undefined && b.apiVersion !== apiVersionOf(r)) return b; // the registry rejects the mismatch
  return convertedBody(r, conv, b, opts, warnings, conv.admit && old ? await old() : undefined);
}

/**
 * `obj` (in the served version) admitted in that version, then converted to the stored one; `old`, on updates, the
 * stored object as the served version shows it.
 */
export async function convertedBody(
  r: ConvertedResourceInfo, conv: Conversion, obj: KObject, opts: WriteOptions, warnings: string[], old?: KObject,
): Promise<KObject> {
  const served = conv.admit ? { ...obj, apiVersion: apiVersionOf(r), kind: r.kind } : obj;
  if (conv.admit) warnings.push(...conv.admit(served, opts, old));
  try {
    return await conv.toStored(served);
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw errors.badRequest(`unable to convert ${apiVersionOf(r)} ${r.kind}: ${(e as Error).message}`);
  }
}

/** Objects of the stored version as the served version shows them. */
export async function fromStoredAll(conv: Conversion, objs: KObject[]): Promise<KObject[]> {
  if (conv.fromStoredList) return conv.fromStoredList(objs);
  const out: KObject[] = [];
  for (const o of objs) out.push(await conv.fromStored(o));
  return out;
}

/**
 * Tables: a built-in kind's columns are the kind's whatever the version, so they are built from the stored objects; a
 * CRD version has printer columns of its own, so its objects are converted first.
 */
async function table(r: ConvertedResourceInfo, conv: Conversion, objs: KObject[], opts: Parameters<typeof buildTable>[2]): Promise<unknown> {
  return r.crd ? buildTable(r, await fromStoredAll(conv, objs), opts) : buildTable(r.storedAs, objs, opts);
}

async function send(
  req: IncomingMessage, res: ServerResponse, r: ConvertedResourceInfo, conv: Conversion, obj: StoredObject | KObject, code = 200,
): Promise<void> {
  if (wantsTable(req)) {
    sendJson(res, code, await table(r, conv, [obj], { includeObject: 'Metadata', resourceVersion: obj.metadata?.resourceVersion }), TABLE_CONTENT_TYPE);
  } else {
    sendJson(res, code, obj.kind === r.kind ? await conv.fromStored(obj) : obj);
  }
}

/** The conversion of a served version: a built-in one's functions, or a CRD version's through its conversion webhook. */
function conversionOf(ctx: ApiContext, r: ConvertedResourceInfo): Conversion {
  return r.crd ? webhookConversion(r, ctx.registry.webhooks.dialService) : conversionFor(r);
}

export async function handleConverted(
  ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo, r: ConvertedResourceInfo, identity: Identity,
): Promise<void> {
  const reg = ctx.registry;
  const stored = r.storedAs;
  const conv = conversionOf(ctx, r);
  const ns = r.namespaced ? info.namespace : undefined;
  const q = info.query;
  const sub = info.subresource;
  if (sub && !r.subresources.some((s) => s.name === sub && s.verbs.includes(info.verb))) {
    throw r.subresources.some((s) => s.name === sub) ? errors.methodNotAllowed() : errors.pathNotFound();
  }
  if (!sub && !r.verbs.includes(info.verb)) throw errors.methodNotAllowed();
  if (r.namespaced && info.name && !info.namespace && info.verb !== 'list' && info.verb !== 'watch') throw errors.notFound(r.group, r.plural, info.name);
  const warnings: string[] = [];
  switch (info.verb) {
    case 'get':
      await send(req, res, r, conv, reg.get(stored, ns, info.name!));
      return;
    case 'list': {
      const list = reg.list(stored, ns, servedFieldSelector(conv, listOptions(q)));
      if (wantsTable(req)) {
        const { resourceVersion, continue: continueToken } = list.metadata;
        sendJson(res, 200, await table(r, conv, list.items, { includeObject: includeObject(q), resourceVersion, continueToken }), TABLE_CONTENT_TYPE);
      } else {
        sendJson(res, 200, { ...list, apiVersion: apiVersionOf(r), items: await fromStoredAll(conv, list.items) });
      }
      return;
    }
    case 'watch':
      serveWatch(ctx, req, res, stored, ns, servedFieldSelector(conv, watchOptions(q, info.name)), r.crd
        ? { apiVersion: apiVersionOf(r), convertAsync: async (o) => conv.fromStored(o), tableResource: r }
        : { apiVersion: apiVersionOf(r), convert: (o) => conversionFor(r).fromStored(o) });
      return;
    case 'create': {
      const requester = requesterOf(ctx, identity, info);
      const opts = { ...writeOptions(req, q), bodyOwned: true, requester };
      const obj = await toStored(r, conv, await body(req), opts, warnings);
      checkServedWrite(r, conv, ns, obj);
      const result = await reg.create(stored, ns, obj, opts);
      addWarnings(res, [...warnings, ...result.warnings]);
      await send(req, res, r, conv, result.object, 201);
      return;
    }
    case 'update': {
      const requester = sub ? undefined : requesterOf(ctx, identity, info);
      const opts = { ...writeOptions(req, q), bodyOwned: true, requester, subresource: sub };
      const old = reg.tryGet(stored, ns, info.name!);
      const obj = await toStored(r, conv, await body(req), opts, warnings, async () => (old ? conv.fromStored(old) : undefined));
      if (old) checkServedWrite(r, conv, ns, obj, old);
      const result = await reg.update(stored, ns, info.name!, obj, opts);
      addWarnings(res, [...warnings, ...result.warnings]);
      await send(req, res, r, conv, result.object);
      return;
    }
    case 'patch': {
      const requester = requesterOf(ctx, identity, info);
      const opts = { ...writeOptions(req, q), requester, subresource: sub, force: queryFlag(q, 'force') };
      const result = await patchConverted(reg, r, conv, ns, info.name!, await body(req), patchType(req, r), opts);
      addWarnings(res, result.warnings);
      await send(req, res, r, conv, result.object, result.created ? 201 : 200);
      return;
    }
    case 'delete': {
      const result = await reg.delete(stored, ns, info.name!, await deleteOptions(req, q));
      sendJson(res, result.deleted ? 200 : 202, result.object.kind === r.kind ? await conv.fromStored(result.object) : result.object);
      return;
    }
    case 'deletecollection': {
      const list = await reg.deleteCollection(stored, ns, servedFieldSelector(conv, listOptions(q)), await deleteOptions(req, q));
      sendJson(res, 200, { ...list, apiVersion: apiVersionOf(r), items: await fromStoredAll(conv, list.items) });
      return;
    }
    default:
      throw errors.methodNotAllowed();
  }
}
