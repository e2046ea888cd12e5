// A CRD's x-kubernetes-validations compiled when the definition is written (apiextensions' validation.go
// and schema/cel/compilation.go): a rule that does not parse, selects a field its schema does not declare,
// calls a function no CEL library of Kubernetes declares, or plainly cannot be a bool is refused with
// `<schema path>.x-kubernetes-validations[i].rule: Invalid value: apiextensions.ValidationRule{...}:
// compilation failed: ERROR: <input>:l:c: ...` (or `cel expression must evaluate to a bool`); a
// messageExpression likewise (`messageExpression compilation failed`, `... must evaluate to a string`).
// @bufbuild/cel has no type checker in its API, so the checks are the AST's, against the schema.
import { celEnv, parse } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { KUBERNETES_CEL_FUNCS } from './cel-kubernetes-lib';
import { desugarOptionalSyntax, MacroIssue } from './cel-optional-syntax';
import { usesOldSelf } from './custom-cel';
import type { JSONSchemaProps, KObject } from '../../api/types';
import type { Cause } from '../../api/validation';
import { invalid } from '../../api/validation/cause';
import { GoRepr, goQuote } from '../../api/validation/gofmt';

type ParsedExpr = ReturnType<typeof parse>;
export type Expr = NonNullable<ParsedExpr['expr']>;

interface Rule { rule?: string; message?: string; messageExpression?: string; reason?: string; fieldPath?: string; optionalOldSelf?: boolean }

const funcs = celEnv({ funcs: strings }).funcs;
/**
 * Functions of Kubernetes' CEL libraries, as evaluated (cel-kubernetes-lib.ts: lists, regex, URLs, quantity, IP/CIDR,
 * format, sets, optional values, authz; cel-go's strings extension), namespaced ones such as ip.isCanonical and
 * strings.quote by their last name, as the parser splits them (cel-go's optMap/optFlatMap macros are expanded before:
 * cel-optional-syntax.ts). Not declared, as in
 * Kubernetes 1.32: the semver library (1.33), cel-go's math and base64 extensions and strings' reverse (version 3).
 */
const KUBERNETES_FUNCS = new Set([...KUBERNETES_CEL_FUNCS, ...strings].map((f) => f.name.slice(f.name.lastIndexOf('.') + 1)));
export const ARITHMETIC = new Set(['_+_', '_-_', '_*_', '_/_', '_%_', '-_']);
export const BOOLEAN = new Set(['_==_', '_!=_', '_<_', '_<=_', '_>_', '_>=_', '_&&_', '_||_', '!_', '@in', '@not_strictly_false']);

const ext = (s: JSONSchemaProps) => s as Record<string, unknown>;

export class CompileIssue extends Error {
  /** `atCall`: cel-go places a call's issue at its opening parenthesis. */
  constructor(readonly offset: number, message: string, readonly atCall = false) { super(message); }
}

/** cel-go's Issues.String(): `ERROR: <input>:l:c: msg`, the source line and a caret under the column. */
export function issueText(src: string, offset: number, message: string): string {
  const before = src.slice(0, offset).split('\n');
  const line = before.length;
  const col = before[before.length - 1].length;
  return `ERROR: <input>:${line}:${col + 1}: ${message}\n | ${src.split('\n')[line - 1]}\n | ${'.'.repeat(col)}^`;
}

/** A CEL-escaped property name as the schema spells it (__dash__, __dot__, __slash__, __underscores__, __keyword__). */
function unescape(field: string): string {
  return field.replace(/__(dash|dot|slash|underscores)__/g, (_m, w: string) => ({ dash: '-', dot: '.', slash: '/', underscores: '__' })[w] ?? '')
    .replace(/^__([a-z]+)__$/, '$1');
}

