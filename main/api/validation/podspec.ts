// PodSpec and PodTemplateSpec validation (ValidatePodSpec, ValidatePodTemplateSpec).
import { validateLabels } from '../labels';
import type { Cause } from './cause';
import { duplicate, forbidden, invalid, notSupported, required } from './cause';
import { dns1123Label, validateContainer, validateContainerImage, validateContainerProbes } from './container';
import { validateLifecycle } from './lifecycle';
import { validateAffinity } from './affinity';
import { validateTopologySpreadConstraints } from './topology-spread';
import { validateSchedulingGates } from './scheduling-gates';
import { validatePodSecurityContext } from './security-context';
import { validateEphemeralContainers } from './ephemeral';
import { validateVolumeMounts, validateVolumes } from './pod-volumes';
import { validateAnnotations } from './meta';
import { inclusiveRangeError, isQualifiedName, isValidLabelValue } from './names';
import type { JsonType } from './read';
import { checkType, isSet, list, obj, str, strMap } from './read';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
function validateTolerations(tolerations: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  list(tolerations).forEach((raw, i) => {
    const t = obj(raw);
    const p = `${path}[${i}]`;
    const key = str(t.key);
    const op = str(t.operator);
    const effect = str(t.effect);
    if (key) for (const m of isQualifiedName(key)) causes.push(invalid(`${p}.key`, key, m));
    if (!key && op !== 'Exists') {
      causes.push(invalid(`${p}.operator`, op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== 'NoExecute') {
      causes.push(invalid(`${p}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (op === 'Equal' || op === '') {
      const errs = isValidLabelValue(str(t.value));
      if (errs.length) causes.push(invalid(`${p}.operator`, str(t.value), errs.join(';')));
    } else if (op === 'Exists') {
      if (str(t.value)) causes.push(invalid(`${p}.operator`, str(t.value), "value must be empty when `operator` is 'Exists'"));
    } else {
      causes.push(notSupported(`${p}.operator`, op, ['Equal', 'Exists']));
    }
    if (effect && !TAINT_EFFECTS.includes(effect)) causes.push(notSupported(`${p}.effect`, effect, TAINT_EFFECTS));
  });
  return causes;
}

/** The JSON types of the spec fields whose contents are read below. */
const SPEC_FIELD_TYPES: ReadonlyArray<readonly [string, JsonType]> = [
  ['containers', 'array'], ['initContainers', 'array'], ['ephemeralContainers', 'array'], ['volumes', 'array'], ['nodeSelector', 'object'],
  ['tolerations', 'array'], ['nodeName', 'string'], ['hostNetwork', 'boolean'], ['affinity', 'object'], ['topologySpreadConstraints', 'array'],
];
const INIT_ONLY_FOR_SIDECARS = ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'];

/**
 * validateInitContainers: restartPolicy may only be Always (a sidecar), which allows lifecycle hooks and
 * probes; a plain init container may have neither.
 */
function validateInitContainerExtras(raw: unknown, grace: number | undefined, path: string): Cause[] {
  const c = obj(raw);
  const causes: Cause[] = [];
  if (isSet(c.restartPolicy) && c.restartPolicy !== 'Always') causes.push(notSupported(`${path}.restartPolicy`, c.restartPolicy, ['Always']));
  if (c.restartPolicy === 'Always') {
    causes.push(...validateLifecycle(c.lifecycle, grace, `${path}.lifecycle`), ...validateContainerProbes(c, path));
  } else {
    for (const f of INIT_ONLY_FOR_SIDECARS) {
      if (isSet(c[f])) causes.push(forbidden(`${path}.${f}`, 'may not be set for init containers without restartPolicy=Always'));
    }
  }
  return causes;
}

export function validatePodSpec(specIn: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  const spec = obj(specIn);
  for (const [k, t] of SPEC_FIELD_TYPES) checkType(causes, `${path}.${k}`, spec[k], t);
  const volumes = validateVolumes(spec.volumes, `${path}.volumes`);
  causes.push(...volumes.causes);

  const grace = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : undefined;
  const containers = list(spec.containers);
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = `${path}.containers[${i}]`;
    causes.push(...validateContainer(c, p), ...validateVolumeMounts(c, volumes.names, `${p}.volumeMounts`));
    const name = str(obj(c).name);
    if (name && names.has(name)) causes.push(duplicate(`${p}.name`, name));
    names.add(name);
    causes.push(...validateContainerImage(c, p), ...validateLifecycle(obj(c).lifecycle, grace, `${p}.lifecycle`), ...validateContainerProbes(c, p));
    if (isSet(obj(c).restartPolicy)) causes.push(forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  });
  if (containers.length === 0) causes.push(required(`${path}.containers`));
  list(spec.initContainers).forEach((c, i) => {
    const p = `${path}.initContainers[${i}]`;
    causes.push(...validateContainer(c, p), ...validateVolumeMounts(c, volumes.names, `${p}.volumeMounts`));
    const name = str(obj(c).name);
    if (name && names.has(name)) causes.push(duplicate(`${p}.name`, name));
    names.add(name);
    if (!str(obj(c).image)) causes.push(required(`${p}.image`));
    causes.push(...validateInitContainerExtras(c, grace, p));
  });
  causes.push(...validateEphemeralContainers(spec, `${path}.ephemeralContainers`));

  const restart = str(spec.restartPolicy);
  if (restart && !RESTART_POLICIES.includes(restart)) causes.push(notSupported(`${path}.restartPolicy`, restart, RESTART_POLICIES));
  const dns = str(spec.dnsPolicy);
  if (dns && !DNS_POLICIES.includes(dns)) causes.push(notSupported(`${path}.dnsPolicy`, dns, DNS_POLICIES));
  causes.push(...validateLabels(strMap(spec.nodeSelector), `${path}.nodeSelector`));
  for (const f of ['hostname', 'subdomain']) {
    if (str(spec[f])) causes.push(...dns1123Label(str(spec[f]), `${path}.${f}`));
  }
  causes.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  causes.push(...validatePodSecurityContext(spec, `${path}.securityContext`));
  causes.push(...validateAffinity(spec.affinity, `${path}.affinity`));
  causes.push(...validateTopologySpreadConstraints(spec.topologySpreadConstraints, `${path}.topologySpreadConstraints`));
  causes.push(...validateSchedulingGates(spec.schedulingGates, `${path}.schedulingGates`));
  if (typeof spec.activeDeadlineSeconds === 'number') {
    const v = spec.activeDeadlineSeconds;
    if (v < 1 || v > 4294967295) causes.push(invalid(`${path}.activeDeadlineSeconds`, v, inclusiveRangeError(1, 4294967295)));
  }
  if (typeof spec.terminationGracePeriodSeconds === 'number' && !Number.isInteger(spec.terminationGracePeriodSeconds)) {
    causes.push(invalid(`${path}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds, 'must be an integer'));
  }
  return causes;
}

/** ValidatePodTemplateSpec: note that Kubernetes reports template labels under `<path>.labels`. */
export function validatePodTemplate(tplIn: unknown, path: string): Cause[] {
  const tpl = obj(tplIn);
  const meta = obj(tpl.metadata);
  return [
    ...validateLabels(strMap(meta.labels), `${path}.labels`),
    ...validateAnnotations(strMap(meta.annotations), `${path}.annotations`),
    ...validatePodSpec(tpl.spec, `${path}.spec`),
  ];
}
