// cel-go's optional syntax, which Kubernetes' CEL has had since 1.29 and @bufbuild/cel's parser does not read,
// rewritten into calls before parsing (cel-optional.ts): `x.?f` becomes `__optSelect(x, "f")` and `x[?k]`
// `__optIndex(x, k)` — what a chain selects after them (`x.?f.g`, `x.?f[0]`) stays optional, as in cel-go — and
// list and map literals with optional elements or entries (`[a, ?b]`, `{'k': v, ?'o': w}`) become
// `__optList([optional.of(a), b])` and `__optMap([['k', optional.of(v)], ['o', w]])`, which keep what has a value.
// cel-go's optMap and optFlatMap macros, which @bufbuild/cel does not expand, are rewritten as cel-go expands them
// (a comprehension binding the variable to the value): `x.optMap(v, e)` becomes
// `(x.hasValue() ? optional.of([x.value()].map(v, e)[0]) : optional.none())`, optFlatMap the same without
// `optional.of`. Text with neither a `?` nor either macro's name is returned as it is.

interface Token { text: string; start: number; end: number; kind: 'ident' | 'literal' | 'punct' }

const PUNCT2 = ['==', '!=', '<=', '>=', '&&', '||'];

/** CEL's tokens (comments and whitespace left out). */
function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (src.startsWith('//', i)) {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? src.length : nl;
      continue;
    }
    const str = /^([rRbB]{0,2})('''|"""|'|")/.exec(src.slice(i, i + 5));
    if (str && (str[1] === '' || /^[rRbB]{1,2}$/.test(str[1]))) {
      const raw = /r/i.test(str[1]);
      const quote = str[2];
      let j = i + str[0].length;
      while (j < src.length && !src.startsWith(quote, j)) j += !raw && src[j] === '\\' ? 2 : 1;
      j = Math.min(src.length, j + quote.length);
      out.push({ text: src.slice(i, j), start: i, end: j, kind: 'literal' });
      i = j;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (word) {
      out.push({ text: word[0], start: i, end: i + word[0].length, kind: 'ident' });
      i += word[0].length;
      continue;
    }
    const num = /^(0x[0-9a-fA-F]+u?|\d+\.\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?|\d+(e[+-]?\d+)?u?)/i.exec(src.slice(i));
    if (num) {
      out.push({ text: num[0], start: i, end: i + num[0].length, kind: 'literal' });
      i += num[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    const len = PUNCT2.includes(two) ? 2 : 1;
    out.push({ text: src.slice(i, i + len), start: i, end: i + len, kind: 'punct' });
    i += len;
  }
  return out;
}

const OPEN: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** The index of the bracket that opens the one closing at `j`. */
function opener(t: Token[], j: number): number {
  let depth = 0;
  for (let k = j; k >= 0; k--) {
    if (t[k].text === t[j].text) depth++;
    else if (t[k].text === OPEN[t[j].text]) depth--;
    if (depth === 0) return k;
  }
  return 0;
}

/** The index of the bracket that closes the one opening at `j`. */
function closer(t: Token[], j: number): number {
  const close = { '(': ')', '[': ']', '{': '}' }[t[j].text] ?? '';
  let depth = 0;
  for (let k = j; k < t.length; k++) {
    if (t[k].text === t[j].text) depth++;
    else if (t[k].text === close) depth--;
    if (depth === 0) return k;
  }
  return t.length - 1;
}

/** Whether the token at `k` ends an operand (so a `[` or `(` after it indexes or calls it). */
const endsOperand = (t: Token[], k: number) => k >= 0 && (t[k].kind !== 'punct' || [')', ']', '}'].includes(t[k].text));

/** The first token of the member chain (primary and its selections, calls, indexes) that ends at `j`. */
function operandStart(t: Token[], j: number): number {
  let k = j;
  for (;;) {
    if ([')', ']', '}'].includes(t[k].text)) {
      const o = opener(t, k);
      // A call, an index or a message literal continue the chain before them; a parenthesized, list or map literal starts it.
      if (endsOperand(t, o - 1) && (t[o].text !== '{' || t[o - 1].kind === 'ident')) {
        k = o - 1;
        continue;
      }
      k = o;
    }
    if (k >= 2 && t[k - 1].text === '.' && endsOperand(t, k - 2)) {
      k -= 2;
      continue;
    }
    if (k >= 3 && t[k - 1].text === '?' && t[k - 2].text === '.' && endsOperand(t, k - 3)) {
      k -= 3;
      continue;
    }
    return k;
  }
}

/** One rewrite of the leftmost optional selection or index; undefined when there is none. */
function rewriteOnce(src: string): string | undefined {
  const t = tokenize(src);
  for (let i = 1; i + 1 < t.length; i++) {
    const select = t[i].text === '.' && t[i + 1].text === '?' && t[i + 2]?.kind === 'ident';
    const index = t[i].text === '[' && t[i + 1].text === '?' && endsOperand(t, i - 1);
    if (!select && !index) continue;
    const from = operandStart(t, i - 1);
    const operand = src.slice(t[from].start, t[i - 1].end);
    let end: number;
    let call: string;
    if (select) {
      end = i + 2;
      call = `__optSelect(${operand}, ${JSON.stringify(t[end].text)})`;
    } else {
      end = closer(t, i);
      call = `__optIndex(${operand}, ${src.slice(t[i + 2].start, t[end].start).trim()})`;
    }
    // What the chain selects or indexes after it stays optional.
    for (;;) {
      const n = t[end + 1];
      if (n?.text === '.' && t[end + 2]?.kind === 'ident' && t[end + 3]?.text !== '(') {
        call = `__optSelect(${call}, ${JSON.stringify(t[end + 2].text)})`;
        end += 2;
      } else if (n?.text === '[' && t[end + 2]?.text !== '?') {
        const close = closer(t, end + 1);
        call = `__optIndex(${call}, ${src.slice(t[end + 2].start, t[close].start).trim()})`;
        end = close;
      } else {
        break;
      }
    }
    return src.slice(0, t[from].start) + call + src.slice(t[end].end);
  }
  return undefined;
}

/** The token ranges of a literal's elements between `open` and `close` (split at its own commas). */
function elements(t: Token[], open: number, close: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = open + 1;
  let depth = 0;
  for (let k = open + 1; k < close; k++) {
    if (['(', '[', '{'].includes(t[k].text)) depth++;
    else if ([')', ']', '}'].includes(t[k].text)) depth--;
    else if (t[k].text === ',' && depth === 0) {
      out.push([from, k]);
      from = k + 1;
    }
  }
  if (from < close) out.push([from, close]);
  return out;
}

/** One rewrite of the leftmost list or map literal with an optional element or entry; undefined when there is none. */
function rewriteLiteralOnce(src: string): string | undefined {
  const t = tokenize(src);
  const text = (a: number, b: number) => src.slice(t[a].start, t[b - 1].end);
  for (let i = 0; i < t.length; i++) {
    const list = t[i].text === '[' && !endsOperand(t, i - 1);
    const map = t[i].text === '{' && !(i > 0 && t[i - 1].kind === 'ident');
    if (!list && !map) continue;
    const close = closer(t, i);
    const parts = elements(t, i, close);
    if (!parts.some(([a]) => t[a].text === '?')) continue;
    const items = parts.map(([a, b]) => {
      const optional = t[a].text === '?';
      const start = optional ? a + 1 : a;
      if (list) return optional ? text(start, b) : `optional.of(${text(start, b)})`;
      let colon = start;
      let depth = 0;
      for (; colon < b; colon++) {
        if (['(', '[', '{'].includes(t[colon].text)) depth++;
        else if ([')', ']', '}'].includes(t[colon].text)) depth--;
        else if (t[colon].text === ':' && depth === 0) break;
      }
      const value = text(colon + 1, b);
      return `[${text(start, colon)}, ${optional ? value : `optional.of(${value})`}]`;
    });
    const call = list ? `__optList([${items.join(', ')}])` : `__optMap([${items.join(', ')}])`;
    return src.slice(0, t[i].start) + call + src.slice(t[close].end);
  }
  return undefined;
}

const OPT_MACROS = new Set(['optMap', 'optFlatMap']);

/** The `.optMap(` / `.optFlatMap(` calls of a token list with two arguments (cel-go expands only those): their token indexes. */
function macroCalls(t: Token[]): Array<{ dot: number; close: number; args: Array<[number, number]> }> {
  const out: Array<{ dot: number; close: number; args: Array<[number, number]> }> = [];
  for (let i = 1; i + 2 < t.length; i++) {
    if (t[i].text !== '.' || !OPT_MACROS.has(t[i + 1].text) || t[i + 2].text !== '(' || !endsOperand(t, i - 1)) continue;
    const close = closer(t, i + 2);
    const args = elements(t, i + 2, close);
    if (args.length === 2) out.push({ dot: i, close, args });
  }
  return out;
}

/** cel-go's complaint about a macro it cannot expand, at an offset of the expression as written. */
export class MacroIssue extends Error {
  constructor(readonly offset: number, message: string) { super(message); }
}

/**
 * cel-go's parser refuses optMap/optFlatMap whose variable is not a simple identifier, placed where that expression's
 * node is: a selection (`y.z`) at its last dot, anything else at its first token.
 */
function checkMacros(src: string): void {
  const t = tokenize(src);
  for (const { dot, args: [[va, vb]] } of macroCalls(t)) {
    if (vb === va + 1 && t[va].kind === 'ident') continue;
    const select = vb - va >= 3 && t[vb - 2].text === '.' && t[vb - 1].kind === 'ident' ? vb - 2 : va;
    throw new MacroIssue(t[select].start, `${t[dot + 1].text}() variable name must be a simple identifier`);
  }
}

/** One rewrite of the leftmost optMap/optFlatMap macro call; undefined when there is none. */
function rewriteMacroOnce(src: string): string | undefined {
  const t = tokenize(src);
  const [first] = macroCalls(t);
  if (!first) return undefined;
  const { dot, close, args: [[va], [ea, eb]] } = first;
  const from = operandStart(t, dot - 1);
  const operand = `(${src.slice(t[from].start, t[dot - 1].end)})`;
  const mapped = `[${operand}.value()].map(${t[va].text}, ${src.slice(t[ea].start, t[eb - 1].end)})[0]`;
  const call = `(${operand}.hasValue() ? ${t[dot + 1].text === 'optMap' ? `optional.of(${mapped})` : mapped} : optional.none())`;
  return src.slice(0, t[from].start) + call + src.slice(t[close].end);
}

/** The expression with cel-go's optional syntax and macros rewritten into calls @bufbuild/cel can run. */
export function desugarOptionalSyntax(src: string): string {
  if (!src.includes('?') && !/\boptMap\b|\boptFlatMap\b/.test(src)) return src;
  checkMacros(src);
  let out = src;
  for (let guard = 0; guard < 100; guard++) {
    const next = rewriteOnce(out) ?? rewriteLiteralOnce(out) ?? rewriteMacroOnce(out);
    if (next === undefined) return out;
    out = next;
  }
  return out;
}
