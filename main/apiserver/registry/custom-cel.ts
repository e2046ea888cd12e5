// x-kubernetes-validations of a CRD version's schema (apiextensions' CEL validator) with @bufbuild/cel:
// each rule runs where it is declared with `self` bound to the value there (integers as CEL ints,
// objects as maps) and, for transition rules, `oldSelf` to the value the stored object had (a rule
// using oldSelf is skipped on create and where the old object has no value). A false rule is
// `<path>: Invalid value: "<type>": <message>` — message, messageExpression or `failed rule: <rule>` —
// at fieldPath when given; reason FieldValueForbidden/Required/Duplicate changes the error's type. On an update, a rule
// that does not use oldSelf is let through where the value (or its nearest correlated ancestor) is unchanged
// (validation ratcheting, api/validation/ratcheting.ts); map-list items are correlated with their old items by keys.
import { celEnv, isCelError, parse, plan, type CelInput } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { KUBERNETES_CEL_FUNCS } from './cel-kubernetes-lib';
import { celTypesRegistry } from './cel-types';
import { optionalOf } from './cel-optional';
import { desugarOptionalSyntax } from './cel-optional-syntax';
import type { JSONSchemaProps } from '../../api/types';
import type { Cause } from '../../api/validation';
import { duplicate, forbidden, invalid, required } from '../../api/validation/cause';
import { correlatedField, correlatedItem, unchanged } from '../../api/validation/ratcheting';

interface Rule { rule: string; message?: string; messageExpression?: string; fieldPath?: string; reason?: string; optionalOldSelf?: boolean }
export type Program = (bindings: Record<string, CelInput>) => unknown;

const env = celEnv({ funcs: [...strings, ...KUBERNETES_CEL_FUNCS], registry: celTypesRegistry() });
const programs = new Map<string, Program | Error>();

