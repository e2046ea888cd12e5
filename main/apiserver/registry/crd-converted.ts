// The versions of a CRD with a conversion webhook, served by conversion as built-in versions are (handlers/converted.ts):
// the registry stores through the storage version's row, a write's body is admitted in its own version (pruned,
// defaulted and validated by that version's schema, as apiextensions does) and converted by the webhook, and whatever
// is read is converted to the requested version by the webhook (a list's items in one review) and defaulted there.
import type { Conversion } from '../../api/conversion';
import type { ConvertedResourceInfo, ResourceInfo } from '../../api/resources';
import { apiVersionOf } from '../../api/resources';
import type { KObject } from '../../api/types';
import type { ServiceDialer } from '../webhooks/types';
import { checkFields, throwIfInvalid } from './body';
import { asServed } from './custom-objects';
import { schemaCauses } from './custom-resources';
import { convertByWebhook } from './crd-webhook-conversion';
import { clone } from './objects';

/** The request's row as a version served by conversion, when its CRD converts through a webhook. */
export function webhookConverted(r: ResourceInfo): ConvertedResourceInfo | undefined {
  return r.crd && r.conversionWebhook && r.storageRow ? { ...r, storedAs: r.storageRow } : undefined;
}

export function webhookConversion(r: ConvertedResourceInfo, dialService: ServiceDialer | undefined): Conversion {
  const served = apiVersionOf(r);
  const stored = apiVersionOf(r.storedAs);
  // An object already in the served version comes back as it was (a watch's is shared and frozen): default a copy.
  const shown = (converted: KObject, original: KObject): KObject => asServed(r, converted === original ? clone(original) : converted);
  return {
    async toStored(obj) {
      return (await convertByWebhook(r, [obj], stored, { dialService }))[0];
    },
    async fromStored(obj) {
      return shown((await convertByWebhook(r, [obj], served, { dialService }))[0], obj);
    },
    async fromStoredList(objs) {
      const converted = await convertByWebhook(r, objs, served, { dialService, list: true });
      return converted.map((o, i) => shown(o, objs[i]));
    },
    admit(obj, opts, old) {
      const warnings = checkFields(r, obj, opts);
      throwIfInvalid(r, obj, schemaCauses(r, obj, old));
      return warnings;
    },
  };
}
