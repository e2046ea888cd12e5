// Fuzzy matching for the command palette: the query's characters in order in the text, not
// necessarily adjacent (so "dpw" finds "deployment web"); case-insensitive. Runs of adjacent
// characters, matches at word starts and at the start score higher; longer texts score a little
// lower. Pure.

const WORD_START = /[\s\-_./:]/;

/** The score of `text` for `query` (higher is better), or undefined when it does not match. */
export function fuzzyScore(query: string, text: string): number | undefined {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (q === '') return 0;
  const t = text.toLowerCase();
  const direct = t.indexOf(q);
  if (direct >= 0) return 1000 - direct * 2 - t.length / 100 + (direct === 0 || WORD_START.test(t[direct - 1]) ? 200 : 0);
  let score = 0;
  let ti = 0;
  let prev = -2;
  for (const ch of q) {
    const at = t.indexOf(ch, ti);
    if (at < 0) return undefined;
    score += 10;
    if (at === prev + 1) score += 15;
    if (at === 0 || WORD_START.test(t[at - 1])) score += 20;
    score -= Math.min(at - ti, 10);
    prev = at;
    ti = at + 1;
  }
  return score - t.length / 100;
}

/** The items matching `query`, best first (ties keep their order), at most `limit`. */
export function fuzzyRank<T>(items: readonly T[], query: string, text: (item: T) => string, limit: number): T[] {
  const scored: Array<{ item: T; score: number; i: number }> = [];
  items.forEach((item, i) => {
    const score = fuzzyScore(query, text(item));
    if (score !== undefined) scored.push({ item, score, i });
  });
  scored.sort((a, b) => b.score - a.score || a.i - b.i);
  return scored.slice(0, limit).map((s) => s.item);
}
