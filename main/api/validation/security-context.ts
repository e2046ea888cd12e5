// Container and pod security contexts (ValidateSecurityContext, validatePodSpecSecurityContext): user and
// group IDs in range, and no privilege escalation switched off for a privileged container or CAP_SYS_ADMIN.
import type { Cause } from './cause';
import { duplicate, invalid, required } from './cause';
import { sysctlNamespace } from '../sysctl';
import { GoRepr } from './gofmt';
import { inclusiveRangeError } from './names';
import { isObj, list, obj } from './read';

const MAX_ID = 2147483647;
const idErrors = (v: unknown): string[] => (typeof v === 'number' && (v < 0 || v > MAX_ID) ? [inclusiveRangeError(0, MAX_ID)] : []);

/** The Go struct fields of core.SecurityContext in declaration order, with their pointer types. */
const FIELDS: Array<[string, string, string]> = [
  ['Capabilities', 'capabilities', '*core.Capabilities'], ['Privileged', 'privileged', '*bool'],
  ['SELinuxOptions', 'seLinuxOptions', '*core.SELinuxOptions'], ['WindowsOptions', 'windowsOptions', '*core.WindowsSecurityContextOptions'],
  ['RunAsUser', 'runAsUser', '*int64'], ['RunAsGroup', 'runAsGroup', '*int64'], ['RunAsNonRoot', 'runAsNonRoot', '*bool'],
  ['ReadOnlyRootFilesystem', 'readOnlyRootFilesystem', '*bool'], ['AllowPrivilegeEscalation', 'allowPrivilegeEscalation', '*bool'],
  ['ProcMount', 'procMount', '*core.ProcMountType'], ['SeccompProfile', 'seccompProfile', '*core.SeccompProfile'],
  ['AppArmorProfile', 'appArmorProfile', '*core.AppArmorProfile'],
];

/** %#v of a *core.SecurityContext as the API server prints it (pointers as addresses, which differ on every request there too). */
function goSecurityContext(sc: Record<string, unknown>): GoRepr {
  let addr = 0xc000010000;
  const parts = FIELDS.map(([goName, jsonName, type]) => {
    const set = sc[jsonName] !== undefined && sc[jsonName] !== null;
    return `${goName}:(${type})(${set ? `0x${(addr += 8).toString(16)}` : 'nil'})`;
  });
  return new GoRepr(`core.SecurityContext{${parts.join(', ')}}`);
}

export function validateSecurityContext(raw: unknown, path: string): Cause[] {
  if (!isObj(raw)) return [];
  const sc = raw;
  const causes: Cause[] = [];
  for (const f of ['runAsUser', 'runAsGroup']) for (const m of idErrors(sc[f])) causes.push(invalid(`${path}.${f}`, sc[f], m));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) causes.push(invalid(path, goSecurityContext(sc), 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    for (const cap of list(obj(sc.capabilities).add)) {
      if (cap === 'CAP_SYS_ADMIN') causes.push(invalid(path, goSecurityContext(sc), 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  return causes;
}

/** The pod's security context; shareProcessNamespace and hostPID are spec fields in v1, under it in the internal API (and its paths). */
export function validatePodSecurityContext(spec: Record<string, unknown>, path: string): Cause[] {
  const raw = obj(spec.securityContext);
  const causes: Cause[] = [];
  for (const f of ['fsGroup', 'runAsUser', 'runAsGroup']) for (const m of idErrors(raw[f])) causes.push(invalid(`${path}.${f}`, raw[f], m));
  list(raw.supplementalGroups).forEach((g, i) => { for (const m of idErrors(g)) causes.push(invalid(`${path}.supplementalGroups[${i}]`, g, m)); });
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    causes.push(invalid(`${path}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  causes.push(...validateSysctls(list(raw.sysctls), spec, `${path}.sysctls`));
  return causes;
}

/** IsValidSysctlName's pattern, printed as Go prints the regexp in the message. */
const SYSCTL_NAME = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;
const SYSCTL_NAME_TEXT = String.raw`^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$`;
const SYSCTL_MAX_LENGTH = 253;

/**
 * validateSysctls: each name given, valid and not repeated; a network sysctl not with hostNetwork, an IPC one not with
 * hostIPC (ValidateHostSysctl: the pod would set the node's own).
 */
function validateSysctls(sysctls: unknown[], spec: Record<string, unknown>, path: string): Cause[] {
  const causes: Cause[] = [];
  const seen = new Set<string>();
  sysctls.forEach((raw, i) => {
    const name = obj(raw).name;
    const at = `${path}[${i}].name`;
    if (typeof name !== 'string' || name === '') causes.push(required(at));
    else if (name.length > SYSCTL_MAX_LENGTH || !SYSCTL_NAME.test(name)) {
      causes.push(invalid(at, name, `must have at most ${SYSCTL_MAX_LENGTH} characters and match regex ${SYSCTL_NAME_TEXT}`));
    } else if (seen.has(name)) causes.push(duplicate(at, name));
    if (typeof name === 'string' && name !== '') {
      const ns = sysctlNamespace(name);
      if (spec.hostNetwork === true && ns === 'net') causes.push(invalid(at, name, "may not be specified when 'hostNetwork' is true"));
      else if (spec.hostIPC === true && ns === 'ipc') causes.push(invalid(at, name, "may not be specified when 'hostIPC' is true"));
      seen.add(name);
    }
  });
  return causes;
}
