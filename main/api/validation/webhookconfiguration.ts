// admissionregistration.k8s.io/v1 MutatingWebhookConfiguration and ValidatingWebhookConfiguration validation
// (pkg/apis/admissionregistration/validation and apiserver's util/webhook ValidateWebhookURL/ValidateWebhookService).
// The update rules relax what the stored object already broke (side effects, review versions, unique names), as
// Kubernetes' ValidateXWebhookConfigurationUpdate does.
import type { KObject } from '../types';
import { FAILURE_POLICIES, MATCH_POLICIES, validateRuleWithOperations } from './admission-rules';
import type { Cause } from './cause';
import { duplicate, invalid, notSupported, required } from './cause';
import { isDNS1035Label, isDNS1123Subdomain, isQualifiedName, isValidPortNum } from './names';
import { isObj, list, num, obj, str } from './read';
import { validateLabelSelector } from './selector';

const ACCEPTED_REVIEW_VERSIONS = ['v1', 'v1beta1'];
const NO_SIDE_EFFECTS = ['None', 'NoneOnDryRun'];
const ALL_SIDE_EFFECTS = ['None', 'NoneOnDryRun', 'Some', 'Unknown'];
const REINVOCATION_POLICIES = ['IfNeeded', 'Never'];
const URL_FORM = '; desired format: https://host[/path]';

interface Options { requireNoSideEffects: boolean; requireReviewVersion: boolean; requireUniqueNames: boolean; mutating: boolean }

export function validateMutatingWebhookConfiguration(c: KObject): Cause[] {
  return validateConfiguration(c, { requireNoSideEffects: true, requireReviewVersion: true, requireUniqueNames: true, mutating: true });
}

export function validateValidatingWebhookConfiguration(c: KObject): Cause[] {
  return validateConfiguration(c, { requireNoSideEffects: true, requireReviewVersion: true, requireUniqueNames: true, mutating: false });
}

export function validateMutatingWebhookConfigurationUpdate(c: KObject, old: KObject): Cause[] {
  return validateConfiguration(c, updateOptions(old, true));
}

export function validateValidatingWebhookConfigurationUpdate(c: KObject, old: KObject): Cause[] {
  return validateConfiguration(c, updateOptions(old, false));
}

/** The create rules, each kept only when the stored object already met it. */
function updateOptions(old: KObject, mutating: boolean): Options {
  const hooks = list(old.webhooks).map(obj);
  const names = hooks.map((h) => str(h.name));
  return {
    mutating,
    requireNoSideEffects: hooks.every((h) => NO_SIDE_EFFECTS.includes(str(h.sideEffects))),
    requireReviewVersion: hooks.every((h) => {
      const versions = list(h.admissionReviewVersions).map(str);
      return versions.length === 0 || versions.some((v) => ACCEPTED_REVIEW_VERSIONS.includes(v));
    }),
    requireUniqueNames: new Set(names).size === names.length,
  };
}

function validateConfiguration(c: KObject, opts: Options): Cause[] {
  const causes: Cause[] = [];
  const seen = new Set<string>();
  list(c.webhooks).forEach((h, i) => {
    const hook = obj(h);
    const p = `webhooks[${i}]`;
    causes.push(...validateWebhook(hook, p, opts), ...validateReviewVersions(list(hook.admissionReviewVersions).map(str), opts, `${p}.admissionReviewVersions`));
    const name = str(hook.name);
    if (opts.requireUniqueNames && name) {
      if (seen.has(name)) causes.push(duplicate(`${p}.name`, name));
      else seen.add(name);
    }
  });
  return causes;
}

function validateWebhook(hook: Record<string, unknown>, p: string, opts: Options): Cause[] {
  const causes: Cause[] = [...fullyQualifiedName(`${p}.name`, str(hook.name))];
  list(hook.rules).forEach((r, i) => causes.push(...validateRuleWithOperations(obj(r), `${p}.rules[${i}]`)));
  supported(causes, `${p}.failurePolicy`, hook.failurePolicy, FAILURE_POLICIES);
  supported(causes, `${p}.matchPolicy`, hook.matchPolicy, MATCH_POLICIES);
  const allowed = opts.requireNoSideEffects ? NO_SIDE_EFFECTS : ALL_SIDE_EFFECTS;
  if (hook.sideEffects === undefined || hook.sideEffects === null) causes.push(required(`${p}.sideEffects`, `must specify one of ${allowed.join(', ')}`));
  else supported(causes, `${p}.sideEffects`, hook.sideEffects, allowed);
  const timeout = num(hook.timeoutSeconds);
  if (timeout !== undefined && (timeout > 30 || timeout < 1)) {
    causes.push(invalid(`${p}.timeoutSeconds`, timeout, 'the timeout value must be between 1 and 30 seconds'));
  }
  causes.push(...validateLabelSelector(hook.namespaceSelector, `${p}.namespaceSelector`), ...validateLabelSelector(hook.objectSelector, `${p}.objectSelector`));
  if (opts.mutating) supported(causes, `${p}.reinvocationPolicy`, hook.reinvocationPolicy, REINVOCATION_POLICIES);
  causes.push(...validateClientConfig(obj(hook.clientConfig), `${p}.clientConfig`), ...validateMatchConditions(list(hook.matchConditions), `${p}.matchConditions`));
  return causes;
}

function supported(causes: Cause[], field: string, v: unknown, values: string[]): void {
  if (v !== undefined && v !== null && !values.includes(str(v))) causes.push(notSupported(field, v, values));
}

