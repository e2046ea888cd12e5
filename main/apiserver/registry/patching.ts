// Applies a PATCH body of any of the four kinds to the current object.
import type { KObject, StoredObject } from '../../api/types';
import type { ResourceInfo } from '../../api/resources';
import { apiVersionOf } from '../../api/resources';
import { applyMergePatch } from '../patch/merge-patch';
import { applyJsonPatch } from '../patch/json-patch';
import { applyStrategicMergePatch } from '../patch/strategic';
import { patchMetaFor } from '../patch/patchmeta';
import { serverSideApply, conflictMessage, conflictCauses } from '../patch/apply';
import { PatchError } from '../patch/errors';
import { ApiError, errors } from '../status';
import { clone } from './objects';
import type { PatchType } from './options';

export interface PatchInput {
  r: ResourceInfo;
  current: StoredObject | undefined;
  patch: unknown;
  type: PatchType;
  manager?: string;
  force?: boolean;
  now: string;
  subresource?: string;
}

export function applyPatch(input: PatchInput): KObject {
  const { r, current, patch, type } = input;
  const meta = patchMetaFor(apiVersionOf(r), r.kind);
  try {
    switch (type) {
      // These three leave their inputs alone and share nothing with them: no copy needed here.
      case 'merge':
        return asObject(applyMergePatch(current, patch));
      case 'json':
        return asObject(applyJsonPatch(current, patch));
      case 'strategic':
        // Custom resources have no strategic merge schema: their strategic patches merge as JSON merge patches.
        if (r.custom) return asObject(applyMergePatch(current, patch));
        return asObject(applyStrategicMergePatch(current, patch, meta));
      case 'apply': {
        if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw errors.badRequest('the apply configuration must be an object');
        const applied = patch as KObject;
        const manager = input.manager;
        if (!manager) throw errors.badRequest('PATCH with apply requires a fieldManager');
        const live = current ? clone(current) : undefined;
        const res = serverSideApply({ live, applied, manager, force: !!input.force, now: input.now, meta, subresource: input.subresource });
        if ('conflicts' in res) {
          const message = conflictMessage(res.conflicts);
          throw errors.applyConflict(conflictCauses(res.conflicts), message);
        }
        return res.object;
      }
    }
  } catch (e) {
    if (e instanceof ApiError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    if (e instanceof PatchError && e.code === 400) throw errors.badRequest(msg);
    throw errors.unprocessable(msg);
  }
}

function asObject(v: unknown): KObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw errors.badRequest('the patch produced something that is not an object');
  return v as KObject;
}
