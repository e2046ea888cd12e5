// HTTP handling of a version served by conversion (api/resources.ts CONVERTED_RESOURCES): a body in the
// served version is converted to the stored version before the registry sees it, and every object answered
// (watch events included) is converted back; patches apply to the served form (converted-patch.ts). Tables
// are built from the stored objects (the columns are the kind's, whatever the version).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConvertedResourceInfo } from '../../api/resources';
import { apiVersionOf } from '../../api/resources';
import type { KObject, StoredObject } from '../../api/types';
import type { Conversion } from '../../api/conversion';
import { conversionFor } from '../../api/conversion';
import { buildTable } from '../tables';
import { errors } from '../status';
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

/** A request body in the stored version: one already in it passes as is (as Kubernetes decodes any served version). */
function toStored(r: ConvertedResourceInfo, conv: Conversion, b: unknown): unknown {
  if (!isObject(b) || b.apiVersion === apiVersionOf(r.storedAs)) return b;
  if (b.apiVersion !== undefined && b.apiVersion !== apiVersionOf(r)) return b; // the registry rejects the mismatch
  try {
    return conv.toStored(b);
  } catch (e) {
    throw errors.badRequest(`unable to convert ${apiVersionOf(r)} ${r.kind}: ${(e as Error).message}`);
  }
}

function send(req: IncomingMessage, res: ServerResponse, r: ConvertedResourceInfo, conv: Conversion, obj: StoredObject | KObject, code = 200): void {
  if (wantsTable(req)) {
    sendJson(res, code, buildTable(r.storedAs, [obj], { includeObject: 'Metadata', resourceVersion: obj.metadata?.resourceVersion }), TABLE_CONTENT_TYPE);
  } else {
    sendJson(res, code, obj.kind === r.kind ? conv.fromStored(obj) : obj);
  }
}

export async function handleConverted(
  ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo, r: ConvertedResourceInfo, identity: Identity,
): Promise<void> {
  const reg = ctx.registry;
  const stored = r.storedAs;
  const conv = conversionFor(r);
  const ns = r.namespaced ? info.namespace : undefined;
  const q = info.query;
  const sub = info.subresource;
  if (sub && !r.subresources.some((s) => s.name === sub && s.verbs.includes(info.verb))) {
    throw r.subresources.some((s) => s.name === sub) ? errors.methodNotAllowed() : errors.pathNotFound();
  }
  if (!sub && !r.verbs.includes(info.verb)) throw errors.methodNotAllowed();
  if (r.namespaced && info.name && !info.namespace && info.verb !== 'list' && info.verb !== 'watch') throw errors.notFound(r.group, r.plural, info.name);
  switch (info.verb) {
    case 'get':
      send(req, res, r, conv, reg.get(stored, ns, info.name!));
      return;
    case 'list': {
      const list = reg.list(stored, ns, servedFieldSelector(conv, listOptions(q)));
      if (wantsTable(req)) {
        const { resourceVersion, continue: continueToken } = list.metadata;
        sendJson(res, 200, buildTable(stored, list.items, { includeObject: includeObject(q), resourceVersion, continueToken }), TABLE_CONTENT_TYPE);
      } else {
        sendJson(res, 200, { ...list, apiVersion: apiVersionOf(r), items: list.items.map((o) => conv.fromStored(o)) });
      }
      return;
    }
    case 'watch':
      serveWatch(ctx, req, res, stored, ns, servedFieldSelector(conv, watchOptions(q, info.name)), {
        apiVersion: apiVersionOf(r), convert: (o) => conv.fromStored(o),
      });
      return;
    case 'create': {
      const requester = requesterOf(ctx, identity, info);
      const obj = toStored(r, conv, await body(req));
      checkServedWrite(r, conv, ns, obj);
      const result = await reg.create(stored, ns, obj, { ...writeOptions(req, q), bodyOwned: true, requester });
      addWarnings(res, result.warnings);
      send(req, res, r, conv, result.object, 201);
      return;
    }
    case 'update': {
      const requester = sub ? undefined : requesterOf(ctx, identity, info);
      const opts = { ...writeOptions(req, q), bodyOwned: true, requester, subresource: sub };
      const obj = toStored(r, conv, await body(req));
      const old = reg.tryGet(stored, ns, info.name!);
      if (old) checkServedWrite(r, conv, ns, obj, old);
      const result = await reg.update(stored, ns, info.name!, obj, opts);
      addWarnings(res, result.warnings);
      send(req, res, r, conv, result.object);
      return;
    }
    case 'patch': {
      const requester = requesterOf(ctx, identity, info);
      const opts = { ...writeOptions(req, q), requester, subresource: sub, force: queryFlag(q, 'force') };
      const result = await patchConverted(reg, r, conv, ns, info.name!, await body(req), patchType(req, r), opts);
      addWarnings(res, result.warnings);
      send(req, res, r, conv, result.object, result.created ? 201 : 200);
      return;
    }
    case 'delete': {
      const result = await reg.delete(stored, ns, info.name!, await deleteOptions(req, q));
      sendJson(res, result.deleted ? 200 : 202, result.object.kind === r.kind ? conv.fromStored(result.object) : result.object);
      return;
    }
    case 'deletecollection': {
      const list = await reg.deleteCollection(stored, ns, servedFieldSelector(conv, listOptions(q)), await deleteOptions(req, q));
      sendJson(res, 200, { ...list, apiVersion: apiVersionOf(r), items: list.items.map((o) => conv.fromStored(o)) });
      return;
    }
    default:
      throw errors.methodNotAllowed();
  }
}
