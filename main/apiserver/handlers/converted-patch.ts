// PATCH of a version served by conversion: the patch applies to the object as that version shows it, and
// the result, converted back, is written as an update of what was read (retried when another write came
// between, unless the patch itself names a resourceVersion). Server-side apply is spoken in the stored
// version only: its managed fields name the stored version's fields.
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

const MAX_ATTEMPTS = 5;

export async function patchConverted(
  reg: Registry, r: ConvertedResourceInfo, conv: Conversion, ns: string | undefined, name: string, patch: unknown, type: PatchType,
  opts: WriteOptions & { subresource?: string },
): Promise<WriteResult<StoredObject>> {
  if (type === 'apply') throw new ApiError(415, 'UnsupportedMediaType', `server-side apply of ${r.plural} is served in ${apiVersionOf(r.storedAs)} only`);
  for (let attempt = 1; ; attempt++) {
    const current = reg.get(r.storedAs, ns, name);
    const currentRv = current.metadata.resourceVersion;
    const shown = conv.fromStored(current) as StoredObject;
    const patched = applyPatch({ r, current: shown, patch, type, now: timestamp(new Date()), subresource: opts.subresource });
    const meta = (patched.metadata ??= {});
    if (meta.name !== undefined && meta.name !== name) throw errors.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    // A resourceVersion in the patch is a precondition (met or not on every attempt).
    if (meta.resourceVersion !== currentRv) throw errors.conflict(r.group, r.plural, name);
    let next;
    try {
      next = conv.toStored({ ...patched, apiVersion: apiVersionOf(r), kind: r.kind });
    } catch (e) {
      throw errors.badRequest(`unable to convert ${apiVersionOf(r)} ${r.kind}: ${(e as Error).message}`);
    }
    checkServedWrite(r, conv, ns, next, current);
    try {
      return await reg.update(r.storedAs, ns, name, next, { ...opts, bodyOwned: true });
    } catch (e) {
      // Another write came between our read and this one: patch what is there now.
      if (e instanceof ApiError && e.code === 409 && attempt < MAX_ATTEMPTS) continue;
      throw e;
    }
  }
}
