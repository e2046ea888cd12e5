// Calling the webhooks of a request, as Kubernetes' MutatingAdmissionWebhook and ValidatingAdmissionWebhook
// plugins do: mutating webhooks one after another (configurations by name, then webhook order), each JSONPatch
// applied to the object before the next sees it; validating webhooks all at once. A denial is
// `admission webhook "NAME" denied the request: MESSAGE` with the response's status (403 unless it says a 4xx); a
// call that fails is, under failurePolicy Fail, a 500 `failed calling webhook "NAME": failed to call webhook: ...`
// and, under Ignore, skipped. Webhooks with side effects refuse dry-run requests.
import type { KObject, MutatingWebhook, ValidatingWebhook } from '../../api/types';
import type { Store } from '../../store/types';
import { applyJsonPatch } from '../patch/json-patch';
import { ApiError, errors, type StatusReason } from '../status';
import { WebhookConfigurations } from './configurations';
import { postReview } from './client';
import { evaluateMatchConditions } from './match-conditions';
import type { CelInput } from '@bufbuild/cel';
import type { Authorizer } from '../authz/authorizer';
import { authorizerBindings } from '../registry/cel-authz';
import { isExempt, namespaceSelectorMatches, objectSelectorMatches, rulesMatch } from './matching';
import { admissionReview, verifiedResponse, type AdmissionResponse, type AdmissionReviewRequest } from './review';
import type { AdmissionAttributes, ConfiguredWebhook, NamespaceLabels, ServiceDialer } from './types';

/** A webhook's denial: its Status as it gave it (an empty reason stays empty). */
class DeniedError extends ApiError {
  override toStatus(): ReturnType<ApiError['toStatus']> {
    const s = super.toStatus();
    if (!s.reason) delete s.reason;
    return s;
  }
}

function denied(name: string, status: AdmissionResponse['status']): ApiError {
  const by = `admission webhook "${name}" denied the request`;
  const code = status?.code && status.code >= 400 ? status.code : 403;
  const message = status?.message ? `${by}: ${status.message}` : status?.reason ? `${by}: ${status.reason}` : `${by} without explanation`;
  return new DeniedError(code, (status?.reason ?? '') as StatusReason, message, status?.details);
}

type Hook = MutatingWebhook | ValidatingWebhook;

export class WebhookAdmission {
  /** Reaches clientConfig.service webhooks; set by core.ts when the core has nodes. */
  dialService?: ServiceDialer;
  /** The API server's authorizers, for matchConditions' `authorizer`; set by the registry's owner. */
  authorizer?: Authorizer;
  private readonly configurations: WebhookConfigurations;

  constructor(store: Store, private readonly namespaceLabels: NamespaceLabels, private readonly log: (line: string) => void = () => {}) {
    this.configurations = new WebhookConfigurations(store);
  }

  /** Whether any mutating webhook is configured (none: a request skips the webhooks' steps). */
  hasMutating(): boolean {
    return this.configurations.anyMutating();
  }

  /** Whether any validating webhook is configured. */
  hasValidating(): boolean {
    return this.configurations.anyValidating();
  }

  /**
   * The mutating webhooks: `a.object` is patched in place. A webhook with reinvocationPolicy IfNeeded that saw the
   * object before a later webhook changed it is called once more, after the others. Resolves with their warnings.
   */
  async mutate(a: AdmissionAttributes, applyDefaults: (o: KObject) => void): Promise<string[]> {
    if (isExempt(a)) return [];
    const warnings: string[] = [];
    const hooks = this.matching(this.configurations.mutating(), a);
    const seen = new Map<ConfiguredWebhook, string>();
    for (const w of hooks) {
      await this.mutateOnce(w, a, applyDefaults, warnings);
      if ((w.hook as MutatingWebhook).reinvocationPolicy === 'IfNeeded' && a.object) seen.set(w, JSON.stringify(a.object));
    }
    if (seen.size === 0) return warnings;
    const final = JSON.stringify(a.object ?? null);
    for (const w of hooks) {
      if (seen.has(w) && seen.get(w) !== final) await this.mutateOnce(w, a, applyDefaults, warnings);
    }
    return warnings;
  }

