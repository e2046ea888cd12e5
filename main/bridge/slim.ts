// Objects as the UI gets them: without metadata.managedFields, which the UI never shows and which
// is often the largest part of an object. Copies; never changes the object it is given.
import type { KObject } from '../api/types';

export function slim<T extends KObject>(o: T): T {
  const meta = o.metadata;
  if (!meta || meta.managedFields === undefined) return o;
  const { managedFields: _dropped, ...rest } = meta;
  return { ...o, metadata: rest };
}
