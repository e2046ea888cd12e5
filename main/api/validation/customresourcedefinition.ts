// apiextensions.k8s.io/v1 CustomResourceDefinition validation (ValidateCustomResourceDefinition and
// its spec, names and version rules, and the structural-schema rule that every specified field has a type).
import type { KObject } from '../types';
import { requiredCrdName } from '../crd';
import type { Cause } from './cause';
import { forbidden, invalid, notSupported, required } from './cause';
import { validateClientConfig, validateReviewVersions } from './webhookconfiguration';
import { isDNS1035Label, isDNS1123Subdomain } from './names';
import { validateVersionExtras } from './customresourcedefinition-version';
import { isObj, list, obj, str } from './read';

const SCOPES = ['Cluster', 'Namespaced'] as const;

function dns1035(causes: Cause[], field: string, v: string, prefix = ''): void {
  const errs = isDNS1035Label(v);
  if (v && errs.length) causes.push(invalid(field, v, prefix + errs.join(',')));
}

function validateNames(names: Record<string, unknown>): Cause[] {
  const causes: Cause[] = [];
  const p = 'spec.names';
  const plural = str(names.plural);
  const kind = str(names.kind);
  const listKind = str(names.listKind);
  dns1035(causes, `${p}.plural`, plural);
  dns1035(causes, `${p}.singular`, str(names.singular));
  const mixed = 'may have mixed case, but should otherwise match: ';
  const kindErrs = isDNS1035Label(kind.toLowerCase());
  if (kind && kindErrs.length) causes.push(invalid(`${p}.kind`, kind, mixed + kindErrs.join(',')));
  const listErrs = isDNS1035Label(listKind.toLowerCase());
  if (listKind && listErrs.length) causes.push(invalid(`${p}.listKind`, listKind, mixed + listErrs.join(',')));
  list(names.shortNames).forEach((s, i) => dns1035(causes, `${p}.shortNames[${i}]`, str(s)));
  if (kind && kind === listKind) causes.push(invalid(`${p}.listKind`, listKind, 'kind and listKind may not be the same'));
  if (!plural) causes.push(required(`${p}.plural`, ''));
  if (!kind) causes.push(required(`${p}.kind`, ''));
  if (!listKind) causes.push(required(`${p}.listKind`, ''));
  return causes;
}

/** A structural schema: every specified field says its type (x-kubernetes-int-or-string and preserve-unknown-fields excepted). */
function validateStructural(schema: Record<string, unknown>, path: string, where: 'root' | 'field' | 'items', causes: Cause[]): void {
  const free = schema['x-kubernetes-int-or-string'] === true || schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (!str(schema.type) && !free) {
    const detail = where === 'root' ? 'must not be empty at the root' : where === 'field' ? 'must not be empty for specified object fields' : 'must not be empty for specified array items';
    causes.push(required(`${path}.type`, detail));
  }
  for (const [name, sub] of Object.entries(obj(schema.properties))) {
    if (isObj(sub)) validateStructural(sub, `${path}.properties[${name}]`, 'field', causes);
  }
  if (isObj(schema.items)) validateStructural(schema.items, `${path}.items`, 'items', causes);
  if (isObj(schema.additionalProperties)) validateStructural(schema.additionalProperties, `${path}.additionalProperties`, 'field', causes);
}

function validateVersions(versions: unknown[]): Cause[] {
  const causes: Cause[] = [];
  const seen = new Set<string>();
  let storage = 0;
  let unique = true;
  versions.forEach((v, i) => {
    const ver = obj(v);
    const name = str(ver.name);
    const path = `spec.versions[${i}]`;
    if (ver.storage === true) storage++;
    if (seen.has(name)) unique = false;
    seen.add(name);
    const errs = isDNS1035Label(name);
    if (errs.length) causes.push(invalid(`${path}.name`, name, errs.join(',')));
    const schema = obj(ver.schema).openAPIV3Schema;
    if (!isObj(schema)) causes.push(required(`${path}.schema.openAPIV3Schema`, 'schemas are required'));
    else validateStructural(schema, `${path}.schema.openAPIV3Schema`, 'root', causes);
    causes.push(...validateVersionExtras(ver, path));
  });
  if (!unique) causes.push(invalid('spec.versions', versions, 'must contain unique version names'));
  if (storage !== 1) causes.push(invalid('spec.versions', versions, 'must have exactly one version marked as storage version'));
  return causes;
}

export function validateCustomResourceDefinition(crd: KObject): Cause[] {
  const spec = obj(crd.spec);
  const causes: Cause[] = [];
  const name = crd.metadata?.name ?? '';
  // ValidateObjectMeta's name rule for CRDs adds this to the DNS-subdomain check.
  if (name && name !== requiredCrdName(spec)) causes.push(invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  const group = str(spec.group);
  if (!group) causes.push(required('spec.group', ''));
  else if (isDNS1123Subdomain(group).length) causes.push(invalid('spec.group', group, isDNS1123Subdomain(group).join(',')));
  else if (group.split('.').length < 2) causes.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  const scope = str(spec.scope);
  if (!scope) causes.push(required('spec.scope', ''));
  else if (!(SCOPES as readonly string[]).includes(scope)) causes.push(notSupported('spec.scope', scope, SCOPES));
  causes.push(...validateVersions(list(spec.versions)));
  causes.push(...validateNames(obj(spec.names)));
  if (isObj(spec.conversion)) causes.push(...validateConversion(spec.conversion));
  return causes;
}

const CONVERSION_STRATEGIES = ['None', 'Webhook'];

/**
 * validateCustomResourceConversion. Its paths are the internal type's, as kube-apiserver's messages name them:
 * `spec.conversion.webhookClientConfig` for v1's spec.conversion.webhook.clientConfig.
 */
function validateConversion(conversion: Record<string, unknown>): Cause[] {
  const causes: Cause[] = [];
  const strategy = str(conversion.strategy);
  if (!strategy) causes.push(required('spec.conversion.strategy', ''));
  else if (!CONVERSION_STRATEGIES.includes(strategy)) causes.push(notSupported('spec.conversion.strategy', strategy, CONVERSION_STRATEGIES));
  const webhook = isObj(conversion.webhook) ? conversion.webhook : undefined;
  const clientConfig = isObj(webhook?.clientConfig) ? webhook.clientConfig : undefined;
  const reviewVersions = list(webhook?.conversionReviewVersions).map(str);
  if (strategy === 'Webhook') {
    if (!clientConfig) causes.push(required('spec.conversion.webhookClientConfig', 'required when strategy is set to Webhook'));
    else causes.push(...validateClientConfig(clientConfig, 'spec.conversion.webhookClientConfig'));
    causes.push(...validateReviewVersions(reviewVersions, { requireReviewVersion: true }, 'spec.conversion.conversionReviewVersions', ''));
  } else {
    if (clientConfig) causes.push(forbidden('spec.conversion.webhookClientConfig', 'should not be set when strategy is not set to Webhook'));
    if (reviewVersions.length) causes.push(forbidden('spec.conversion.conversionReviewVersions', 'should not be set when strategy is not set to Webhook'));
  }
  return causes;
}

export function validateCustomResourceDefinitionUpdate(crd: KObject, old: KObject): Cause[] {
  const causes: Cause[] = [];
  const scope = str(obj(crd.spec).scope);
  if (scope !== str(obj(old.spec).scope)) causes.push(invalid('spec.scope', scope, 'field is immutable'));
  return causes;
}