/** The schema a chain of selections from self reaches; undefined where it cannot be told (maps, unknown fields allowed, not an object). */
function selectSchema(e: Expr, self: JSONSchemaProps, root: boolean, pos: (e: Expr) => number): JSONSchemaProps | undefined {
  if (e.exprKind.case === 'identExpr') return e.exprKind.value.name === 'self' ? self : undefined;
  let operand: Expr | undefined;
  let field: string;
  if (e.exprKind.case === 'selectExpr') {
    ({ operand, field } = e.exprKind.value);
  } else if (e.exprKind.case === 'callExpr' && e.exprKind.value.function === '__optSelect') {
    // `x.?f` (cel-optional-syntax.ts) selects as `x.f` does.
    const [x, f] = e.exprKind.value.args;
    if (f?.exprKind.case !== 'constExpr' || f.exprKind.value.constantKind.case !== 'stringValue') return undefined;
    operand = x;
    field = f.exprKind.value.constantKind.value;
  } else {
    return undefined;
  }
  if (!operand) return undefined;
  const s = selectSchema(operand, self, root, pos);
  if (!s || s.type !== 'object' || s.additionalProperties || ext(s)['x-kubernetes-preserve-unknown-fields']) return undefined;
  const props = s.properties ?? {};
  const sub = props[field] ?? props[unescape(field)];
  if (sub) return sub;
  if (root && s === self && ['apiVersion', 'kind', 'metadata'].includes(field)) return undefined;
  throw new CompileIssue(pos(e), `undefined field '${field}'`);
}

function checkExpr(e: Expr | undefined, self: JSONSchemaProps, root: boolean, pos: (e: Expr) => number): void {
  if (!e) return;
  const k = e.exprKind;
  switch (k.case) {
    case 'selectExpr':
      selectSchema(e, self, root, pos);
      checkExpr(k.value.operand, self, root, pos);
      return;
    case 'callExpr': {
      checkFunction(e, pos);
      selectSchema(e, self, root, pos);
      checkExpr(k.value.target, self, root, pos);
      k.value.args.forEach((a) => checkExpr(a, self, root, pos));
      return;
    }
    case 'listExpr': k.value.elements.forEach((x) => checkExpr(x, self, root, pos)); return;
    case 'structExpr': k.value.entries.forEach((x) => { checkExpr(x.value, self, root, pos); if (x.keyKind.case === 'mapKey') checkExpr(x.keyKind.value, self, root, pos); }); return;
    case 'comprehensionExpr': {
      const c = k.value;
      [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result].forEach((x) => checkExpr(x, self, root, pos));
      return;
    }
    default:
  }
}

/** What the expression plainly yields when that is certain: 'bool', 'string', 'other', or undefined (unknown). */
function plainType(e: Expr | undefined, self: JSONSchemaProps, root: boolean, pos: (e: Expr) => number): string | undefined {
  const k = e?.exprKind;
  if (!e || !k) return undefined;
  if (k.case === 'constExpr') return k.value.constantKind.case === 'boolValue' ? 'bool' : k.value.constantKind.case === 'stringValue' ? 'string' : 'other';
  if (k.case === 'listExpr' || k.case === 'structExpr') return 'other';
  if (k.case === 'callExpr' && BOOLEAN.has(k.value.function)) return 'bool';
  if (k.case === 'callExpr' && ARITHMETIC.has(k.value.function)) {
    if (k.value.function !== '_+_') return 'other';
    const types = k.value.args.map((a) => plainType(a, self, root, pos));
    return types.includes('string') ? 'string' : types.includes('other') ? 'other' : undefined;
  }
  if (k.case === 'selectExpr' && !k.value.testOnly) {
    const t = selectSchema(e, self, root, pos)?.type;
    return t === 'boolean' ? 'bool' : t === 'string' ? 'string' : t ? 'other' : undefined;
  }
  if (k.case === 'selectExpr') return 'bool';
  return undefined;
}

/** A call of a function no CEL library of Kubernetes declares: cel-go's `undeclared reference` issue. */
export function checkFunction(e: Expr, pos: (e: Expr) => number): void {
  if (e.exprKind.case !== 'callExpr') return;
  const name = e.exprKind.value.function;
  if (!name.startsWith('_') && !name.includes('.') && !BOOLEAN.has(name) && !funcs.find(name) && !KUBERNETES_FUNCS.has(name)) {
    throw new CompileIssue(pos(e), `undeclared reference to '${name}' (in container '')`, true);
  }
}

/** The parsed expression and the source offset of each node, or cel-go's syntax error text. */
export function parseExpr(src: string): { ast: ParsedExpr; pos: (e: Expr) => number } | { text: string } {
  let ast: ParsedExpr;
  try {
    ast = parse(desugarOptionalSyntax(src));
  } catch (e) {
    if (e instanceof MacroIssue) return { text: issueText(src, e.offset, e.message) };
    const msg = e instanceof Error ? e.message : String(e);
    const m = /^<input>:(\d+):(\d+): (.*)$/s.exec(msg);
    if (!m) return { text: `ERROR: <input>:1:1: Syntax error: ${msg}` };
    const offset = src.split('\n').slice(0, Number(m[1]) - 1).reduce((n, l) => n + l.length + 1, 0) + Number(m[2]) - 1;
    return { text: issueText(src, Math.min(offset, src.length), `Syntax error: ${m[3]}`) };
  }
  const positions = ast.sourceInfo?.positions ?? {};
  return { ast, pos: (e: Expr) => positions[String(e.id)] ?? 0 };
}

