// Ephemeral containers (validateEphemeralContainers, ValidatePodEphemeralContainersUpdate): debugging
// containers added to a running pod through pods/ephemeralcontainers, never on create, never changed or
// removed once added, with none of the fields that would make a workload depend on them.
import type { Cause } from './cause';
import { duplicate, forbidden, notFound } from './cause';
import { validateContainer, validateContainerImage } from './container';
import { isObj, isSet, list, obj, semanticEqual, str } from './read';
import { specDiff } from './spec-diff';

const NOT_FOR_EPHEMERAL = 'cannot be set for an Ephemeral Container';

/**
 * EphemeralContainerCommon's fields that are not on Kubernetes' allow list, and whether each is set the
 * way Go sees it: pointers, slices and maps when present (even empty), the resources struct when any of
 * its own fields is.
 */
const DISALLOWED: Array<[field: string, given: (v: unknown) => boolean]> = [
  ['ports', isSet],
  ['resources', (v) => isObj(v) && Object.values(v).some(isSet)],
  ['resizePolicy', isSet],
  ['restartPolicy', isSet],
  ['livenessProbe', isSet],
  ['readinessProbe', isSet],
  ['startupProbe', isSet],
  ['lifecycle', isSet],
];

/** validateEphemeralContainers: `spec` is the whole PodSpec (names must be unique across all containers). */
export function validateEphemeralContainers(spec: Record<string, unknown>, path: string): Cause[] {
  const ephemeral = list(spec.ephemeralContainers);
  if (ephemeral.length === 0) return [];
  const others = new Set([...list(spec.containers), ...list(spec.initContainers)].map((c) => str(obj(c).name)));
  const all = new Set(others);
  const causes: Cause[] = [];
  ephemeral.forEach((raw, i) => {
    const p = `${path}[${i}]`;
    const ec = obj(raw);
    causes.push(...validateContainer(ec, p), ...validateContainerImage(ec, p));
    const name = str(ec.name);
    if (all.has(name)) causes.push(duplicate(`${p}.name`, name));
    else all.add(name);
    const target = str(ec.targetContainerName);
    if (target && !others.has(target)) causes.push(notFound(`${p}.targetContainerName`, target));
    for (const [field, given] of DISALLOWED) if (given(ec[field])) causes.push(forbidden(`${p}.${field}`, NOT_FOR_EPHEMERAL));
    list(ec.volumeMounts).forEach((m, j) => {
      for (const f of ['subPath', 'subPathExpr']) if (str(obj(m)[f])) causes.push(forbidden(`${p}.volumeMounts[${j}].${f}`, NOT_FOR_EPHEMERAL));
    });
  });
  return causes;
}

/** ValidatePodCreate: ephemeral containers are only ever added through the subresource. */
export function validateNoEphemeralOnCreate(spec: Record<string, unknown>, path: string): Cause[] {
  return list(spec.ephemeralContainers).length > 0 ? [forbidden(`${path}.ephemeralContainers`, 'cannot be set on create')] : [];
}

/** ValidatePodEphemeralContainersUpdate part 2: existing ephemeral containers may not be removed or changed. */
export function validateEphemeralContainersUpdate(next: Record<string, unknown>, prev: Record<string, unknown>): Cause[] {
  const path = 'spec.ephemeralContainers';
  const byName = new Map(list(next.ephemeralContainers).map((c) => [str(obj(c).name), c] as const));
  const causes: Cause[] = [];
  for (const old of list(prev.ephemeralContainers)) {
    const name = str(obj(old).name);
    const now = byName.get(name);
    if (now === undefined) causes.push(forbidden(path, `existing ephemeral containers "${name}" may not be removed\n`));
    else if (!semanticEqual(old, now)) causes.push(forbidden(`${path}[${name}]`, `existing ephemeral containers "${name}" may not be changed\n${specDiff(old, now, name).join('\n')}`));
  }
  return causes;
}
