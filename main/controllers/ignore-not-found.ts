// A write whose object may be gone meanwhile: NotFound is the outcome the caller wanted anyway.
import { isNotFound } from '../client/types';

/** The call's result, or undefined when the object is not found; other errors are thrown. */
export async function ignoreNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
