// Key ordering shared by the in-memory index and SQLite. SQLite compares TEXT with memcmp over
// UTF-8 (the BINARY collation), which is code point order; JS `<` compares UTF-16 code units.
// They differ only when a character outside the BMP meets one in U+E000–U+FFFF, so we compare
// by code point here and both sides agree.

/** Code point order (= UTF-8 byte order = SQLite BINARY collation). */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  const x = a.charCodeAt(i);
  const y = b.charCodeAt(i);
  const xSurrogate = x >= 0xd800 && x <= 0xdfff;
  const ySurrogate = y >= 0xd800 && y <= 0xdfff;
  // A surrogate starts a code point >= U+10000: above every BMP character.
  if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
  return x - y;
}

/**
 * An exclusive upper bound for keys starting with `prefix`, for SQL range scans
 * (`key >= prefix AND key < bound`). U+10FFFF is the greatest code point, so the range holds every
 * key under the prefix except ones continuing with U+10FFFF itself (a noncharacter; keys must not
 * contain it).
 */
export function prefixUpperBound(prefix: string): string {
  return prefix + '\u{10FFFF}';
}