/** cel-go's text of an issue found in the AST (a call's issue placed at its opening parenthesis). */
export function issueTextOf(src: string, e: CompileIssue): string {
  const paren = e.atCall ? src.indexOf('(', e.offset) : -1;
  return issueText(src, paren >= 0 ? paren : e.offset, e.message);
}

/** The compile error of one expression ('' when none), worded as apiextensions does after `prefix`. */
function compileError(src: string, self: JSONSchemaProps, root: boolean, want: 'bool' | 'string'): { kind: 'compile' | 'type'; text: string } | undefined {
  const parsed = parseExpr(src);
  if ('text' in parsed) return { kind: 'compile', text: parsed.text };
  const { ast, pos } = parsed;
  try {
    checkExpr(ast.expr, self, root, pos);
    const t = plainType(ast.expr, self, root, pos);
    if (t && t !== want) return { kind: 'type', text: '' };
  } catch (e) {
    if (e instanceof CompileIssue) return { kind: 'compile', text: issueTextOf(src, e) };
    throw e;
  }
  return undefined;
}

/** %#v of apiextensions.ValidationRule. */
function goRule(r: Rule): GoRepr {
  const reason = r.reason ? '(*apiextensions.FieldValueErrorReason)(0xc000000000)' : '(*apiextensions.FieldValueErrorReason)(nil)';
  const old = r.optionalOldSelf === undefined ? '(*bool)(nil)' : '(*bool)(0xc000000000)';
  return new GoRepr(`apiextensions.ValidationRule{Rule:${goQuote(r.rule ?? '')}, Message:${goQuote(r.message ?? '')}, `
    + `MessageExpression:${goQuote(r.messageExpression ?? '')}, Reason:${reason}, FieldPath:${goQuote(r.fieldPath ?? '')}, OptionalOldSelf:${old}}`);
}

function walk(s: JSONSchemaProps, path: string, root: boolean, causes: Cause[]): void {
  const rules = ext(s)['x-kubernetes-validations'];
  (Array.isArray(rules) ? rules as Rule[] : []).forEach((r, i) => {
    const p = `${path}.x-kubernetes-validations[${i}]`;
    if (r.rule) {
      const err = compileError(r.rule, s, root, 'bool');
      if (err) causes.push(invalid(`${p}.rule`, goRule(r), err.kind === 'type' ? 'cel expression must evaluate to a bool' : `compilation failed: ${err.text}`));
      else if (r.optionalOldSelf !== undefined && !usesOldSelf(r.rule)) causes.push(invalid(`${p}.optionalOldSelf`, r.optionalOldSelf, 'may not be set if oldSelf is not used in rule'));
    }
    if (r.messageExpression?.trim()) {
      const err = compileError(r.messageExpression, s, root, 'string');
      if (err) {
        causes.push(invalid(`${p}.messageExpression`, goRule(r),
          err.kind === 'type' ? 'messageExpression must evaluate to a string' : `messageExpression compilation failed: ${err.text}`));
      }
    }
  });
  for (const [k, sub] of Object.entries(s.properties ?? {})) walk(sub, `${path}.properties[${k}]`, false, causes);
  if (s.items && !Array.isArray(s.items)) walk(s.items, `${path}.items`, false, causes);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${path}.additionalProperties`, false, causes);
}

/**
 * The compile errors of a CRD's rules. Versions with one schema between them are reported as
 * apiextensions' internal form has it, at spec.validation.openAPIV3Schema; otherwise per version.
 */
export function crdRuleCauses(crd: KObject): Cause[] {
  const versions = ((crd.spec as { versions?: Array<{ schema?: { openAPIV3Schema?: JSONSchemaProps } }> } | undefined)?.versions ?? []);
  const schemas = versions.map((v) => v.schema?.openAPIV3Schema);
  const causes: Cause[] = [];
  const same = schemas.length > 0 && schemas.every((s) => JSON.stringify(s) === JSON.stringify(schemas[0]));
  if (same && schemas[0]) walk(schemas[0], 'spec.validation.openAPIV3Schema', true, causes);
  else schemas.forEach((s, i) => s && walk(s, `spec.versions[${i}].schema.openAPIV3Schema`, true, causes));
  return causes;
}
