// apiregistration.k8s.io/v1 APIService validation (kube-aggregator's ValidateAPIService and its status rules).
import type { APIServiceSpec, KObject } from '../types';
import { apiServiceNameOf } from '../apiservices';
import type { Cause } from './cause';
import { invalid, notSupported, required } from './cause';
import { isDNS1035Label, isDNS1123Subdomain, isValidPortNum } from './names';
import { nameIsPathSegment } from './rbac';
import { isSet, list, num, obj, str, wire } from './read';

/** Bytes a base64 caBundle decodes to (what kube-aggregator's message counts). */
function decodedLength(b64: string): number {
  const body = b64.replace(/=+$/, '');
  return Math.floor((body.length * 3) / 4);
}

export function validateAPIService(o: KObject): Cause[] {
  const causes: Cause[] = [];
  const s = wire<APIServiceSpec>(o.spec);
  const group = str(s.group);
  const version = str(s.version);
  const name = o.metadata?.name;
  const requiredName = apiServiceNameOf(group, version);
  // ValidateObjectMeta's name function: after the path-segment rules (the resource's name function), the name itself.
  if (name && nameIsPathSegment(name, false).length === 0 && name !== requiredName) {
    causes.push(invalid('metadata.name', name, `must be \`spec.version+"."+spec.group\`: ${JSON.stringify(requiredName)}`));
  }
  if (!group && version !== 'v1') causes.push(required('spec.group', 'only v1 may have an empty group and it better be legacy kube'));
  if (group) for (const m of isDNS1123Subdomain(group)) causes.push(invalid('spec.group', group, m));
  for (const m of isDNS1035Label(version)) causes.push(invalid('spec.version', version, m));
  const gpm = num(s.groupPriorityMinimum) ?? 0;
  if (gpm <= 0 || gpm > 20000) causes.push(invalid('spec.groupPriorityMinimum', gpm, 'must be positive and less than 20000'));
  const vp = num(s.versionPriority) ?? 0;
  if (vp <= 0 || vp > 1000) causes.push(invalid('spec.versionPriority', vp, 'must be positive and less than 1000'));
  const caBundle = str(s.caBundle);
  const insecure = s.insecureSkipTLSVerify === true;
  if (!isSet(s.service)) {
    if (caBundle) causes.push(invalid('spec.caBundle', `${decodedLength(caBundle)} bytes`, 'local APIServices may not have a caBundle'));
    if (insecure) causes.push(invalid('spec.insecureSkipTLSVerify', true, 'local APIServices may not have insecureSkipTLSVerify'));
    return causes;
  }
  const svc = obj(s.service);
  if (!str(svc.namespace)) causes.push(required('spec.service.namespace'));
  if (!str(svc.name)) causes.push(required('spec.service.name'));
  const port = num(svc.port) ?? 0;
  const portErrors = isValidPortNum(port);
  if (portErrors.length) causes.push(invalid('spec.service.port', port, `port is not valid: ${portErrors.join(', ')}`));
  if (insecure && caBundle) causes.push(invalid('spec.insecureSkipTLSVerify', true, 'may not be true if caBundle is present'));
  return causes;
}

const CONDITION_STATUSES = ['True', 'False', 'Unknown'];

/** ValidateAPIServiceStatus: each condition's status one of True, False, Unknown. */
export function validateAPIServiceStatus(o: KObject): Cause[] {
  const causes: Cause[] = [];
  list(obj(o.status).conditions).forEach((c, i) => {
    const status = obj(c).status;
    if (!CONDITION_STATUSES.includes(str(status))) causes.push(notSupported(`status.conditions[${i}].status`, status ?? '', CONDITION_STATUSES));
  });
  return causes;
}
