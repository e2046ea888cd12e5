// The order Go sorts strings in (sort.Strings: UTF-8 bytes, which is code point order) — Kubernetes' order for names,
// keys and resource names, and SQLite's BINARY collation. JS `<` compares UTF-16 code units instead, which differs only
// when a character outside the BMP meets one in U+E000–U+FFFF; `localeCompare` differs far more (case, punctuation) and
// pages in ICU's collation data (≈ 2.8 MB in a process that never needed it).

/** Code point order (= UTF-8 byte order = Go's string order = SQLite BINARY collation). */
export function compareCodePoints(a: string, b: string): number {
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
