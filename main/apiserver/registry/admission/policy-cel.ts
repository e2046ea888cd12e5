// The CEL side of a ValidatingAdmissionPolicy at admission (admission/plugin/cel): the variables an expression
// sees — object, oldObject (null on CREATE and DELETE respectively), request (an AdmissionRequest), params,
// namespaceObject (null for cluster-scoped requests) and variables (spec.variables, each evaluated once in order;
// one that fails is left out, so reading it fails) — and one expression's result or Kubernetes' runtime error
// `expression '<expr>' resulted in error: <error>`. JSON objects become CEL maps, whole numbers CEL ints.
import { isCelError, type CelInput } from '@bufbuild/cel';
import type { KObject } from '../../../api/types';
import { compile } from '../custom-cel';
import type { PolicyAttributes } from './policy-match';
import { authorizerBindings } from '../cel-authz';
import type { Authorizer } from '../../authz/authorizer';

export type Bindings = Record<string, CelInput>;

/** A JSON value as CEL sees it: objects are maps, whole numbers ints. */
export function toCel(v: unknown): CelInput {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map(toCel);
  if (typeof v === 'object') return new Map(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).map(([k, x]) => [k, toCel(x)]));
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return v as CelInput;
}

/** The AdmissionRequest `request` is bound to. */
function admissionRequest(a: PolicyAttributes): Record<string, unknown> {
  const kind = { group: a.group, version: a.version, kind: a.kind };
  const resource = { group: a.group, version: a.version, resource: a.resource };
  return {
    kind, resource, subResource: a.subresource, requestKind: kind, requestResource: resource, requestSubResource: a.subresource,
    name: a.name, namespace: a.namespace, operation: a.operation, userInfo: a.user, dryRun: a.dryRun,
    options: { apiVersion: 'meta.k8s.io/v1', kind: { CREATE: 'CreateOptions', UPDATE: 'UpdateOptions', DELETE: 'DeleteOptions', CONNECT: '' }[a.operation] },
  };
}

/** CreateNamespaceObject: the namespace's metadata (without managed fields and owners), spec and status. */
function namespaceObject(ns: KObject | undefined): unknown {
  if (!ns) return null;
  const { managedFields: _m, ownerReferences: _o, ...meta } = ns.metadata ?? {};
  const full = ns as KObject & { spec?: unknown; status?: unknown };
  return { apiVersion: 'v1', kind: 'Namespace', metadata: meta, spec: full.spec ?? {}, status: full.status ?? {} };
}

export function baseBindings(a: PolicyAttributes, namespace: KObject | undefined, params: KObject | undefined, authorizer: Authorizer | undefined): Bindings {
  return {
    object: toCel(a.operation === 'DELETE' ? null : a.object),
    oldObject: toCel(a.operation === 'CREATE' ? null : a.oldObject),
    request: toCel(admissionRequest(a)),
    params: toCel(params ?? null),
    namespaceObject: toCel(a.namespaced ? namespaceObject(namespace) : null),
    ...authorizerBindings(a.requester?.user, authorizer, a),
  };
}

export type Outcome = { value: unknown } | { error: string };

/** cel-go's wording of the commonest runtime errors. */
function celGoMessage(message: string): string {
  return message.replace(/^field not found: /, 'no such key: ');
}

/** Evaluates one expression of the policy. */
export function evaluate(expression: string, b: Bindings): Outcome {
  const p = compile(expression);
  if (p instanceof Error) return { error: `expression '${expression}' resulted in error: ${p.message}` };
  let out: unknown;
  try {
    out = p(b);
  } catch (e) {
    return { error: `expression '${expression}' resulted in error: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (isCelError(out)) return { error: `expression '${expression}' resulted in error: ${celGoMessage(out.message)}` };
  return { value: out };
}

/** spec.variables evaluated in order into the `variables` map (left unbound when the policy has none). */
export function withVariables(b: Bindings, variables: ReadonlyArray<{ name?: string; expression?: string }> | undefined): Bindings {
  if (!variables?.length) return b;
  const vars = new Map<string, CelInput>();
  const scoped: Bindings = { ...b, variables: vars };
  for (const v of variables) {
    const r = evaluate(v.expression ?? '', scoped);
    if ('value' in r) vars.set(v.name ?? '', r.value as CelInput);
  }
  return scoped;
}