/** The planned program of an expression (cached by its text), or the error that parsing or planning gave. */
export function compile(expr: string): Program | Error {
  let p = programs.get(expr);
  if (!p) {
    try {
      const run = plan(env, parse(desugarOptionalSyntax(expr)));
      p = (b) => run(b);
    } catch (e) {
      p = e instanceof Error ? e : new Error(String(e));
    }
    programs.set(expr, p);
  }
  return p;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A JSON value as CEL sees it under its schema: integers are ints, objects maps. */
export function celValue(v: unknown, s: JSONSchemaProps | undefined): CelInput {
  if (Array.isArray(v)) return v.map((x) => celValue(x, isMap(s?.items) ? (s.items as JSONSchemaProps) : undefined));
  if (isMap(v)) {
    const sub = (k: string) => s?.properties?.[k] ?? (isMap(s?.additionalProperties) ? (s.additionalProperties) : undefined);
    return new Map(Object.entries(v).map(([k, x]) => [k, celValue(x, sub(k))]));
  }
  if (typeof v === 'number' && Number.isInteger(v) && (s?.type === 'integer' || (s as Record<string, unknown> | undefined)?.['x-kubernetes-int-or-string'])) {
    return BigInt(v);
  }
  return v as CelInput;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function failure(rule: Rule, path: string, type: string, bindings: Record<string, CelInput>): Cause {
  let message = rule.message || `failed rule: ${rule.rule.trim()}`;
  if (rule.messageExpression) {
    const p = compile(rule.messageExpression);
    const out = p instanceof Error ? undefined : p(bindings);
    if (typeof out === 'string' && out.trim()) message = out;
  }
  const field = rule.fieldPath ? `${path}${rule.fieldPath.startsWith('[') ? '' : '.'}${rule.fieldPath.replace(/^\./, '')}` : path;
  switch (rule.reason) {
    case 'FieldValueForbidden': return forbidden(field, message);
    case 'FieldValueRequired': return required(field, message);
    case 'FieldValueDuplicate': return duplicate(field, type);
    default: return invalid(field, type, message);
  }
}

/** Whether a rule reads `oldSelf` (a transition rule). */
export const usesOldSelf = (rule: string): boolean => /\boldSelf\b/.test(rule);

/** `ratchet`: the value, or its nearest correlated ancestor, is unchanged by the update. */
function checkRules(s: JSONSchemaProps, v: unknown, old: unknown, path: string, causes: Cause[], ratchet: boolean): void {
  const rules = (s as Record<string, unknown>)['x-kubernetes-validations'];
  if (!Array.isArray(rules)) return;
  const type = s.type ?? (isMap(v) ? 'object' : Array.isArray(v) ? 'array' : typeof v);
  for (const rule of rules as Rule[]) {
    const transition = usesOldSelf(rule.rule);
    // optionalOldSelf: the rule runs on creates too, oldSelf an optional (optional.none() without an old value).
    const optional = rule.optionalOldSelf === true;
    if (transition && old === undefined && !optional) continue;
    if (!transition && ratchet) continue;
    const bindings: Record<string, CelInput> = { self: celValue(v, s) };
    if (transition) bindings.oldSelf = optional ? optionalOf(old === undefined ? undefined : celValue(old, s)) : celValue(old, s);
    const p = compile(rule.rule);
    if (p instanceof Error) {
      causes.push(invalid(path, type, `rule compile error: ${p.message}`));
      continue;
    }
    const out = p(bindings);
    if (isCelError(out)) causes.push(invalid(path, type, `${out.message} evaluating rule: ${rule.rule.trim()}`));
    else if (out !== true) causes.push(failure(rule, path, type, bindings));
  }
}

/** `old`: the correlated old value (undefined when there is none); `inherited`: the ratcheting of the nearest correlated ancestor. */
function walk(s: JSONSchemaProps, v: unknown, old: unknown, path: string, causes: Cause[], inherited: boolean): void {
  if (v === undefined || v === null) return;
  const ratchet = old === undefined ? inherited : unchanged(v, old);
  checkRules(s, v, old, path, causes, ratchet);
  if (isMap(v)) {
    for (const [k, x] of Object.entries(v)) {
      const sub = s.properties?.[k] ?? (isMap(s.additionalProperties) ? (s.additionalProperties) : undefined);
      if (sub) walk(sub, x, correlatedField(v, old, k), join(path, k), causes, ratchet);
    }
  } else if (Array.isArray(v) && isMap(s.items)) {
    const items = s.items as JSONSchemaProps;
    v.forEach((x, i) => walk(items, x, correlatedItem(s, old, x), `${path}[${i}]`, causes, ratchet));
  }
}

const withRules = new WeakMap<JSONSchemaProps, boolean>();

/** Whether a version's schema has any x-kubernetes-validations (apiextensions makes no CEL validator otherwise). */
export function hasRules(schema: JSONSchemaProps): boolean {
  let has = withRules.get(schema);
  if (has === undefined) {
    const any = (v: unknown): boolean => (Array.isArray(v) ? v.some(any) : isMap(v) && (Array.isArray(v['x-kubernetes-validations']) || Object.values(v).some(any)));
    has = any(schema);
    withRules.set(schema, has);
  }
  return has;
}

/** What the version's CEL rules refuse in `obj` (`old`: the stored object, on updates). */
export function celCauses(schema: JSONSchemaProps, obj: Record<string, unknown>, old?: Record<string, unknown>): Cause[] {
  const causes: Cause[] = [];
  const rest = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'apiVersion' && k !== 'kind'));
  const root = rest(obj);
  const oldRoot = old ? rest(old) : undefined;
  const ratchet = unchanged(root, oldRoot);
  checkRules(schema, root, oldRoot, '<nil>', causes, ratchet);
  for (const [k, x] of Object.entries(obj)) {
    const sub = schema.properties?.[k];
    if (sub && k !== 'metadata') walk(sub, x, correlatedField(obj, old, k), k, causes, ratchet);
  }
  return causes;
}
