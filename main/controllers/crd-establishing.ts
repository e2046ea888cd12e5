// The apiextensions naming and establishing controllers, reduced to one loop: a new
// CustomResourceDefinition's names are accepted (status.acceptedNames, NamesAccepted) and it becomes
// Established, with the reasons and messages Kubernetes' controllers give. The resource is served as
// soon as it is stored, so Established follows NamesAccepted at once.
import type { CustomResourceDefinition, CustomResourceDefinitionCondition } from '../api/types';
import { newReconciler } from '../client/reconciler';
import { R } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import { ignoreNotFound } from './ignore-not-found';

const WANTED: ReadonlyArray<Omit<CustomResourceDefinitionCondition, 'lastTransitionTime'>> = [
  { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
  { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
];

/** The conditions `crd` should have, keeping the transition time of those that do not change. */
export function establishedConditions(crd: CustomResourceDefinition, now: string): CustomResourceDefinitionCondition[] {
  const current = crd.status?.conditions ?? [];
  const others = current.filter((c) => !WANTED.some((w) => w.type === c.type));
  const wanted = WANTED.map((w) => {
    const had = current.find((c) => c.type === w.type);
    return had?.status === w.status ? { ...w, lastTransitionTime: had.lastTransitionTime ?? now } : { ...w, lastTransitionTime: now };
  });
  return [...wanted, ...others];
}

/** status.storedVersions: every version ever stored, the current storage version last added. */
function storedVersions(crd: CustomResourceDefinition): string[] {
  const had = crd.status?.storedVersions ?? [];
  const storage = crd.spec.versions.find((v) => v.storage)?.name;
  return storage && !had.includes(storage) ? [...had, storage] : had;
}

function upToDate(crd: CustomResourceDefinition): boolean {
  if (storedVersions(crd).length !== (crd.status?.storedVersions ?? []).length) return false;
  const accepted = JSON.stringify(crd.status?.acceptedNames ?? {}) === JSON.stringify(crd.spec.names);
  return accepted && WANTED.every((w) => crd.status?.conditions?.some((c) => c.type === w.type && c.status === w.status && c.reason === w.reason));
}

export function newCrdEstablishingController(ctx: ControllerContext): Controller {
  const informer = ctx.informers.informer('customresourcedefinitions');
  return newReconciler(ctx, 'crd-establishing')
    .for('customresourcedefinitions')
    .complete(async (key) => {
      const crd = informer.get(key) as unknown as CustomResourceDefinition | undefined;
      if (!crd?.metadata?.name || crd.metadata.deletionTimestamp || upToDate(crd)) return;
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const status = { acceptedNames: crd.spec.names, storedVersions: storedVersions(crd), conditions: establishedConditions(crd, now) };
      await ignoreNotFound(ctx.client.patch(R.customresourcedefinitions, crd.metadata.name, { status }, 'merge', { subresource: 'status' }));
    });
}
