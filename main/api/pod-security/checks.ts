// The Pod Security Standards' checks (k8s.io/pod-security-admission/policy), as of the policy version this cluster
// serves as "latest" (1.30): each check's reason and detail are kube's words. Baseline checks first, then restricted
// ones, each group in the order of its IDs (the registry's order, so messages list violations as kube does); at the
// restricted level, restrictedVolumes, capabilities_restricted and seccompProfile_restricted replace their baseline
// counterparts. The deprecated seccomp and AppArmor annotations are not checked.
import type { Container, ObjectMeta, PodSpec } from '../types';
import { SAFE_SYSCTLS } from '../sysctl';
import { compareCodePoints } from '../string-order';

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

interface Violation { reason: string; detail: string }
type Check = (meta: ObjectMeta | undefined, spec: PodSpec) => Violation | undefined;

const joinQuote = (items: readonly string[]): string => (items.length ? `"${items.join('", "')}"` : '');
const pluralize = (singular: string, plural: string, n: number): string => (n === 1 ? singular : plural);
const containers = (names: readonly string[]): string => `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
/** Go's sets.String List(): sorted in Go's string order. */
const sortedSet = (s: Set<string>): string[] => [...s].sort(compareCodePoints);

/** visitContainers: init containers, containers, ephemeral containers. */
function allContainers(spec: PodSpec): Container[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...((spec.ephemeralContainers ?? []) as Container[])];
}
const isWindows = (spec: PodSpec): boolean => spec.os?.name === 'windows';

/** Who set a field badly: "pod", "containers "a", "b"", joined with " and ". */
function setters(pod: boolean, names: string[]): string[] {
  return [...(pod ? ['pod'] : []), ...(names.length ? [containers(names)] : [])];
}

/** RuntimeDefault and Localhost: the profile types (AppArmor, seccomp) both levels allow. */
const allowedProfile = (t: string | undefined): boolean => t === 'RuntimeDefault' || t === 'Localhost';

interface ProfileUse { podSet: boolean; podBad: boolean; explicit: string[]; implicit: string[]; values: Set<string> }

/**
 * Where a profile is set to a type other than RuntimeDefault or Localhost (`explicit`, the pod in `podBad`), its values,
 * and the containers that set none (`implicit`).
 */
function profileUse(spec: PodSpec, field: 'appArmorProfile' | 'seccompProfile'): ProfileUse {
  const values = new Set<string>();
  const pod = spec.securityContext?.[field];
  const podBad = pod !== undefined && !allowedProfile(pod.type);
  if (podBad) values.add(pod?.type ?? '');
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of allContainers(spec)) {
    const p = c.securityContext?.[field];
    if (!p) implicit.push(c.name);
    else if (!allowedProfile(p.type)) { explicit.push(c.name); values.add(p.type); }
  }
  return { podSet: pod !== undefined && !podBad, podBad, explicit, implicit, values };
}

const appArmorProfile: Check = (_meta, spec) => {
  const use = profileUse(spec, 'appArmorProfile');
  const who = setters(use.podBad, use.explicit);
  if (!who.length) return undefined;
  const values = sortedSet(use.values);
  return {
    reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', values.length),
    detail: `${who.join(' and ')} must not set AppArmor profile type to ${joinQuote(values)}`,
  };
};

const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP',
  'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

const capabilitiesBaseline: Check = (_meta, spec) => {
  const names: string[] = [];
  const extra = new Set<string>();
  for (const c of allContainers(spec)) {
    const added = (c.securityContext?.capabilities?.add ?? []).filter((cap) => !BASELINE_CAPABILITIES.has(cap));
    if (added.length) { names.push(c.name); for (const cap of added) extra.add(cap); }
  }
  if (!names.length) return undefined;
  return { reason: 'non-default capabilities', detail: `${containers(names)} must not include ${joinQuote(sortedSet(extra))} in securityContext.capabilities.add` };
};

const hostNamespaces: Check = (_meta, spec) => {
  const used = [spec.hostNetwork && 'hostNetwork=true', spec.hostPID && 'hostPID=true', spec.hostIPC && 'hostIPC=true'].filter((x): x is string => !!x);
  return used.length ? { reason: 'host namespaces', detail: used.join(', ') } : undefined;
};

const hostPathVolumes: Check = (_meta, spec) => {
  const names = (spec.volumes ?? []).filter((v) => v.hostPath).map((v) => v.name);
  return names.length ? { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}` } : undefined;
};

const hostPorts: Check = (_meta, spec) => {
  const names: string[] = [];
  const ports = new Set<string>();
  for (const c of allContainers(spec)) {
    const used = (c.ports ?? []).filter((p) => p.hostPort);
    if (used.length) { names.push(c.name); for (const p of used) ports.add(String(p.hostPort)); }
  }
  if (!names.length) return undefined;
  const list = sortedSet(ports);
  return {
    reason: 'hostPort',
    detail: `${containers(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}`,
  };
};

