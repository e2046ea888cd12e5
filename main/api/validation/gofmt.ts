// Formats values the way Go's fmt prints them inside Kubernetes validation messages:
// strings as %q, numbers and booleans as %v, nil as "null", and a few structs as %#v.

/** A value already rendered in Go syntax (printed verbatim). */
export class GoRepr {
  constructor(readonly text: string) {}
  toString(): string { return this.text; }
}

/** Go's %q for a string. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      case '\x07': out += '\\a'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '\v': out += '\\v'; break;
      default:
        if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
        else out += ch;
    }
  }
  return `${out}"`;
}

/** Render a validation BadValue as apimachinery's ErrorBody would. */
export function goValue(v: unknown): string {
  if (v instanceof GoRepr) return v.text;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return goStrings(v).text;
  if (isStringMap(v)) return goStringMap(v).text;
  return JSON.stringify(v);
}

function isStringMap(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}

/** %#v of a map[string]string (keys sorted, nil when absent). */
export function goStringMap(m: Record<string, string> | undefined | null): GoRepr {
  if (m === undefined || m === null) return new GoRepr('map[string]string(nil)');
  const body = Object.keys(m).sort().map((k) => `${goQuote(k)}:${goQuote(m[k] ?? '')}`).join(', ');
  return new GoRepr(`map[string]string{${body}}`);
}

/** %#v of a []string. */
export function goStrings(a: readonly string[] | undefined | null): GoRepr {
  if (a === undefined || a === null) return new GoRepr('[]string(nil)');
  return new GoRepr(`[]string{${a.map(goQuote).join(', ')}}`);
}

interface SelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key?: string; operator?: string; values?: string[] }>;
}

/** %#v of a metav1.LabelSelector, as in `spec.selector: Invalid value: v1.LabelSelector{…}: field is immutable`. */
export function goLabelSelector(ls: SelectorLike | undefined | null): GoRepr {
  if (ls === undefined || ls === null) return new GoRepr('null');
  const exprs = ls.matchExpressions === undefined || ls.matchExpressions === null
    ? '[]v1.LabelSelectorRequirement(nil)'
    : `[]v1.LabelSelectorRequirement{${ls.matchExpressions.map((e) =>
      `v1.LabelSelectorRequirement{Key:${goQuote(e.key ?? '')}, Operator:${goQuote(e.operator ?? '')}, Values:${goStrings(e.values).text}}`).join(', ')}}`;
  return new GoRepr(`v1.LabelSelector{MatchLabels:${goStringMap(ls.matchLabels).text}, MatchExpressions:${exprs}}`);
}

interface NodeSelectorTermLike {
  matchExpressions?: Array<{ key?: string; operator?: string; values?: string[] }>;
  matchFields?: Array<{ key?: string; operator?: string; values?: string[] }>;
}

function goNodeSelectorRequirements(rs: NodeSelectorTermLike['matchExpressions'] | null): string {
  if (rs === undefined || rs === null) return '[]core.NodeSelectorRequirement(nil)';
  return `[]core.NodeSelectorRequirement{${rs.map((r) =>
    `core.NodeSelectorRequirement{Key:${goQuote(r.key ?? '')}, Operator:${goQuote(r.operator ?? '')}, Values:${goStrings(r.values).text}}`).join(', ')}}`;
}

/** %#v of a core.NodeSelectorTerm. */
export function goNodeSelectorTerm(t: NodeSelectorTermLike): GoRepr {
  return new GoRepr(`core.NodeSelectorTerm{MatchExpressions:${goNodeSelectorRequirements(t.matchExpressions)}, MatchFields:${goNodeSelectorRequirements(t.matchFields)}}`);
}

/** %#v of a []core.NodeSelectorTerm. */
export function goNodeSelectorTerms(ts: readonly NodeSelectorTermLike[] | undefined | null): GoRepr {
  if (ts === undefined || ts === null) return new GoRepr('[]core.NodeSelectorTerm(nil)');
  return new GoRepr(`[]core.NodeSelectorTerm{${ts.map((t) => goNodeSelectorTerm(t).text).join(', ')}}`);
}

/** %#v of a decoded JSON value held in an interface{} (unstructured content: int64, float64, string, bool, maps, slices). */
export function goInterface(v: unknown): GoRepr {
  const inner = (x: unknown): string => {
    if (x === null || x === undefined) return 'interface {}(nil)';
    if (typeof x === 'string') return goQuote(x);
    if (typeof x === 'number' || typeof x === 'boolean') return String(x);
    if (Array.isArray(x)) return `[]interface {}{${x.map(inner).join(', ')}}`;
    const m = x as Record<string, unknown>;
    return `map[string]interface {}{${Object.keys(m).sort().map((k) => `${goQuote(k)}:${inner(m[k])}`).join(', ')}}`;
  };
  return new GoRepr(inner(v));
}
