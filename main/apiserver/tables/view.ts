// Stored objects are untyped JSON: printers read them through their kind's wire type, every field optional.
import type { KObject } from '../../api/types';

export function view<T>(obj: KObject): Partial<T> {
  return obj as unknown as Partial<T>;
}