const privileged: Check = (_meta, spec) => {
  const names = allContainers(spec).filter((c) => c.securityContext?.privileged === true).map((c) => c.name);
  return names.length ? { reason: 'privileged', detail: `${containers(names)} must not set securityContext.privileged=true` } : undefined;
};

const procMount: Check = (_meta, spec) => {
  const names: string[] = [];
  const types = new Set<string>();
  for (const c of allContainers(spec)) {
    const t = c.securityContext?.procMount;
    if (t !== undefined && t !== 'Default') { names.push(c.name); types.add(t); }
  }
  return names.length ? { reason: 'procMount', detail: `${containers(names)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}` } : undefined;
};

const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);

const seLinuxOptions: Check = (_meta, spec) => {
  const badTypes = new Set<string>();
  let setUser = false;
  let setRole = false;
  const valid = (o: { type?: string; user?: string; role?: string }): boolean => {
    let ok = true;
    if (!SELINUX_TYPES.has(o.type ?? '')) { ok = false; badTypes.add(o.type ?? ''); }
    if (o.user) { ok = false; setUser = true; }
    if (o.role) { ok = false; setRole = true; }
    return ok;
  };
  const podOpts = spec.securityContext?.seLinuxOptions;
  const podBad = podOpts !== undefined && !valid(podOpts);
  const names = allContainers(spec)
    .filter((c) => c.securityContext?.seLinuxOptions !== undefined && !valid(c.securityContext.seLinuxOptions)).map((c) => c.name);
  const who = setters(podBad, names);
  if (!who.length) return undefined;
  const data = [
    ...(badTypes.size ? [`${pluralize('type', 'types', badTypes.size)} ${joinQuote(sortedSet(badTypes))}`] : []),
    ...(setUser ? ['user may not be set'] : []),
    ...(setRole ? ['role may not be set'] : []),
  ];
  return { reason: 'seLinuxOptions', detail: `${who.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}` };
};

/** Pod or containers that set seccompProfile.type to a forbidden value (both levels' first verdict). */
function badSeccomp(use: ProfileUse): Violation | undefined {
  const who = setters(use.podBad, use.explicit);
  if (!who.length) return undefined;
  return { reason: 'seccompProfile', detail: `${who.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(use.values))}` };
}

const seccompProfileBaseline: Check = (_meta, spec) => badSeccomp(profileUse(spec, 'seccompProfile'));

const sysctls: Check = (_meta, spec) => {
  const bad = (spec.securityContext?.sysctls ?? []).map((s) => s.name).filter((n) => !SAFE_SYSCTLS.has(n)); // as written: a slash spelling is not in the set
  return bad.length ? { reason: 'forbidden sysctls', detail: bad.join(', ') } : undefined;
};

const windowsHostProcess: Check = (_meta, spec) => {
  const podHost = spec.securityContext?.windowsOptions?.hostProcess === true;
  const names = allContainers(spec).filter((c) => c.securityContext?.windowsOptions?.hostProcess === true).map((c) => c.name);
  const who = setters(podHost, names);
  return who.length ? { reason: 'hostProcess', detail: `${who.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true` } : undefined;
};

const allowPrivilegeEscalation: Check = (_meta, spec) => {
  if (isWindows(spec)) return undefined;
  const names = allContainers(spec).filter((c) => c.securityContext?.allowPrivilegeEscalation !== false).map((c) => c.name);
  return names.length ? { reason: 'allowPrivilegeEscalation != false', detail: `${containers(names)} must set securityContext.allowPrivilegeEscalation=false` } : undefined;
};

const capabilitiesRestricted: Check = (_meta, spec) => {
  if (isWindows(spec)) return undefined;
  const missingDrop: string[] = [];
  const adding: string[] = [];
  const forbidden = new Set<string>();
  for (const c of allContainers(spec)) {
    const caps = c.securityContext?.capabilities;
    if (!caps) { missingDrop.push(c.name); continue; }
    if (!(caps.drop ?? []).includes('ALL')) missingDrop.push(c.name);
    const added = (caps.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (added.length) { adding.push(c.name); for (const cap of added) forbidden.add(cap); }
  }
  const details = [
    ...(missingDrop.length ? [`${containers(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`] : []),
    ...(adding.length ? [`${containers(adding)} must not include ${joinQuote(sortedSet(forbidden))} in securityContext.capabilities.add`] : []),
  ];
  return details.length ? { reason: 'unrestricted capabilities', detail: details.join('; ') } : undefined;
};

const ALLOWED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];
const KNOWN_VOLUMES = ['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder',
  'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos'];

