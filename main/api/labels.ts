// Label selectors: the string syntax (`app=web,tier in (a,b),!canary`), the structured
// metav1.LabelSelector, matching, and the canonical string form. Semantics and error texts follow
// apimachinery's pkg/labels and metav1.LabelSelectorAsSelector.
import type { LabelSelector } from './types';
import type { Cause } from './validation/cause';
import { invalid } from './validation/cause';
import { goStrings, goQuote } from './validation/gofmt';
import { isQualifiedName, isValidLabelValue } from './validation/names';
import { aggregateMessage, causeString } from './validation/message';

export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Sorted, de-duplicated. */
  readonly values: readonly string[];
}

export interface Selector {
  matches(labels: Record<string, string> | undefined): boolean;
  /** True when the selector does not restrict anything (matches every object). */
  readonly empty: boolean;
  toString(): string;
  /** The requirements, sorted by key; empty for everything and for nothing. */
  readonly requirements: readonly Requirement[];
}

export class SelectorError extends Error {
  override name = 'SelectorError';
}

// ---- requirements ----

function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const val = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'in': case '=': case '==':
      return has && r.values.includes(val ?? '');
    case 'notin': case '!=':
      return !has || !r.values.includes(val ?? '');
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt': case 'lt': {
      if (!has || !/^[+-]?\d+$/.test(val ?? '') || r.values.length !== 1) return false;
      const lv = Number(val);
      const rv = Number(r.values[0]);
      return r.operator === 'gt' ? lv > rv : lv < rv;
    }
  }
}

function requirementString(r: Requirement): string {
  const vals = r.values.join(',');
  switch (r.operator) {
    case 'exists': return r.key;
    case '!': return `!${r.key}`;
    case 'in': return `${r.key} in (${vals})`;
    case 'notin': return `${r.key} notin (${vals})`;
    case 'gt': return `${r.key}>${vals}`;
    case 'lt': return `${r.key}<${vals}`;
    default: return `${r.key}${r.operator}${vals}`;
  }
}

/** Field-style error text, as field.Error.Error() prints it (nil path prints as `<nil>`). */
function fieldErr(path: string, value: unknown, detail: string): string {
  return causeString(invalid(path, value, detail));
}