/** utilvalidation.IsFullyQualifiedName. */
function fullyQualifiedName(field: string, nameIn: string): Cause[] {
  if (!nameIn) return [required(field)];
  const name = nameIn.endsWith('.') ? nameIn.slice(0, -1) : nameIn;
  const errs = isDNS1123Subdomain(name);
  if (errs.length) return [invalid(field, name, errs.join(','))];
  if (name.split('.').length < 3) return [invalid(field, name, 'should be a domain with at least three segments separated by dots')];
  return [];
}

/**
 * admissionReviewVersions (and a CRD's conversionReviewVersions): unique DNS-1035 labels, one of them v1 or v1beta1 when
 * required. An empty list is refused with `emptyDetail` (the CRD's rule words it with none).
 */
export function validateReviewVersions(
  versions: string[], opts: Pick<Options, 'requireReviewVersion'>, p: string, emptyDetail = `must specify one of ${ACCEPTED_REVIEW_VERSIONS.join(', ')}`,
): Cause[] {
  if (versions.length < 1) return [required(p, emptyDetail)];
  const causes: Cause[] = [];
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    if (seen.has(v)) {
      causes.push(invalid(`${p}[${i}]`, v, 'duplicate version'));
      return;
    }
    seen.add(v);
    for (const m of isDNS1035Label(v)) causes.push(invalid(`${p}[${i}]`, v, m));
  });
  if (opts.requireReviewVersion && !versions.some((v) => ACCEPTED_REVIEW_VERSIONS.includes(v))) {
    causes.push(invalid(p, versions, `must include at least one of ${ACCEPTED_REVIEW_VERSIONS.join(', ')}`));
  }
  return causes;
}

/** A webhook's clientConfig (a CRD's conversion webhook's too): exactly one of url (https) and service. */
export function validateClientConfig(cc: Record<string, unknown>, p: string): Cause[] {
  const hasUrl = typeof cc.url === 'string';
  const hasService = isObj(cc.service);
  if (hasUrl === hasService) return [required(p, 'exactly one of url or service is required')];
  if (hasUrl) return validateWebhookUrl(`${p}.url`, str(cc.url));
  const svc = obj(cc.service);
  return validateWebhookService(`${p}.service`, svc);
}

/** apiserver's webhook.ValidateWebhookURL with forceHttps. */
function validateWebhookUrl(p: string, raw: string): Cause[] {
  let u: URL;
  try {
    u = new URL(raw);
  } catch (e) {
    return [required(p, `url must be a valid URL: parse ${JSON.stringify(raw)}: ${(e as Error).message}${URL_FORM}`)];
  }
  const causes: Cause[] = [];
  const scheme = u.protocol.replace(/:$/, '');
  if (scheme !== 'https') causes.push(invalid(p, scheme, `'https' is the only allowed URL scheme${URL_FORM}`));
  if (!u.host) causes.push(invalid(p, u.host, `host must be provided${URL_FORM}`));
  if (u.username || u.password) causes.push(invalid(p, u.password ? `${u.username}:${u.password}` : u.username, 'user information is not permitted in the URL'));
  if (u.hash) causes.push(invalid(p, u.hash.slice(1), 'fragments are not permitted in the URL'));
  if (u.search) causes.push(invalid(p, u.search.slice(1), 'query parameters are not permitted in the URL'));
  return causes;
}

/** apiserver's webhook.ValidateWebhookService. */
function validateWebhookService(p: string, svc: Record<string, unknown>): Cause[] {
  const causes: Cause[] = [];
  if (!str(svc.name)) causes.push(required(`${p}.name`, 'service name is required'));
  if (!str(svc.namespace)) causes.push(required(`${p}.namespace`, 'service namespace is required'));
  const port = num(svc.port) ?? 443;
  const portErrs = isValidPortNum(port);
  if (portErrs.length) causes.push(invalid(`${p}.port`, port, `port is not valid: ${portErrs.join(', ')}`));
  if (typeof svc.path !== 'string') return causes;
  const path = svc.path;
  if (path === '/' || path === '') return causes;
  if (path === '//') return [...causes, invalid(`${p}.path`, path, 'segment[0] may not be empty')];
  if (!path.startsWith('/')) causes.push(invalid(`${p}.path`, path, "must start with a '/'"));
  let check = path.slice(1);
  if (check.endsWith('/')) check = check.slice(0, -1);
  check.split('/').forEach((step, i) => {
    if (!step) {
      causes.push(invalid(`${p}.path`, path, `segment[${i}] may not be empty`));
      return;
    }
    for (const m of isDNS1123Subdomain(step)) causes.push(invalid(`${p}.path`, path, `segment[${i}]: ${m}`));
  });
  return causes;
}

/** validateMatchConditions: names required, qualified and unique, expressions required (at most 64). */
function validateMatchConditions(conditions: unknown[], p: string): Cause[] {
  const causes: Cause[] = [];
  if (conditions.length > 64) causes.push({ reason: 'FieldValueTooMany', field: p, message: `Too many: ${conditions.length}: must have at most 64 items` });
  const seen = new Set<string>();
  conditions.forEach((c, i) => {
    const mc = obj(c);
    const name = str(mc.name);
    if (!name) causes.push(required(`${p}[${i}].name`));
    else {
      for (const m of isQualifiedName(name)) causes.push(invalid(`${p}[${i}].name`, name, m));
      if (seen.has(name)) causes.push(duplicate(`${p}[${i}].name`, name));
      seen.add(name);
    }
    if (!str(mc.expression)) causes.push(required(`${p}[${i}].expression`));
  });
  return causes;
}
