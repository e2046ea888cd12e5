// The PodSecurity admission plugin (k8s.io/pod-security-admission/admission), validating: a pod (or its ephemeral
// containers) that breaks its namespace's enforce level is refused — 403 `pods "x" is forbidden: violates PodSecurity
// "restricted:latest": …` — and one that breaks the warn level is admitted with the warning `would violate PodSecurity
// "…": …`; a workload's pod template (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController,
// PodTemplate) only gets the warning. A pod update is checked only when it changes something the policy looks at that
// may change (an image, the containers, the seccomp annotations: the rest of a pod's spec is immutable). A namespace's
// pod-security labels must be valid when it is created and whenever they change. No exemptions are configured.
// Audit annotations are not recorded (there is no audit log).
import type { KObject, ObjectMeta, Pod, PodSpec } from '../../../api/types';
import { resourceFor, type ResourceInfo } from '../../../api/resources';
import { invalid } from '../../../api/validation/cause';
import { podSecurityViolations } from '../../../api/pod-security/checks';
import { levelVersionText, podSecurityPolicy, type LabelError } from '../../../api/pod-security/policy';
import { errors } from '../../status';
import { throwIfInvalid } from '../body';
import type { ObjectReader } from '../strategy';

const NAMESPACES = resourceFor('', 'v1', 'namespaces')!;

/** The pod template of a pod controller, by group/resource. */
const TEMPLATES: Readonly<Record<string, (o: Record<string, unknown>) => unknown>> = {
  'apps/deployments': (o) => spec(o)?.template,
  'apps/replicasets': (o) => spec(o)?.template,
  'apps/statefulsets': (o) => spec(o)?.template,
  'apps/daemonsets': (o) => spec(o)?.template,
  'batch/jobs': (o) => spec(o)?.template,
  'batch/cronjobs': (o) => spec(spec(o)?.jobTemplate as Record<string, unknown> | undefined)?.template,
  '/replicationcontrollers': (o) => spec(o)?.template,
  '/podtemplates': (o) => o.template,
};

function spec(o: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const s = o?.spec;
  return s && typeof s === 'object' ? (s as Record<string, unknown>) : undefined;
}

const SECCOMP_POD = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER = 'container.seccomp.security.alpha.kubernetes.io/';

/** isSignificantPodUpdate: what the policy looks at and a pod update may still change. */
function significantPodUpdate(pod: Pod, old: Pod): boolean {
  const a = pod.metadata?.annotations ?? {};
  const b = old.metadata?.annotations ?? {};
  if (a[SECCOMP_POD] !== b[SECCOMP_POD]) return true;
  type Named = Array<{ name: string; image?: string }>;
  const lists = (p: Pod): Named[] => [p.spec?.containers ?? [], p.spec?.initContainers ?? [], p.spec?.ephemeralContainers ?? []];
  const now = lists(pod);
  const before = lists(old);
  return now.some((list, i) => list.length !== before[i].length
    || list.some((c, j) => c.image !== before[i][j].image || a[SECCOMP_CONTAINER + c.name] !== b[SECCOMP_CONTAINER + before[i][j].name]));
}

function labelCauses(errs: LabelError[]) {
  return errs.map((e) => invalid(`metadata.labels[${e.label}]`, e.value, e.message));
}

/** Validates a namespace's pod-security labels (ValidateNamespace). */
function admitNamespace(r: ResourceInfo, obj: KObject, old: KObject | undefined): void {
  const { errors: now } = podSecurityPolicy(obj.metadata?.labels);
  if (!now.length) return;
  if (old) {
    const before = podSecurityPolicy(old.metadata?.labels).errors;
    if (before.length && JSON.stringify(before) === JSON.stringify(now)) return;
  }
  throwIfInvalid(r, obj, labelCauses(now));
}

/**
 * The plugin on a create or update of `obj` (`old` for an update; `subresource` as written): throws the enforce level's
 * refusal for a pod, returns the warn level's warnings.
 */
export function admitPodSecurity(reader: ObjectReader, r: ResourceInfo, obj: KObject, old: KObject | undefined, subresource: string | undefined): string[] {
  if (r.group === '' && r.plural === 'namespaces') {
    if (!subresource) admitNamespace(r, obj, old);
    return [];
  }
  const isPod = r.group === '' && r.plural === 'pods';
  const template = isPod ? undefined : TEMPLATES[`${r.group}/${r.plural}`];
  if (!isPod && !template) return [];
  if (isPod ? subresource !== undefined && subresource !== '' && subresource !== 'ephemeralcontainers' : !!subresource) return [];
  const ns = obj.metadata?.namespace ?? '';
  const { policy } = podSecurityPolicy(reader.tryGet(NAMESPACES, undefined, ns)?.metadata?.labels);
  if (policy.enforce.level === 'privileged' && policy.warn.level === 'privileged') return [];
  let meta: ObjectMeta | undefined;
  let podSpec: PodSpec | undefined;
  if (isPod) {
    if (old && !significantPodUpdate(obj as Pod, old as Pod)) return [];
    meta = obj.metadata;
    podSpec = (obj as Pod).spec;
  } else {
    const t = template?.(obj) as { metadata?: ObjectMeta; spec?: PodSpec } | undefined;
    if (!t) return [];
    meta = t.metadata;
    podSpec = t.spec;
  }
  if (isPod) {
    const denied = podSecurityViolations(policy.enforce.level, meta, podSpec);
    if (denied) throw errors.forbidden('', 'pods', obj.metadata?.name ?? '', `violates PodSecurity "${levelVersionText(policy.enforce)}": ${denied}`);
  }
  const warned = podSecurityViolations(policy.warn.level, meta, podSpec);
  return warned ? [`would violate PodSecurity "${levelVersionText(policy.warn)}": ${warned}`] : [];
}
