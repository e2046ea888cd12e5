// Key ordering shared by the in-memory index and SQLite. SQLite compares TEXT with memcmp over UTF-8 (the BINARY
// collation), which is code point order, so both sides compare keys by code point.
import { compareCodePoints } from '../api/string-order';

/** Code point order (= UTF-8 byte order = SQLite BINARY collation). */
export const compareKeys = compareCodePoints;

/**
 * An exclusive upper bound for keys starting with `prefix`, for SQL range scans
 * (`key >= prefix AND key < bound`). U+10FFFF is the greatest code point, so the range holds every
 * key under the prefix except ones continuing with U+10FFFF itself (a noncharacter; keys must not
 * contain it).
 */
export function prefixUpperBound(prefix: string): string {
  return prefix + '\u{10FFFF}';
}
