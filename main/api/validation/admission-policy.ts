// ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding (pkg/apis/admissionregistration/validation), Kubernetes'
// messages. What the CEL compiler says of the expressions is added by the API server (registry/admission-policy-compile.ts):
// this package stays free of the CEL library.
import type { KObject } from '../types';
import type { Cause } from './cause';
import { duplicate, forbidden, invalid, notSupported, required, tooMany } from './cause';
import { FAILURE_POLICIES, goTypedStrings, validateMatchResources } from './admission-rules';
import { isDNS1035Label, isDNS1123Subdomain, isQualifiedName } from './names';
import { nameIsPathSegment } from './rbac';
import { list, obj, str } from './read';
import { validateLabelSelector } from './selector';

const REASONS = ['Forbidden', 'Invalid', 'RequestEntityTooLarge'];
const ACTIONS = ['Audit', 'Deny', 'Warn'];
const MAX_AUDIT_ANNOTATIONS = 20;
const MAX_AUDIT_VALUE_EXPRESSION = 5 * 1024;
const CEL_RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let',
  'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

export function isCELIdentifier(name: string): boolean {
  return /^[_a-zA-Z][_a-zA-Z0-9]*$/.test(name) && !CEL_RESERVED.has(name);
}

function validateParamKind(pk: Record<string, unknown>, path: string): Cause[] {
  const causes: Cause[] = [];
  const apiVersion = str(pk.apiVersion);
  if (!apiVersion) causes.push(required(`${path}.apiVersion`));
  else {
    const parts = apiVersion === '/' ? ['', ''] : apiVersion.split('/');
    if (parts.length > 2) causes.push(invalid(`${path}.apiVersion`, apiVersion, `unexpected GroupVersion string: ${apiVersion}`));
    else {
      const [group, version] = parts.length === 1 ? ['', parts[0]] : parts;
      if (group) {
        const errs = isDNS1123Subdomain(group);
        if (errs.length) causes.push(invalid(`${path}.apiVersion`, group, errs.join(',')));
      }
      if (!version) causes.push(invalid(`${path}.apiVersion`, apiVersion, 'version must be specified'));
      else {
        const errs = isDNS1035Label(version);
        if (errs.length) causes.push(invalid(`${path}.apiVersion`, version, errs.join(',')));
      }
    }
  }
  const kind = str(pk.kind);
  if (!kind) causes.push(required(`${path}.kind`));
  else {
    const errs = isDNS1035Label(kind.toLowerCase());
    if (errs.length) causes.push(invalid(`${path}.kind`, kind, `may have mixed case, but should otherwise match: ${errs.join(',')}`));
  }
  return causes;
}

function validateMatchConditions(conditions: unknown[], path: string): Cause[] {
  const causes: Cause[] = [];
  if (conditions.length > 64) causes.push(tooMany(path, conditions.length, 64));
  const names = new Set<string>();
  conditions.forEach((c, i) => {
    const mc = obj(c);
    const p = `${path}[${i}]`;
    if (!str(mc.expression).trim()) causes.push(required(`${p}.expression`));
    const name = str(mc.name);
    if (!name) causes.push(required(`${p}.name`));
    else for (const m of isQualifiedName(name)) causes.push(invalid(`${p}.name`, name, m));
    if (name && names.has(name)) causes.push(duplicate(`${p}.name`, name));
    names.add(name);
  });
  return causes;
}

function validateValidation(v: Record<string, unknown>, path: string): Cause[] {
  const causes: Cause[] = [];
  if (!str(v.expression).trim()) causes.push(required(`${path}.expression`, 'expression is not specified'));
  const messageExpression = str(v.messageExpression);
  if (messageExpression && !messageExpression.trim()) causes.push(invalid(`${path}.messageExpression`, messageExpression, 'must be non-empty if specified'));
  const message = str(v.message);
  if (message && !message.trim()) causes.push(invalid(`${path}.message`, message, 'message must be non-empty if specified'));
  else if (/[\n\r]/.test(message.trim())) causes.push(invalid(`${path}.message`, message, 'message must not contain line breaks'));
  if (v.reason !== undefined && v.reason !== null && !REASONS.includes(str(v.reason))) causes.push(notSupported(`${path}.reason`, str(v.reason), REASONS));
  return causes;
}

function validateAuditAnnotations(o: KObject, annotations: unknown[], path: string): Cause[] {
  const causes: Cause[] = [];
  if (annotations.length > MAX_AUDIT_ANNOTATIONS) {
    causes.push(invalid(path, annotations, `must not have more than ${MAX_AUDIT_ANNOTATIONS} auditAnnotations`));
  }
  const keys = new Set<string>();
  const name = o.metadata?.name ?? '';
  annotations.forEach((a, i) => {
    const aa = obj(a);
    const p = `${path}[${i}]`;
    const key = str(aa.key);
    if (name) for (const m of isQualifiedName(`${name}/${key}`)) causes.push(invalid(`${p}.key`, `${name}/${key}`, m));
    else causes.push(invalid(`${p}.key`, key, 'requires metadata.name be non-empty'));
    const value = str(aa.valueExpression).trim();
    if (!value) causes.push(required(`${p}.valueExpression`, 'valueExpression is not specified'));
    else if (value.length > MAX_AUDIT_VALUE_EXPRESSION) causes.push(required(`${p}.valueExpression`, `must not exceed ${MAX_AUDIT_VALUE_EXPRESSION} bytes in length`));
    if (keys.has(key)) causes.push(duplicate(`${p}.key`, key));
    keys.add(key);
  });
  return causes;
}

