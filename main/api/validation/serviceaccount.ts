// ServiceAccount validation (ValidateServiceAccount): the name is a DNS subdomain (metadata); the
// secrets and imagePullSecrets lists are references by name.
import type { KObject } from '../types';
import type { Cause } from './cause';
import { checkType } from './read';

export function validateServiceAccount(sa: KObject): Cause[] {
  const causes: Cause[] = [];
  checkType(causes, 'secrets', sa.secrets, 'array');
  checkType(causes, 'imagePullSecrets', sa.imagePullSecrets, 'array');
  checkType(causes, 'automountServiceAccountToken', sa.automountServiceAccountToken, 'boolean');
  return causes;
}
