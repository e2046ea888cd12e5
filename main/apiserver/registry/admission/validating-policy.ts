// ValidatingAdmissionPolicy enforcement (admission/plugin/policy/validating: dispatcher.go, validator.go), run by
// the registry after mutation and validation, before the write. For every binding whose policy's matchConstraints
// and own matchResources select the request: its params (paramKind + paramRef by name or selector, in the
// paramRef's namespace or the request's; none found: parameterNotFoundAction), then per param the matchConditions
// (any false: skipped), variables and validations. A false validation denies with its messageExpression, message or
// `failed expression: <expr>` and its reason; a runtime error does so only with failurePolicy Fail. A binding's
// validationActions decide: Deny refuses the request with the first denial
// (`ValidatingAdmissionPolicy '<p>' with binding '<b>' denied request: <message>`, reason → code), Warn adds a
// Warning header, Audit has no audit log here. Admission configuration kinds are exempt, as in Kubernetes.
import type { KObject, StoredObject, ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from '../../../api/types';
import { resourceFor, resourceForKind, type ResourceInfo } from '../../../api/resources';
import { selectorFromLabelSelector } from '../../../api/labels';
import type { Store } from '../../../store/types';
import { ApiError, qualifiedResource } from '../../status';
import { ParsedCache } from '../parsed-cache';
import type { ObjectReader } from '../strategy';
import type { Requester } from '../../authz/escalation';
import type { Authorizer } from '../../authz/authorizer';
import { baseBindings, evaluate, withVariables, type Bindings } from './policy-cel';
import { matchesResources, type PolicyAttributes } from './policy-match';

const GROUP = 'admissionregistration.k8s.io';
const POLICIES = resourceFor(GROUP, 'v1', 'validatingadmissionpolicies')!;
const BINDINGS = resourceFor(GROUP, 'v1', 'validatingadmissionpolicybindings')!;
const NAMESPACES = resourceFor('', 'v1', 'namespaces')!;
const CODES: Record<string, number> = { Forbidden: 403, Invalid: 422, RequestEntityTooLarge: 413 };

interface Decision { message: string; reason?: string }

export class ValidatingPolicyAdmission {
  /** The API server's authorizers, for the `authorizer` of the control plane's own writes (its serviceAccount checks). */
  authorizer?: Authorizer;
  private readonly policies: ParsedCache<ValidatingAdmissionPolicy>;
  private readonly bindings: ParsedCache<ValidatingAdmissionPolicyBinding>;

  constructor(store: Store, private readonly reader: ObjectReader) {
    this.policies = new ParsedCache(store, POLICIES);
    this.bindings = new ParsedCache(store, BINDINGS);
  }

  /** Refuses the request with an ApiError, or returns the warnings it gets. */
  admit(a: PolicyAttributes): string[] {
    if (a.group === GROUP) return [];
    const bindings = this.bindings.all();
    if (bindings.length === 0) return [];
    const policies = new Map(this.policies.all().map((p) => [p.metadata?.name ?? '', p]));
    const namespace = a.namespaced && a.namespace ? this.reader.tryGet(NAMESPACES, undefined, a.namespace) : undefined;
    const warnings: string[] = [];
    const denied: Array<Decision & { policy: string; binding: string }> = [];
    for (const binding of bindings) {
      const policy = policies.get(binding.spec?.policyName ?? '');
      if (!policy?.spec?.matchConstraints) continue;
      const labels = namespace?.metadata?.labels;
      if (!matchesResources(policy.spec.matchConstraints, a, labels)) continue;
      if (binding.spec?.matchResources && !matchesResources(binding.spec.matchResources, a, labels)) continue;
      const names = { policy: policy.metadata?.name ?? '', binding: binding.metadata?.name ?? '' };
      const fail = (policy.spec.failurePolicy ?? 'Fail') === 'Fail';
      let params: Array<KObject | undefined>;
      try {
        params = this.params(policy, binding, a);
      } catch (e) {
        if (fail) denied.push({ ...names, message: `failed to configure binding: ${e instanceof Error ? e.message : String(e)}` });
        continue;
      }
      const actions = binding.spec?.validationActions ?? [];
      for (const param of params) {
        for (const d of this.validate(policy, a, namespace, param, fail)) {
          if (actions.includes('Deny')) denied.push({ ...names, ...d });
          if (actions.includes('Warn')) warnings.push(`Validation failed for ValidatingAdmissionPolicy '${names.policy}' with binding '${names.binding}': ${d.message}`);
        }
      }
    }
    if (denied.length > 0) throw denial(a, denied[0]);
    return warnings;
  }

  /** The params each evaluation gets: [undefined] without a paramKind, else what paramRef selects. */
  private params(policy: ValidatingAdmissionPolicy, binding: ValidatingAdmissionPolicyBinding, a: PolicyAttributes): Array<KObject | undefined> {
    const kind = policy.spec?.paramKind;
    if (!kind) return [undefined];
    const ref = binding.spec?.paramRef;
    if (!ref) throw new Error(`paramKind kind \`${kind.apiVersion ?? ''}, Kind=${kind.kind ?? ''}\` is set but paramRef is nil`);
    const r = resourceForKind(kind.apiVersion ?? '', kind.kind ?? '');
    if (!r) throw new Error(`failed to find resource referenced by paramKind: '${kind.apiVersion ?? ''}, Kind=${kind.kind ?? ''}'`);
    let ns: string | undefined;
    if (r.namespaced) {
      ns = ref.namespace || a.namespace;
      if (!ns) throw new Error('cannot use namespaced paramRef in policy binding that matches cluster-scoped resources');
    }
    let found: KObject[];
    if (ref.name) {
      const o = this.reader.tryGet(r, ns, ref.name);
      found = o ? [o] : [];
    } else {
      const sel = selectorFromLabelSelector(ref.selector);
      found = this.reader.list(r, ns).items.filter((o: StoredObject) => sel.matches(o.metadata.labels ?? {}));
    }
    if (found.length === 0 && ref.parameterNotFoundAction === 'Deny') throw new Error('no params found for policy binding with `Deny` parameterNotFoundAction');
    return found;
  }

  /** validator.Validate for one param: the denials (false validations, and errors under failurePolicy Fail). */
  private validate(
    policy: ValidatingAdmissionPolicy, a: PolicyAttributes, namespace: KObject | undefined, param: KObject | undefined, fail: boolean,
  ): Decision[] {
    const spec = policy.spec!;
    const base = baseBindings(a, namespace, param, a.requester?.authorizer ?? this.authorizer);
    const conditionError = matchConditionsError(spec.matchConditions ?? [], base);
    if (conditionError === false) return [];
    if (conditionError) return fail ? [{ message: conditionError }] : [];
    const b = withVariables(base, spec.variables);
    const out: Decision[] = [];
    for (const v of spec.validations ?? []) {
      const r = evaluate(v.expression, b);
      if ('error' in r) {
        if (fail) out.push({ message: r.error });
      } else if (r.value !== true) {
        out.push({ message: failureMessage(v, b), reason: v.reason ?? 'Invalid' });
      }
    }
    return out;
  }
}

/** false when a condition is false; the error when one failed (and none was false); undefined when all hold. */
function matchConditionsError(conditions: ReadonlyArray<{ name: string; expression: string }>, b: Bindings): string | false | undefined {
  let error: string | undefined;
  for (const c of conditions) {
    const r = evaluate(c.expression, b);
    if ('error' in r) error ??= r.error;
    else if (r.value !== true) return false;
  }
  return error;
}

function failureMessage(v: { expression: string; message?: string; messageExpression?: string }, b: Bindings): string {
  if (v.messageExpression) {
    const r = evaluate(v.messageExpression, b);
    if ('value' in r && typeof r.value === 'string') {
      const m = r.value.trim();
      if (m && m.length <= 5 * 1024 && !m.includes('\n')) return m;
    }
  }
  if (v.message?.trim()) return v.message.trim();
  return `failed expression: ${v.expression.trim()}`;
}

/** admission.NewForbidden with the decision's reason and code and the message as the one cause. */
function denial(a: PolicyAttributes, d: Decision & { policy: string; binding: string }): ApiError {
  const message = `ValidatingAdmissionPolicy '${d.policy}' with binding '${d.binding}' denied request: ${d.message}`;
  const name = a.name || 'Unknown';
  const reason = d.reason ?? 'Invalid';
  const details = { name, ...(a.group ? { group: a.group } : {}), kind: a.resource, causes: [{ message }] };
  return new ApiError(CODES[reason] ?? 422, reason as 'Invalid', `${qualifiedResource(a.group, a.resource)} "${name}" is forbidden: ${message}`, details);
}

/** The attributes of a write as the registry sees it (the stored version; the requester's user, if any). */
export function policyAttributes(
  r: ResourceInfo, operation: PolicyAttributes['operation'], object: KObject | undefined, oldObject: KObject | undefined,
  opts: { dryRun?: boolean; requester?: Requester; subresource?: string },
): PolicyAttributes {
  const meta = object?.metadata ?? oldObject?.metadata ?? {};
  const u = opts.requester?.user;
  return {
    operation, group: r.group, version: r.version, kind: r.kind, resource: r.plural, subresource: opts.subresource ?? '',
    namespace: r.namespaced ? meta.namespace ?? '' : '', name: meta.name ?? '', namespaced: r.namespaced, object, oldObject, dryRun: !!opts.dryRun,
    user: { username: u?.name ?? '', uid: u?.uid ?? '', groups: [...(u?.groups ?? [])], extra: Object.fromEntries(Object.entries(u?.extra ?? {}).map(([k, v]) => [k, [...v]])) },
    requester: opts.requester ? { user: opts.requester.user, authorizer: opts.requester.authorizer } : undefined,
  };
}
