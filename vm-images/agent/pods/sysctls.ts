// A pod's sysctls (spec.securityContext.sysctls) as the kubelet handles them: its sysctl admission (pkg/kubelet/sysctl:
// only the safe set is allowed — no unsafe sysctl is allowlisted on Flotilla's nodes — and not one whose namespace the
// pod shares with the node), and the names and values given to the sandbox (CRI LinuxPodSandboxConfig.sysctls),
// which the runtime sets in the pod's namespaces.
import type { Pod } from '../../../main/api/types';
import { SAFE_SYSCTLS, normalizeSysctlName, sysctlNamespace } from '../../../main/api/sysctl';
import type { Rejection } from './admission';

/** The allowlist's verdict on one sysctl (validateSysctl), or undefined when it is allowed. */
function sysctlProblem(raw: string, hostNet: boolean, hostIPC: boolean): string | undefined {
  const name = normalizeSysctlName(raw);
  if (!SAFE_SYSCTLS.has(name)) return `${JSON.stringify(name)} not allowlisted`;
  const ns = sysctlNamespace(name);
  if (ns === 'ipc' && hostIPC) return `${JSON.stringify(name)} not allowed with host ipc enabled`;
  if (ns === 'net' && hostNet) return `${JSON.stringify(name)} not allowed with host net enabled`;
  return undefined;
}

/** The sysctl admission handler: reason SysctlForbidden, message "forbidden sysctl: …" for the first refused one. */
export function admitSysctls(pod: Pod): Rejection | undefined {
  const spec = pod.spec;
  for (const s of spec?.securityContext?.sysctls ?? []) {
    const problem = sysctlProblem(s.name, spec?.hostNetwork === true, spec?.hostIPC === true);
    if (problem) return { reason: 'SysctlForbidden', message: `forbidden sysctl: ${problem}` };
  }
  return undefined;
}

/**
 * The sandbox's sysctls, names in the dotted form (the kubelet's ConvertPodSysctlsVariableToDotsSeparator): the runtime
 * turns dots into the slashes of /proc/sys, so a slash written for a dot in a name (eno2.100) reaches it as a slash.
 */
export function sandboxSysctls(pod: Pod): Record<string, string> | undefined {
  const list = pod.spec?.securityContext?.sysctls ?? [];
  if (!list.length) return undefined;
  return Object.fromEntries(list.map((s) => [normalizeSysctlName(s.name), s.value]));
}
