// The rules a version served by conversion adds on writes (api/conversion Conversion.validateCreate/Update),
// refused with the stored kind's 422 before the registry writes.
import type { ConvertedResourceInfo } from '../../api/resources';
import type { KObject } from '../../api/types';
import type { Conversion } from '../../api/conversion';
import { isObject } from '../request';
import { throwIfInvalid } from '../registry/body';

/** `body` is in the stored version; `ns` is the namespace of the URL, which a body without one takes. */
export function checkServedWrite(r: ConvertedResourceInfo, conv: Conversion, ns: string | undefined, body: unknown, old?: KObject): void {
  if (!isObject(body)) return;
  const obj = body as KObject;
  const withNs: KObject = { ...obj, metadata: { ...obj.metadata, namespace: obj.metadata?.namespace ?? ns } };
  const causes = old ? conv.validateUpdate?.(withNs, old) : conv.validateCreate?.(withNs);
  if (causes) throwIfInvalid(r.storedAs, withNs, causes);
}
