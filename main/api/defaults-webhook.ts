// Defaults of admissionregistration.k8s.io/v1 webhook configurations (SetDefaults_ValidatingWebhook,
// SetDefaults_MutatingWebhook, SetDefaults_Rule, SetDefaults_ServiceReference).
import type { KObject } from './types';
import { asArray, asObj, setDefault } from './defaults-pod';

function defaultWebhook(hook: Record<string, unknown>, mutating: boolean): void {
  setDefault(hook, 'failurePolicy', 'Fail');
  setDefault(hook, 'matchPolicy', 'Equivalent');
  setDefault(hook, 'namespaceSelector', {});
  setDefault(hook, 'objectSelector', {});
  setDefault(hook, 'timeoutSeconds', 10);
  if (mutating) setDefault(hook, 'reinvocationPolicy', 'Never');
  for (const r of asArray(hook.rules)) {
    const rule = asObj(r);
    if (rule) setDefault(rule, 'scope', '*');
  }
  const service = asObj(asObj(hook.clientConfig)?.service);
  if (service) setDefault(service, 'port', 443);
}

export function defaultMutatingWebhookConfiguration(o: KObject): void {
  for (const h of asArray(o.webhooks)) {
    const hook = asObj(h);
    if (hook) defaultWebhook(hook, true);
  }
}

export function defaultValidatingWebhookConfiguration(o: KObject): void {
  for (const h of asArray(o.webhooks)) {
    const hook = asObj(h);
    if (hook) defaultWebhook(hook, false);
  }
}
