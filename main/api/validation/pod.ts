// Pod create and update validation (ValidatePodCreate / ValidatePodUpdate).
import type { KObject } from '../types';
import type { Cause } from './cause';
import { forbidden, invalid, required } from './cause';
import { inclusiveRangeError } from './names';
import { validatePodSpec } from './podspec';
import { list, obj, semanticEqual, str } from './read';
import { specDiff } from './spec-diff';
import { validateEphemeralContainersUpdate, validateNoEphemeralOnCreate } from './ephemeral';
import { validateGatedNodeName, validateGatedUpdate } from './scheduling-gates';

export function validatePod(pod: KObject): Cause[] {
  return validatePodSpec(pod.spec, 'spec');
}

/** ValidatePodCreate's own rules (beyond what every write validates). */
export function validatePodCreate(pod: KObject): Cause[] {
  return [...validateNoEphemeralOnCreate(obj(pod.spec), 'spec'), ...validateGatedNodeName(obj(pod.spec), 'spec')];
}

/** The pods/ephemeralcontainers subresource: only ephemeral containers change, and only by additions. */
export function validatePodEphemeralContainersUpdate(next: KObject, prev: KObject): Cause[] {
  return validateEphemeralContainersUpdate(obj(next.spec), obj(prev.spec));
}

/** The fields a pod update may change, as Kubernetes lists them in its error. */
export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function validateContainerUpdates(next: unknown[], prev: unknown[], path: string): { causes: Cause[]; stop: boolean } {
  if (next.length !== prev.length) return { causes: [forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const causes: Cause[] = [];
  next.forEach((c, i) => {
    const image = str(obj(c).image);
    if (!image) causes.push(required(`${path}[${i}].image`));
    if (image.trim() !== image) causes.push(invalid(`${path}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return { causes, stop: false };
}

function withoutSeconds(t: unknown): unknown {
  const o = { ...obj(t) };
  delete o.tolerationSeconds;
  return o;
}

export function validatePodUpdate(next: KObject, prev: KObject): Cause[] {
  const spec = obj(next.spec);
  const old = obj(prev.spec);
  const causes: Cause[] = [];
  const c1 = validateContainerUpdates(list(spec.containers), list(old.containers), 'spec.containers');
  causes.push(...c1.causes);
  if (c1.stop) return causes;
  const c2 = validateContainerUpdates(list(spec.initContainers), list(old.initContainers), 'spec.initContainers');
  causes.push(...c2.causes);
  if (c2.stop) return causes;

  const ads = spec.activeDeadlineSeconds;
  const oldAds = old.activeDeadlineSeconds;
  if (typeof ads === 'number') {
    if (ads < 0 || ads > 2147483647) return [...causes, invalid('spec.activeDeadlineSeconds', ads, inclusiveRangeError(0, 2147483647))];
    if (typeof oldAds === 'number' && oldAds < ads) return [...causes, invalid('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value')];
  } else if (typeof oldAds === 'number') {
    causes.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }

  const newTols = list(spec.tolerations);
  for (const t of list(old.tolerations)) {
    if (!newTols.some((n) => semanticEqual(withoutSeconds(t), withoutSeconds(n)))) {
      causes.push(forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
      break;
    }
  }

  // A gated pod's scheduling gates may be removed (in any order), its scheduling directives narrowed.
  let munged: Record<string, unknown> = { ...spec };
  if (list(old.schedulingGates).length > 0) {
    const gated = validateGatedUpdate(spec, old);
    causes.push(...gated.causes);
    munged = gated.munged;
  }

  if (semanticEqual(spec, old)) return causes;
  const mungeImages = (k: string): void => {
    munged[k] = list(spec[k]).map((c, i) => ({ ...obj(c), image: obj(list(old[k])[i]).image }));
  };
  mungeImages('containers');
  mungeImages('initContainers');
  munged.activeDeadlineSeconds = old.activeDeadlineSeconds;
  munged.tolerations = old.tolerations;
  // Binding (pods/binding) is applied here as an update: allow spec.nodeName to go from unset to a node.
  if (!str(old.nodeName) && str(spec.nodeName)) munged.nodeName = old.nodeName;
  if (typeof old.terminationGracePeriodSeconds === 'number' && old.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds;
  }
  if (!semanticEqual(munged, old)) {
    const diff = specDiff(old, munged).join('\n');
    causes.push(forbidden('spec', `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${diff}`));
  }
  return causes;
}