const restrictedVolumes: Check = (_meta, spec) => {
  const names: string[] = [];
  const types = new Set<string>();
  for (const v of spec.volumes ?? []) {
    const raw = v as unknown as Record<string, unknown>;
    if (ALLOWED_VOLUMES.some((k) => raw[k] !== undefined && raw[k] !== null)) continue;
    names.push(v.name);
    types.add(KNOWN_VOLUMES.find((k) => raw[k] !== undefined && raw[k] !== null) ?? 'unknown');
  }
  if (!names.length) return undefined;
  const list = sortedSet(types);
  return {
    reason: 'restricted volume types',
    detail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)} ${pluralize('uses', 'use', names.length)} `
      + `${pluralize('restricted volume type', 'restricted volume types', list.length)} ${joinQuote(list)}`,
  };
};

const runAsNonRoot: Check = (_meta, spec) => {
  const podSetting = spec.securityContext?.runAsNonRoot;
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of allContainers(spec)) {
    const v = c.securityContext?.runAsNonRoot;
    if (v !== undefined && v !== null) { if (!v) explicit.push(c.name); } else if (podSetting !== true) implicit.push(c.name);
  }
  const who = setters(podSetting === false, explicit);
  if (who.length) return { reason: 'runAsNonRoot != true', detail: `${who.join(' and ')} must not set securityContext.runAsNonRoot=false` };
  if (implicit.length) return { reason: 'runAsNonRoot != true', detail: `pod or ${containers(implicit)} must set securityContext.runAsNonRoot=true` };
  return undefined;
};

const runAsUser: Check = (_meta, spec) => {
  const names = allContainers(spec).filter((c) => c.securityContext?.runAsUser === 0).map((c) => c.name);
  const who = setters(spec.securityContext?.runAsUser === 0, names);
  return who.length ? { reason: 'runAsUser=0', detail: `${who.join(' and ')} must not set runAsUser=0` } : undefined;
};

const seccompProfileRestricted: Check = (_meta, spec) => {
  if (isWindows(spec)) return undefined;
  const use = profileUse(spec, 'seccompProfile');
  const bad = badSeccomp(use);
  if (bad) return bad;
  if (!use.podSet && use.implicit.length) {
    return { reason: 'seccompProfile', detail: `pod or ${containers(use.implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"` };
  }
  return undefined;
};

/** Baseline checks by ID, in ID order (Go's string order); OVERRIDDEN_AT_RESTRICTED names those a restricted check replaces. */
const BASELINE: ReadonlyArray<[string, Check]> = [
  ['appArmorProfile', appArmorProfile], ['capabilities_baseline', capabilitiesBaseline], ['hostNamespaces', hostNamespaces],
  ['hostPathVolumes', hostPathVolumes], ['hostPorts', hostPorts], ['privileged', privileged], ['procMount', procMount],
  ['seLinuxOptions', seLinuxOptions], ['seccompProfile_baseline', seccompProfileBaseline], ['sysctls', sysctls], ['windowsHostProcess', windowsHostProcess],
];
const RESTRICTED: ReadonlyArray<[string, Check]> = [
  ['allowPrivilegeEscalation', allowPrivilegeEscalation], ['capabilities_restricted', capabilitiesRestricted], ['restrictedVolumes', restrictedVolumes],
  ['runAsNonRoot', runAsNonRoot], ['runAsUser', runAsUser], ['seccompProfile_restricted', seccompProfileRestricted],
];
const OVERRIDDEN_AT_RESTRICTED = new Set(['capabilities_baseline', 'hostPathVolumes', 'seccompProfile_baseline']);

/** EvaluatePod: the pod's violations of the level, in the checks' order. */
function evaluate(level: PodSecurityLevel, meta: ObjectMeta | undefined, spec: PodSpec | undefined): Violation[] {
  if (level === 'privileged' || !spec) return [];
  const checks = level === 'baseline' ? BASELINE : [...BASELINE.filter(([id]) => !OVERRIDDEN_AT_RESTRICTED.has(id)), ...RESTRICTED];
  return checks.map(([, check]) => check(meta, spec)).filter((v): v is Violation => v !== undefined);
}

/**
 * AggregateCheckResults' ForbiddenDetail: undefined when the pod meets the level, else its violations as kube writes
 * them: `reason (detail), reason (detail)`.
 */
export function podSecurityViolations(level: PodSecurityLevel, meta: ObjectMeta | undefined, spec: PodSpec | undefined): string | undefined {
  const found = evaluate(level, meta, spec);
  return found.length ? found.map((v) => (v.detail ? `${v.reason} (${v.detail})` : v.reason)).join(', ') : undefined;
}

/** ForbiddenReason: the violations' reasons alone (`host namespaces, privileged`), or undefined. */
export function podSecurityReasons(level: PodSecurityLevel, meta: ObjectMeta | undefined, spec: PodSpec | undefined): string | undefined {
  const found = evaluate(level, meta, spec);
  return found.length ? found.map((v) => v.reason).join(', ') : undefined;
}
