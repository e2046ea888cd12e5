// The PodSecurity admission plugin (k8s.io/pod-security-admission/admission), validating: a pod (or its ephemeral
// containers) that breaks its namespace's enforce level is refused — 403 `pods "x" is forbidden: violates PodSecurity
// "restricted:latest": …` — and one that breaks the warn level is admitted with the warning `would violate PodSecurity
// "…": …`; a workload's pod template (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController,
// PodTemplate) only gets the warning. A pod update is checked only when it changes something the policy looks at that
// may change (an image, the containers, the seccomp annotations: the rest of a pod's spec is immutable). A namespace's
// pod-security labels must be valid when it is created and whenever they change, and a stricter enforce level warns
// about the namespace's pods that break it. No exemptions are configured.
// Audit annotations are not recorded (there is no audit log).
import type { KObject, ObjectMeta, Pod, PodSpec } from '../../../api/types';
import { resourceFor, type ResourceInfo } from '../../../api/resources';
import { invalid } from '../../../api/validation/cause';
import { podSecurityReasons, podSecurityViolations } from '../../../api/pod-security/checks';
import { levelVersionText, podSecurityPolicy, strictness, type LabelError, type LevelVersion } from '../../../api/pod-security/policy';
import { compareCodePoints } from '../../../api/string-order';
import { errors } from '../../status';
import { throwIfInvalid } from '../body';
import type { ObjectReader } from '../strategy';

const NAMESPACES = resourceFor('', 'v1', 'namespaces')!;
const PODS = resourceFor('', 'v1', 'pods')!;

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

/** namespaceMaxPodsToCheck: a new enforce level is tried against at most this many of the namespace's pods. */
const MAX_PODS_TO_CHECK = 3000;

/**
 * EvaluatePodsInNamespace: the warnings a stricter enforce level gives about the namespace's pods already there, one
 * per distinct set of reasons, naming the first pod by name and how many others (`web-1 (and 2 other pods): privileged`).
 */
function existingPodWarnings(reader: ObjectReader, namespace: string, enforce: LevelVersion): string[] {
  const pods = reader.list(PODS, namespace).items as unknown as Pod[];
  const checked = pods.slice(0, MAX_PODS_TO_CHECK);
  const byReasons = new Map<string, { first: string; count: number }>();
  for (const p of checked) {
    const reasons = podSecurityReasons(enforce.level, p.metadata, p.spec);
    if (!reasons) continue;
    const name = p.metadata?.name ?? '';
    const seen = byReasons.get(reasons);
    if (!seen) byReasons.set(reasons, { first: name, count: 1 });
    else { seen.count++; if (compareCodePoints(name, seen.first) < 0) seen.first = name; }
  }
  const warnings: string[] = [];
  if (checked.length < pods.length) warnings.push(`new PodSecurity enforce level only checked against the first ${checked.length} of ${pods.length} existing pods`);
  if (byReasons.size) warnings.push(`existing pods in namespace ${JSON.stringify(namespace)} violate the new PodSecurity enforce level ${JSON.stringify(levelVersionText(enforce))}`);
  const decorated = [...byReasons].map(([reasons, { first, count }]) =>
    (count === 1 ? `${first}: ${reasons}` : `${first} (and ${count - 1} other ${count === 2 ? 'pod' : 'pods'}): ${reasons}`));
  return [...warnings, ...decorated.sort(compareCodePoints)];
}

/**
 * ValidateNamespace: the pod-security labels valid on create and whenever they change; a stricter enforce level warns
 * about the pods already there (not when it is unchanged, privileged, or the same version made no stricter).
 */
function admitNamespace(reader: ObjectReader, r: ResourceInfo, obj: KObject, old: KObject | undefined): string[] {
  const { policy, errors: now } = podSecurityPolicy(obj.metadata?.labels);
  const before = old ? podSecurityPolicy(old.metadata?.labels) : undefined;
  if (now.length && !(before?.errors.length && JSON.stringify(before.errors) === JSON.stringify(now))) throwIfInvalid(r, obj, labelCauses(now));
  if (!before) return [];
  const next = policy.enforce;
  const prev = before.policy.enforce;
  if (next.level === prev.level && next.version === prev.version) return [];
  if (next.level === 'privileged') return [];
  if (next.version === prev.version && strictness(next.level) <= strictness(prev.level)) return [];
  return existingPodWarnings(reader, obj.metadata?.name ?? '', next);
}

/**
 * The plugin on a create or update of `obj` (`old` for an update; `subresource` as written): throws the enforce level's
 * refusal for a pod, returns the warn level's warnings.
 */
export function admitPodSecurity(reader: ObjectReader, r: ResourceInfo, obj: KObject, old: KObject | undefined, subresource: string | undefined): string[] {
  if (r.group === '' && r.plural === 'namespaces') return subresource ? [] : admitNamespace(reader, r, obj, old);
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
