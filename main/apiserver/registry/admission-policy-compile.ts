// A ValidatingAdmissionPolicy's CEL expressions compiled when the policy is written (admissionregistration's
// validation.go with admission/plugin/cel's compiler): an expression that does not parse, names a variable the
// environment does not declare (object, oldObject, request, namespaceObject, authorizer; params only with a paramKind;
// variables only with spec.variables, each seeing the ones before it), or calls an undeclared function is refused
// with `Invalid value: "<expr>": compilation failed: ERROR: <input>:l:c: ...`; one whose type is plainly not what the
// field needs with `must evaluate to bool` (validations, matchConditions), `must evaluate to string`
// (messageExpression) or `must evaluate to one of [string null_type]` (auditAnnotations). The AST checks are those of
// crd-cel-compile.ts; objects are dynamic, as in Kubernetes' validation (no type checking against a schema).
import type { KObject } from '../../api/types';
import type { Cause } from '../../api/validation';
import { invalid } from '../../api/validation/cause';
import { ARITHMETIC, BOOLEAN, CompileIssue, checkFunction, issueTextOf, parseExpr, type Expr } from './crd-cel-compile';

type Want = 'bool' | 'string' | 'string-or-null' | 'any';
type Plain = 'bool' | 'string' | 'null' | 'dyn' | 'other' | undefined;

interface Scope {
  idents: ReadonlySet<string>;
  /** The spec.variables this expression may read, with what each certainly yields; undefined when `variables` is not declared. */
  variables?: ReadonlyMap<string, Plain>;
}

const BASE = ['object', 'oldObject', 'request', 'namespaceObject', 'authorizer'];
/** Typed fields of `request` whose type is known (the rest is dyn or other). */
const REQUEST_STRINGS = new Set(['name', 'namespace', 'operation', 'uid']);

function check(e: Expr | undefined, scope: Scope, locals: ReadonlySet<string>, pos: (e: Expr) => number): void {
  if (!e) return;
  const k = e.exprKind;
  switch (k.case) {
    case 'identExpr':
      if (!scope.idents.has(k.value.name) && !locals.has(k.value.name)) {
        throw new CompileIssue(pos(e), `undeclared reference to '${k.value.name}' (in container '')`);
      }
      return;
    case 'selectExpr': {
      const op = k.value.operand;
      if (op?.exprKind.case === 'identExpr' && op.exprKind.value.name === 'variables' && !locals.has('variables') && scope.variables
        && !scope.variables.has(k.value.field)) {
        throw new CompileIssue(pos(e), `undefined field '${k.value.field}'`);
      }
      check(op, scope, locals, pos);
      return;
    }
    case 'callExpr':
      checkFunction(e, pos);
      check(k.value.target, scope, locals, pos);
      k.value.args.forEach((a) => check(a, scope, locals, pos));
      return;
    case 'listExpr': k.value.elements.forEach((x) => check(x, scope, locals, pos)); return;
    case 'structExpr':
      k.value.entries.forEach((x) => {
        check(x.value, scope, locals, pos);
        if (x.keyKind.case === 'mapKey') check(x.keyKind.value, scope, locals, pos);
      });
      return;
    case 'comprehensionExpr': {
      const c = k.value;
      check(c.iterRange, scope, locals, pos);
      const inner = new Set([...locals, c.iterVar, c.iterVar2, c.accuVar].filter(Boolean));
      check(c.accuInit, scope, locals, pos);
      [c.loopCondition, c.loopStep, c.result].forEach((x) => check(x, scope, inner, pos));
      return;
    }
    default:
  }
}

/** What the expression certainly yields, as far as cel-go's checker would tell without schemas. */
function plainType(e: Expr | undefined, vars: ReadonlyMap<string, Plain>): Plain {
  const k = e?.exprKind;
  if (!k) return undefined;
  switch (k.case) {
    case 'constExpr': {
      const c = k.value.constantKind.case;
      return c === 'boolValue' ? 'bool' : c === 'stringValue' ? 'string' : c === 'nullValue' ? 'null' : 'other';
    }
    case 'listExpr':
    case 'structExpr':
      return 'other';
    case 'identExpr':
      return 'dyn';
    case 'selectExpr': {
      if (k.value.testOnly) return 'bool';
      const op = k.value.operand?.exprKind;
      if (op?.case === 'identExpr' && op.value.name === 'request') return REQUEST_STRINGS.has(k.value.field) ? 'string' : undefined;
      if (op?.case === 'identExpr' && op.value.name === 'variables') return vars.get(k.value.field);
      const under = plainType(k.value.operand, vars);
      return under === 'dyn' ? 'dyn' : undefined;
    }
    case 'callExpr': {
      const f = k.value.function;
      if (BOOLEAN.has(f)) return 'bool';
      if (f === '_[_]') return plainType(k.value.args[0], vars) === 'dyn' ? 'dyn' : undefined;
      if (f === 'string') return 'string';
      if (ARITHMETIC.has(f) && f === '_+_') {
        const t = k.value.args.map((x) => plainType(x, vars));
        return t.includes('string') ? 'string' : t.every((x) => x === 'dyn') ? 'dyn' : undefined;
      }
      if (ARITHMETIC.has(f)) return 'other';
      return undefined;
    }
    default:
      return undefined;
  }
}