/** Build and validate one requirement (apimachinery NewRequirement). Throws SelectorError. */
export function newRequirement(key: string, operator: LabelOperator, values: readonly string[], path = ''): Requirement {
  const errs: string[] = [];
  const p = (child: string): string => (path ? `${path}.${child}` : child);
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(fieldErr(p('key'), key, keyErrs.join('; ')));
  const sorted = [...new Set(values)].sort();
  switch (operator) {
    case 'in': case 'notin':
      if (sorted.length === 0) errs.push(fieldErr(p('values'), goStrings(sorted), "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=': case '==': case '!=':
      if (sorted.length !== 1) errs.push(fieldErr(p('values'), goStrings(sorted), 'exact-match compatibility requires one single value'));
      break;
    case 'exists': case '!':
      if (sorted.length !== 0) errs.push(fieldErr(p('values'), goStrings(sorted), 'values set must be empty for exists and does not exist'));
      break;
    case 'gt': case 'lt':
      if (sorted.length !== 1) errs.push(fieldErr(p('values'), goStrings(sorted), "for 'Gt', 'Lt' operators, exactly one value is required"));
      sorted.forEach((v, i) => {
        if (!/^[+-]?\d+$/.test(v)) errs.push(fieldErr(`${p('values')}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
  }
  sorted.forEach((v, i) => {
    const vErrs = isValidLabelValue(v);
    if (vErrs.length) errs.push(fieldErr(`${p('values')}[${i}][${key}]`, v, vErrs.join('; ')));
  });
  if (errs.length) throw new SelectorError(aggregateMessage(errs));
  return { key, operator, values: sorted };
}

// ---- selectors ----

class RequirementsSelector implements Selector {
  readonly requirements: readonly Requirement[];
  constructor(reqs: Requirement[]) {
    this.requirements = [...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  get empty(): boolean { return this.requirements.length === 0; }
  matches(labels: Record<string, string> | undefined): boolean {
    const l = labels ?? {};
    return this.requirements.every((r) => requirementMatches(r, l));
  }
  toString(): string { return this.requirements.map(requirementString).join(','); }
}

const NOTHING: Selector = Object.freeze({
  requirements: [], empty: false, matches: () => false, toString: () => '',
});

/** A selector that matches every object. */
export function everything(): Selector { return new RequirementsSelector([]); }
/** A selector that matches no object (metav1's nil LabelSelector). */
export function nothing(): Selector { return NOTHING; }

/** Selector matching exactly the given labels (empty set → everything). */
export function selectorFromSet(set: Record<string, string> | undefined): Selector {
  return new RequirementsSelector(Object.entries(set ?? {}).map(([k, v]) => ({ key: k, operator: '=' as const, values: [v] })));
}

// ---- the string syntax ----

type Tok = 'end' | 'ident' | ')' | ',' | '!' | '==' | '=' | '>' | 'in' | '<' | '!=' | 'notin' | '(' | 'error';
interface Item { tok: Tok; lit: string }
const KEYWORDS: Record<string, Tok> = { ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', 'in': 'in', '<': '<', '!=': '!=', 'notin': 'notin', '(': '(' };
const isWs = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string): boolean => '=!(),><'.includes(c);

function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWs(s[pos] ?? '')) pos++;
    if (pos >= s.length) { items.push({ tok: 'end', lit: '' }); return items; }
    const c = s[pos] ?? '';
    if (isSpecial(c)) {
      let buf = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos] ?? '')) {
        const next = buf + (s[pos] ?? '');
        const t = KEYWORDS[next];
        if (t) { last = { tok: t, lit: next }; buf = next; pos++; } else if (last) break; else { buf = next; pos++; }
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
    } else {
      let buf = '';
      while (pos < s.length && !isSpecial(s[pos] ?? '') && !isWs(s[pos] ?? '')) buf += s[pos++];
      const t = KEYWORDS[buf];
      items.push({ tok: t ?? 'ident', lit: buf });
    }
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly items: Item[]) {}
  /** In the values context `in`/`notin` are plain identifiers. */
  private view(i: Item, values: boolean): Item {
    return values && (i.tok === 'in' || i.tok === 'notin') ? { tok: 'ident', lit: i.lit } : i;
  }
  peek(values = true): Item { return this.view(this.items[this.pos] ?? { tok: 'end', lit: '' }, values); }
  next(values = true): Item { const i = this.peek(values); this.pos++; return i; }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek();
      if (tok === 'ident' || tok === '!') {
        let r: Requirement;
        try { r = this.requirement(); } catch (e) {
          throw new SelectorError(`unable to parse requirement: ${e instanceof Error ? e.message : String(e)}`);
        }
        reqs.push(r);
        const t = this.next();
        if (t.tok === 'end') return reqs;
        if (t.tok === ',') {
          const t2 = this.peek();
          if (t2.tok !== 'ident' && t2.tok !== '!') throw new SelectorError(`found '${t2.lit}', expected: identifier after ','`);
        } else {
          throw new SelectorError(`found '${t.lit}', expected: ',' or 'end of string'`);
        }
      } else if (tok === 'end') {
        return reqs;
      } else {
        throw new SelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private requirement(): Requirement {
    let t = this.next();
    let negate = false;
    if (t.tok === '!') { negate = true; t = this.next(); }
    if (t.tok !== 'ident') throw new Error(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length) throw new Error(`<nil>: Invalid value: ${goQuote(key)}: ${keyErrs.join('; ')}`);
    // `!key` is complete by itself; whatever follows is the caller's problem (as in apimachinery).
    if (negate) return newRequirement(key, '!', []);
    const la = this.peek().tok;
    if (la === 'end' || la === ',') return newRequirement(key, 'exists', []);
    const op = this.next(false);
    let operator: LabelOperator;
    switch (op.tok) {
      case 'in': operator = 'in'; break;
      case 'notin': operator = 'notin'; break;
      case '=': operator = '='; break;
      case '==': operator = '=='; break;
      case '!=': operator = '!='; break;
      case '>': operator = 'gt'; break;
      case '<': operator = 'lt'; break;
      default: throw new Error(`found '${op.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    const values = operator === 'in' || operator === 'notin' ? this.setValues() : this.exactValue();
    return newRequirement(key, operator, values);
  }

  private setValues(): string[] {
    const open = this.next();
    if (open.tok !== '(') throw new Error(`found '${open.lit}' expected: '('`);
    const la = this.peek();
    if (la.tok === ')') { this.next(); return ['']; }
    if (la.tok !== 'ident' && la.tok !== ',') throw new Error(`found '${la.lit}', expected: ',', ')' or identifier`);
    const vals = this.identifiers();
    if (this.next().tok !== ')') throw new Error(`found '${la.lit}', expected: ')'`);
    return vals;
  }

  private identifiers(): string[] {
    const s = new Set<string>();
    for (;;) {
      const t = this.next();
      if (t.tok === 'ident') {
        s.add(t.lit);
        const t2 = this.peek();
        if (t2.tok === ',') continue;
        if (t2.tok === ')') return [...s];
        throw new Error(`found '${t2.lit}', expected: ',' or ')'`);
      } else if (t.tok === ',') {
        if (s.size === 0) s.add('');
        const t2 = this.peek();
        if (t2.tok === ')') { s.add(''); return [...s]; }
        if (t2.tok === ',') { this.next(); s.add(''); }
      } else {
        throw new Error(`found '${t.lit}', expected: ',', or identifier`);
      }
    }
  }

  private exactValue(): string[] {
    const la = this.peek();
    if (la.tok === 'end' || la.tok === ',') return [''];
    const t = this.next();
    if (t.tok === 'ident') return [t.lit];
    throw new Error(`found '${t.lit}', expected: identifier`);
  }
}

/** Parse the string form of a label selector (as in `?labelSelector=` / `kubectl -l`). Throws SelectorError. */
export function parseLabelSelector(s: string): Selector {
  return new RequirementsSelector(new Parser(lex(s)).parse());
}

// ---- metav1.LabelSelector ----

const STRUCT_OPS: Record<string, LabelOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * Convert a structured LabelSelector. An undefined or empty selector matches everything (what
 * controllers and Services want); use `nothing()` where Kubernetes treats a nil selector as "none".
 * Throws SelectorError for an invalid selector.
 */
export function selectorFromLabelSelector(ls: LabelSelector | undefined): Selector {
  if (!ls) return everything();
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(ls.matchLabels ?? {})) reqs.push(newRequirement(k, '=', [v]));
  for (const expr of ls.matchExpressions ?? []) {
    const op = STRUCT_OPS[expr.operator];
    if (!op) throw new SelectorError(`${goQuote(expr.operator)} is not a valid label selector operator`);
    reqs.push(newRequirement(expr.key, op, expr.values ?? []));
  }
  return new RequirementsSelector(reqs);
}

/** The string form shown in `kubectl get -o wide` (`<none>` when empty, `<error>` when invalid). */
export function formatLabelSelector(ls: LabelSelector | undefined): string {
  try {
    return selectorFromLabelSelector(ls).toString() || '<none>';
  } catch {
    return '<error>';
  }
}

/** Validate label keys and values (metadata.labels, spec.selector, nodeSelector…). */
export function validateLabels(labels: Record<string, string> | undefined, fieldPath: string): Cause[] {
  const causes: Cause[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of isQualifiedName(k)) causes.push(invalid(fieldPath, k, m));
    if (typeof v !== 'string') { causes.push(invalid(fieldPath, v, 'label values must be strings')); continue; }
    for (const m of isValidLabelValue(v)) causes.push(invalid(fieldPath, v, m));
  }
  return causes;
}
