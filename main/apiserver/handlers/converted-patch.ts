// PATCH of a version served by conversion: the patch applies to the object in the served version (as
// Kubernetes applies it to the versioned object the client sees), the result is converted to the stored
// version and written as an update of what was read; a write in between is retried unless the patch
// named a resourceVersion. Server-side apply is not offered for a converted version (415).
import type { ConvertedResourceInfo } from '../../api/resources';
import type { KObject, StoredObject } from '../../api/types';
import type { Conversion } from '../../api/conversion';
import type { Registry } from '../registry/registry';
import type { PatchType, WriteOptions, WriteResult } from '../registry/options';
import { applyPatch } from '../registry/patching';
import { ApiError, errors } from '../status';

const MAX_ATTEMPTS = 5;

export interface ConvertedPatch {
  reg: Registry;
  r: ConvertedResourceInfo;
  conv: Conversion;
  namespace: string | undefined;
  name: string;
  patch: unknown;
  type: PatchType;
  opts: WriteOptions & { subresource?: string };
  /** The served-version body to the stored version (400 when it does not convert). */
  toStored(obj: KObject): unknown;
}

export async function patchConverted(p: ConvertedPatch): Promise<WriteResult<StoredObject>> {
  if (p.type === 'apply') throw errors.unsupportedMediaType('application/apply-patch+yaml');
  for (let attempt = 1; ; attempt++) {
    const current = p.reg.get(p.r.storedAs, p.namespace, p.name);
    const served = p.conv.fromStored(current);
    const patched = applyPatch({ r: p.r, current: served as StoredObject, patch: p.patch, type: p.type, now: '', subresource: p.opts.subresource });
    const meta = (patched.metadata ??= {});
    if (meta.name !== undefined && meta.name !== p.name) throw errors.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${p.name})`);
    const precondition = meta.resourceVersion !== current.metadata.resourceVersion ? meta.resourceVersion : undefined;
    if (precondition) throw errors.conflict(p.r.group, p.r.plural, p.name);
    meta.resourceVersion = current.metadata.resourceVersion;
    try {
      return await p.reg.update(p.r.storedAs, p.namespace, p.name, p.toStored(patched), { ...p.opts, bodyOwned: true });
    } catch (e) {
      if (attempt < MAX_ATTEMPTS && e instanceof ApiError && e.code === 409) continue;
      throw e;
    }
  }
}