const WANTS: Record<Exclude<Want, 'any'>, { ok: ReadonlySet<Plain>; message: string }> = {
  bool: { ok: new Set(['bool', undefined]), message: 'must evaluate to bool' },
  string: { ok: new Set(['string', undefined]), message: 'must evaluate to string' },
  'string-or-null': { ok: new Set(['string', 'null', undefined]), message: 'must evaluate to one of [string null_type]' },
};

/** The compiler's detail for one expression, or undefined when it compiles; `type` gets what it certainly yields. */
export function policyExpressionError(src: string, scope: Scope, want: Want, type?: (t: Plain) => void): string | undefined {
  const parsed = parseExpr(src);
  if ('text' in parsed) return `compilation failed: ${parsed.text}`;
  try {
    check(parsed.ast.expr, scope, new Set(), parsed.pos);
  } catch (e) {
    if (e instanceof CompileIssue) return `compilation failed: ${issueTextOf(src, e)}`;
    throw e;
  }
  const t = plainType(parsed.ast.expr, scope.variables ?? new Map());
  type?.(t);
  if (want === 'any') return undefined;
  const w = WANTS[want];
  return w.ok.has(t) ? undefined : w.message;
}

interface PolicySpec {
  paramKind?: unknown;
  matchConditions?: Array<{ expression?: string }>;
  variables?: Array<{ name?: string; expression?: string }>;
  validations?: Array<{ expression?: string; messageExpression?: string }>;
  auditAnnotations?: Array<{ valueExpression?: string }>;
}

/** The compile errors of a policy's expressions, at Kubernetes' field paths. */
export function policyCompileCauses(policy: KObject): Cause[] {
  const spec = ((policy as { spec?: PolicySpec }).spec ?? {});
  const params = spec.paramKind !== undefined && spec.paramKind !== null;
  const idents = (extra: string[]) => new Set([...BASE, ...(params ? ['params'] : []), ...extra]);
  const vars = spec.variables ?? [];
  const composed = vars.length > 0;
  const known = new Map<string, Plain>();
  const scoped = (extra: string[]): Scope => ({ idents: idents([...extra, ...(composed ? ['variables'] : [])]), variables: composed ? known : undefined });
  const causes: Cause[] = [];
  const add = (path: string, src: string | undefined, scope: Scope, want: Want, trim = true, type?: (t: Plain) => void) => {
    const text = trim ? (src ?? '').trim() : (src ?? '');
    if (!text.trim()) return;
    const err = policyExpressionError(text, scope, want, type);
    if (err) causes.push(invalid(path, src, err));
  };
  (spec.matchConditions ?? []).forEach((m, i) => add(`spec.matchConditions[${i}].expression`, m.expression, { idents: idents(['authorizer']) }, 'bool'));
  vars.forEach((v, i) => {
    // A variable sees the ones before it, and is known by what its expression yields.
    add(`spec.variables[${i}].expression`, v.expression, { ...scoped(['authorizer']), variables: composed ? new Map(known) : undefined }, 'any', false,
      (t) => known.set(v.name ?? '', t));
    if (!known.has(v.name ?? '')) known.set(v.name ?? '', undefined);
  });
  (spec.validations ?? []).forEach((v, i) => {
    add(`spec.validations[${i}].expression`, v.expression, scoped(['authorizer']), 'bool', false);
    add(`spec.validations[${i}].messageExpression`, v.messageExpression, scoped([]), 'string', false);
  });
  (spec.auditAnnotations ?? []).forEach((a, i) => add(`spec.auditAnnotations[${i}].valueExpression`, a.valueExpression, scoped(['authorizer']), 'string-or-null'));
  return causes;
}
