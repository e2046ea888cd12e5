// The JSONPath of client-go (k8s.io/client-go/util/jsonpath) that a CRD's additionalPrinterColumns use,
// evaluated with missing keys allowed: fields (`.a`, `['a']`), indexes (`[0]`, `[-1]`), slices (`[1:3]`),
// wildcards (`[*]`, `.*`), recursive descent (`..a`) and filters (`[?(@.type=="Ready")]`, `[?(@.x)]`).
// Pure: shared by the API server's tables and anything else that reads such a path.

type Segment =
  | { kind: 'field'; name: string }
  | { kind: 'recursive'; name: string }
  | { kind: 'wildcard' }
  | { kind: 'index'; index: number }
  | { kind: 'slice'; start?: number; end?: number; step?: number }
  | { kind: 'filter'; left: Segment[]; op?: string; right?: Operand };

type Operand = { kind: 'literal'; value: unknown } | { kind: 'path'; path: Segment[] };

export class JsonPathError extends Error {}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The closing bracket of the `[` at `open`, skipping quoted text and nested brackets. */
function closing(text: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new JsonPathError(`unclosed bracket in ${JSON.stringify(text)}`);
}

function parseOperand(text: string): Operand {
  const t = text.trim();
  if (t.startsWith('@')) return { kind: 'path', path: parsePath(t.slice(1)) };
  if (/^(['"]).*\1$/s.test(t)) return { kind: 'literal', value: t.slice(1, -1) };
  if (t === 'true' || t === 'false') return { kind: 'literal', value: t === 'true' };
  if (t === 'null' || t === 'nil') return { kind: 'literal', value: null };
  const n = Number(t);
  if (t !== '' && !Number.isNaN(n)) return { kind: 'literal', value: n };
  throw new JsonPathError(`unrecognized operand ${JSON.stringify(t)}`);
}

function parseFilter(body: string): Segment {
  const m = /^(.*?)\s*(==|!=|<=|>=|<|>)\s*(.*)$/s.exec(body);
  const leftText = (m ? m[1] : body).trim();
  if (!leftText.startsWith('@')) throw new JsonPathError(`unrecognized filter ${JSON.stringify(body)}`);
  const left = parsePath(leftText.slice(1));
  return m ? { kind: 'filter', left, op: m[2], right: parseOperand(m[3]) } : { kind: 'filter', left };
}

function parseBracket(body: string): Segment {
  const t = body.trim();
  if (t === '*') return { kind: 'wildcard' };
  if (t.startsWith('?(') && t.endsWith(')')) return parseFilter(t.slice(2, -1));
  if (/^(['"]).*\1$/s.test(t)) return { kind: 'field', name: t.slice(1, -1) };
  if (/^-?\d+$/.test(t)) return { kind: 'index', index: Number(t) };
  const s = /^(-?\d*):(-?\d*)(?::(-?\d*))?$/.exec(t);
  if (s) {
    const num = (x: string | undefined) => (x ? Number(x) : undefined);
    return { kind: 'slice', start: num(s[1]), end: num(s[2]), step: num(s[3]) };
  }
  throw new JsonPathError(`unrecognized array index ${JSON.stringify(t)}`);
}

/** Parses a path such as `.status.conditions[?(@.type=="Ready")].status` (the text inside `{…}`). */
export function parsePath(text: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  const name = () => {
    const m = /^[^.[\]\s]*/.exec(text.slice(i))![0];
    i += m.length;
    return m;
  };
  while (i < text.length) {
    const ch = text[i];
    if (text.startsWith('..', i)) {
      i += 2;
      const n = name();
      out.push(n === '*' || !n ? { kind: 'recursive', name: '*' } : { kind: 'recursive', name: n });
    } else if (ch === '.') {
      i++;
      const n = name();
      if (n === '*') out.push({ kind: 'wildcard' });
      else if (n) out.push({ kind: 'field', name: n });
    } else if (ch === '[') {
      const end = closing(text, i);
      out.push(parseBracket(text.slice(i + 1, end)));
      i = end + 1;
    } else if (/\s/.test(ch)) {
      i++;
    } else {
      throw new JsonPathError(`unexpected ${JSON.stringify(ch)} in ${JSON.stringify(text)}`);
    }
  }
  return out;
}

function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  return isMap(v) ? Object.keys(v).sort().map((k) => v[k]) : [];
}

function descendants(v: unknown, name: string, out: unknown[]): void {
  if (isMap(v)) {
    if (name === '*') out.push(...children(v));
    else if (name in v) out.push(v[name]);
  }
  for (const c of children(v)) descendants(c, name, out);
}

function compare(a: unknown, op: string, b: unknown): boolean {
  if (op === '==') return JSON.stringify(a) === JSON.stringify(b);
  if (op === '!=') return JSON.stringify(a) !== JSON.stringify(b);
  if (typeof a !== 'number' || typeof b !== 'number') return false;
  return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
}

function matches(item: unknown, f: Extract<Segment, { kind: 'filter' }>): boolean {
  const left = evaluate(f.left, item);
  if (!f.op || !f.right) return left.length > 0;
  const right = f.right.kind === 'literal' ? [f.right.value] : evaluate(f.right.path, item);
  return left.length > 0 && right.length > 0 && compare(left[0], f.op, right[0]);
}

function step(values: unknown[], s: Segment): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    switch (s.kind) {
      case 'field':
        if (isMap(v) && s.name in v) out.push(v[s.name]);
        break;
      case 'recursive':
        descendants(v, s.name, out);
        break;
      case 'wildcard':
        out.push(...children(v));
        break;
      case 'index':
        if (Array.isArray(v)) {
          const i = s.index < 0 ? v.length + s.index : s.index;
          if (i >= 0 && i < v.length) out.push(v[i]);
        }
        break;
      case 'slice':
        if (Array.isArray(v)) {
          const len = v.length;
          const clamp = (x: number) => Math.min(Math.max(x < 0 ? len + x : x, 0), len);
          const by = s.step && s.step > 0 ? s.step : 1;
          for (let i = clamp(s.start ?? 0); i < clamp(s.end ?? len); i += by) out.push(v[i]);
        }
        break;
      case 'filter':
        for (const item of Array.isArray(v) ? v : children(v)) if (matches(item, s)) out.push(item);
        break;
    }
  }
  return out;
}

/** The values a parsed path finds in `data` (none when a key is missing). */
export function evaluate(path: Segment[], data: unknown): unknown[] {
  return path.reduce<unknown[]>((values, s) => step(values, s), [data]);
}

export type JsonPath = Segment[];