export function validateValidatingAdmissionPolicy(o: KObject): Cause[] {
  const spec = obj((o as Record<string, unknown>).spec);
  const causes: Cause[] = [];
  if (spec.failurePolicy === undefined || spec.failurePolicy === null) causes.push(required('spec.failurePolicy'));
  else if (!FAILURE_POLICIES.includes(str(spec.failurePolicy))) causes.push(notSupported('spec.failurePolicy', str(spec.failurePolicy), FAILURE_POLICIES));
  if (spec.paramKind !== undefined && spec.paramKind !== null) causes.push(...validateParamKind(obj(spec.paramKind), 'spec.paramKind'));
  if (spec.matchConstraints === undefined || spec.matchConstraints === null) causes.push(required('spec.matchConstraints'));
  else {
    causes.push(...validateMatchResources(spec.matchConstraints, 'spec.matchConstraints'));
    if (list(obj(spec.matchConstraints).resourceRules).length === 0) causes.push(required('spec.matchConstraints.resourceRules'));
  }
  causes.push(...validateMatchConditions(list(spec.matchConditions), 'spec.matchConditions'));
  list(spec.variables).forEach((x, i) => {
    const v = obj(x);
    const name = str(v.name);
    if (!name.trim()) causes.push(required(`spec.variables[${i}].name`, 'name is not specified'));
    else if (!isCELIdentifier(name)) causes.push(invalid(`spec.variables[${i}].name`, name, 'name is not a valid CEL identifier'));
    if (!str(v.expression).trim()) causes.push(required(`spec.variables[${i}].expression`, 'expression is not specified'));
  });
  const validations = list(spec.validations);
  const audits = list(spec.auditAnnotations);
  if (validations.length === 0 && audits.length === 0) {
    causes.push(required('spec.validations', 'validations or auditAnnotations must contain at least one item'));
    causes.push(required('spec.auditAnnotations', 'validations or auditAnnotations must contain at least one item'));
  } else {
    validations.forEach((v, i) => causes.push(...validateValidation(obj(v), `spec.validations[${i}]`)));
    causes.push(...validateAuditAnnotations(o, audits, 'spec.auditAnnotations'));
  }
  return causes;
}

function validateParamRef(value: unknown, path: string): Cause[] {
  if (value === undefined || value === null) return [];
  const pr = obj(value);
  const causes: Cause[] = [];
  const name = str(pr.name);
  const hasSelector = pr.selector !== undefined && pr.selector !== null;
  if (name) {
    for (const m of nameIsPathSegment(name, false)) causes.push(invalid(`${path}.name`, name, m));
    if (hasSelector) causes.push(forbidden(`${path}.name`, 'name and selector are mutually exclusive'));
  }
  if (hasSelector) {
    causes.push(...validateLabelSelector(pr.selector, `${path}.selector`));
    if (name) causes.push(forbidden(`${path}.selector`, 'name and selector are mutually exclusive'));
  }
  if (!name && !hasSelector) causes.push(required(path, 'one of name or selector must be specified'));
  const action = str(pr.parameterNotFoundAction);
  if (!action) causes.push(required(`${path}.parameterNotFoundAction`));
  else if (action !== 'Deny' && action !== 'Allow') causes.push(notSupported(`${path}.parameterNotFoundAction`, action, ['Deny', 'Allow']));
  return causes;
}

function validateValidationActions(actions: string[], path: string): Cause[] {
  const causes: Cause[] = [];
  const seen = new Set<string>();
  actions.forEach((a, i) => {
    if (!ACTIONS.includes(a)) causes.push(notSupported(`${path}[${i}]`, a, ACTIONS));
    if (seen.has(a)) causes.push(duplicate(`${path}[${i}]`, a));
    seen.add(a);
  });
  if (seen.has('Deny') && seen.has('Warn')) {
    causes.push(invalid(path, goTypedStrings('admissionregistration.ValidationAction', actions),
      'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)'));
  }
  if (seen.size === 0) causes.push(required(path, 'at least one validation action is required'));
  return causes;
}

export function validateValidatingAdmissionPolicyBinding(o: KObject): Cause[] {
  const spec = obj((o as Record<string, unknown>).spec);
  const causes: Cause[] = [];
  const policyName = str(spec.policyName);
  if (!policyName) causes.push(required('spec.policyName'));
  else for (const m of isDNS1123Subdomain(policyName)) causes.push(invalid('spec.policyName', policyName, m));
  causes.push(...validateParamRef(spec.paramRef, 'spec.paramRef'));
  // Kubernetes spells this path "matchResouces".
  causes.push(...validateMatchResources(spec.matchResources, 'spec.matchResouces'));
  causes.push(...validateValidationActions(list(spec.validationActions).map(str), 'spec.validationActions'));
  return causes;
}
