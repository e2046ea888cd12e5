// PATCH of a version served by conversion: the patch applies to the object as that version shows it, and
// the result, converted back, is written as an update of what was read (retried when another write came
// between, unless the patch itself names a resourceVersion). Server-side apply too, as Kubernetes' field
// manager does it: the applied configuration merges into the object in the request's version, the manager's
// entry records that version (autoscaling/v1) and its fields, and the result is stored converted; an apply
// of an object that does not exist creates it.
import type { ConvertedResourceInfo } from '../../api/resources';
import { apiVersionOf } from '../../api/resources';
import type { StoredObject } from '../../api/types';
import type { Conversion } from '../../api/conversion';
import type { Registry } from '../registry/registry';
import type { PatchType, WriteOptions, WriteResult } from '../registry/options';
import { applyPatch } from '../registry/patching';
import { timestamp } from '../registry/objects';
import { ApiError, errors } from '../status';
import { checkServedWrite } from './converted-validate';
import { convertedBody } from './converted';

const MAX_ATTEMPTS = 5;

export async function patchConverted(
  reg: Registry, r: ConvertedResourceInfo, conv: Conversion, ns: string | undefined, name: string, patch: unknown, type: PatchType,
  opts: WriteOptions & { subresource?: string; force?: boolean },
): Promise<WriteResult<StoredObject> & { created?: boolean }> {
  const apply = type === 'apply';
  for (let attempt = 1; ; attempt++) {
    const current = reg.tryGet(r.storedAs, ns, name);
    if (!current) {
      if (!apply || opts.subresource) throw errors.notFound(r.group, r.plural, name);
      return { ...await createByApply(reg, r, conv, ns, name, patch, opts), created: true };
    }
    const currentRv = current.metadata.resourceVersion;
    const shown = (await conv.fromStored(current)) as StoredObject;
    const now = timestamp(new Date());
    const patched = applyPatch({ r, current: shown, patch, type, manager: opts.fieldManager, force: opts.force, now, subresource: opts.subresource });
    const meta = (patched.metadata ??= {});
    checkName(meta.name, name);
    // A resourceVersion in the patch is a precondition (met or not on every attempt); an apply updates what it read.
    if (apply) meta.resourceVersion = currentRv;
    else if (meta.resourceVersion !== currentRv) throw errors.conflict(r.group, r.plural, name);
    const warnings: string[] = [];
    const next = await convertedBody(r, conv, { ...patched, apiVersion: apiVersionOf(r), kind: r.kind }, opts, warnings, shown);
    checkServedWrite(r, conv, ns, next, current);
    try {
      // An apply's managed fields are the ones it computed, in the request's version: the registry records none.
      const result = await reg.update(r.storedAs, ns, name, next, { ...opts, bodyOwned: true, ...(apply ? { fieldManager: '' } : {}) });
      return { ...result, warnings: [...warnings, ...result.warnings] };
    } catch (e) {
      // Another write came between our read and this one: patch what is there now.
      if (e instanceof ApiError && e.code === 409 && attempt < MAX_ATTEMPTS) continue;
      throw e;
    }
  }
}

function checkName(inBody: string | undefined, name: string): void {
  if (inBody !== undefined && inBody !== name) throw errors.badRequest(`the name of the object (${inBody}) does not match the name on the URL (${name})`);
}

/** Server-side apply of an object that does not exist: the applied configuration, converted, is created. */
async function createByApply(
  reg: Registry, r: ConvertedResourceInfo, conv: Conversion, ns: string | undefined, name: string, patch: unknown,
  opts: WriteOptions & { force?: boolean },
): Promise<WriteResult<StoredObject>> {
  const applied = applyPatch({ r, current: undefined, patch, type: 'apply', manager: opts.fieldManager, force: opts.force, now: timestamp(new Date()) });
  const meta = (applied.metadata ??= {});
  checkName(meta.name, name);
  meta.name = name;
  const warnings: string[] = [];
  const next = await convertedBody(r, conv, { ...applied, apiVersion: apiVersionOf(r), kind: r.kind }, opts, warnings);
  checkServedWrite(r, conv, ns, next);
  const result = await reg.create(r.storedAs, ns, next, { ...opts, bodyOwned: true, fieldManager: '' });
  return { ...result, warnings: [...warnings, ...result.warnings] };
}