  private async mutateOnce(w: ConfiguredWebhook, a: AdmissionAttributes, applyDefaults: (o: KObject) => void, warnings: string[]): Promise<void> {
    const res = await this.call(w, a, true);
    if (!res) return;
    warnings.push(...(res.warnings ?? []));
    if (!res.allowed) throw denied(w.hook.name, res.status);
    if (!res.patch || !a.object) return;
    let patched: KObject;
    try {
      patched = applyJsonPatch(a.object, JSON.parse(Buffer.from(res.patch, 'base64').toString('utf8'))) as KObject;
    } catch (e) {
      throw errors.internal(e instanceof Error ? e.message : String(e));
    }
    applyDefaults(patched);
    for (const k of Object.keys(a.object)) delete (a.object as Record<string, unknown>)[k];
    Object.assign(a.object, patched);
  }

  /** The validating webhooks, concurrently. Resolves with their warnings; rejects with the first refusal. */
  async validate(a: AdmissionAttributes): Promise<string[]> {
    if (isExempt(a)) return [];
    const hooks = this.matching(this.configurations.validating(), a);
    if (hooks.length === 0) return [];
    const results = await Promise.allSettled(hooks.map((w) => this.call(w, a, false)));
    const warnings: string[] = [];
    results.forEach((r) => {
      if (r.status === 'fulfilled') warnings.push(...(r.value?.warnings ?? []));
    });
    for (const [i, r] of results.entries()) {
      if (r.status === 'rejected') throw r.reason;
      if (r.value && !r.value.allowed) throw denied(hooks[i].hook.name, r.value.status);
    }
    return warnings;
  }

  /**
   * matchConditions' `authorizer` and `authorizer.requestResource`: the requester's checks decided by the API server's
   * authorizers (the control plane's own writes are system:masters).
   */
  private authorizerBindings(a: AdmissionAttributes): Record<string, CelInput> {
    const user = { name: a.user.username, uid: a.user.uid, groups: a.user.groups, extra: a.user.extra };
    const target = { group: a.resource.group, resource: a.resource.plural, subresource: a.subresource, namespace: a.namespace, name: a.name };
    return authorizerBindings(user, this.authorizer, target);
  }

  private matching(hooks: ConfiguredWebhook[], a: AdmissionAttributes): ConfiguredWebhook[] {
    return hooks.filter(({ hook }) => rulesMatch(hook.rules, a) && namespaceSelectorMatches(hook.namespaceSelector, a, this.namespaceLabels)
      && objectSelectorMatches(hook.objectSelector, a));
  }

  /** One webhook's response; undefined when it is skipped (its match conditions, or a failure it ignores). */
  private async call(w: ConfiguredWebhook, a: AdmissionAttributes, mutating: boolean): Promise<AdmissionResponse | undefined> {
    const hook: Hook = w.hook;
    if (a.dryRun && hook.sideEffects !== 'None' && hook.sideEffects !== 'NoneOnDryRun') {
      throw errors.badRequest(`admission webhook "${hook.name}" does not support dry run`);
    }
    const review: AdmissionReviewRequest = admissionReview(a);
    const ignore = hook.failurePolicy === 'Ignore';
    const conditions = evaluateMatchConditions(hook.matchConditions, review, hook.matchConditions?.length ? this.authorizerBindings(a) : {});
    if ('error' in conditions) {
      if (ignore) return undefined;
      throw errors.internal(`failed calling webhook "${hook.name}": ${conditions.error}`);
    }
    if (!conditions.matches) return undefined;
    let failure: string;
    try {
      const body = await postReview({ config: hook.clientConfig, timeoutSeconds: hook.timeoutSeconds ?? 10, body: review, dialService: this.dialService });
      failure = 'received invalid webhook response';
      return verifiedResponse(review, body, mutating);
    } catch (e) {
      failure ??= 'failed to call webhook';
      const message = `failed calling webhook "${hook.name}": ${failure}: ${e instanceof Error ? e.message : String(e)}`;
      if (ignore) {
        this.log(`${message} (failurePolicy Ignore)`);
        return undefined;
      }
      throw errors.internal(message);
    }
  }
}
