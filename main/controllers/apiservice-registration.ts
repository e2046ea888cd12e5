// kube-aggregator's autoregister and CRD registration controllers in one loop: every group version this server serves
// itself has a Local APIService. Those of built-in groups (and our own kinds) are labelled `onstart`: made, or put back
// to their built-in spec, once at start and left to the user after (a deleted one returns at the next start; one without
// the label is the user's; metrics.k8s.io, an add-on's group elsewhere, stays pointed at a user's metrics-server); those of
// CustomResourceDefinitions are labelled `true`: kept in step with the served versions, deleted when none serves it.
import { AUTOMANAGED_LABEL, isAddOn, isRemote, localAPIService } from '../api/apiservices';
import { RESOURCES, groupVersions } from '../api/resources';
import type { APIService, CustomResourceDefinition } from '../api/types';
import { isAlreadyExists } from '../client/types';
import { newReconciler } from '../client/reconciler';
import { R } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import { withExtras } from './extras';
import { ignoreNotFound } from './ignore-not-found';

/** The Local APIServices of the built-in group versions (every served one that no CRD defines). */
function builtIn(): Map<string, APIService> {
  const crdGroupVersions = new Set(RESOURCES.filter((r) => r.crd).map((r) => `${r.group}/${r.version}`));
  const out = new Map<string, APIService>();
  for (const gv of groupVersions()) {
    if (crdGroupVersions.has(`${gv.group}/${gv.version}`)) continue;
    const a = localAPIService(gv.group, gv.version, 'onstart');
    out.set(a.metadata!.name!, a);
  }
  return out;
}

/** The Local APIServices the stored CRDs' served versions want (an established, not deleted CRD). */
function ofCrds(crds: CustomResourceDefinition[], builtIns: Map<string, APIService>): Map<string, APIService> {
  const out = new Map<string, APIService>();
  for (const crd of crds) {
    if (crd.metadata?.deletionTimestamp) continue;
    for (const v of crd.spec.versions) {
      if (!v.served) continue;
      const a = localAPIService(crd.spec.group, v.name, 'true');
      if (!builtIns.has(a.metadata!.name!)) out.set(a.metadata!.name!, a);
    }
  }
  return out;
}

/** `current` with `wanted`'s spec and automanaged label. */
function resetTo(current: APIService, wanted: APIService): APIService {
  return { ...current, metadata: { ...current.metadata, labels: { ...current.metadata?.labels, ...wanted.metadata?.labels } }, spec: wanted.spec };
}

function sameSpec(a: APIService, b: APIService): boolean {
  const norm = (s: APIService['spec']) => JSON.stringify({ ...s, service: s.service ?? null, caBundle: s.caBundle ?? '', insecureSkipTLSVerify: s.insecureSkipTLSVerify ?? false });
  return norm(a.spec) === norm(b.spec) && a.metadata?.labels?.[AUTOMANAGED_LABEL] === b.metadata?.labels?.[AUTOMANAGED_LABEL];
}

export function newAPIServiceRegistrationController(ctx: ControllerContext): Controller {
  const apiServices = ctx.informers.informer('apiservices');
  const crds = ctx.informers.informer('customresourcedefinitions');
  const builtIns = builtIn();
  /** Built-in names already made or checked since this start: they are the user's after that. */
  const syncedOnStart = new Set<string>();
  const crdNames = (crd: CustomResourceDefinition) => crd.spec.versions.map((v) => `${v.name}.${crd.spec.group}`);
  const builder = newReconciler(ctx, 'apiservice-registration')
    .for('apiservices')
    .watches<CustomResourceDefinition>('customresourcedefinitions', crdNames);
  const controller = builder.complete(async (name) => {
    const current = apiServices.get(name) as unknown as APIService | undefined;
    const builtInWanted = builtIns.get(name);
    if (builtInWanted) {
      if (syncedOnStart.has(name)) return;
      if (!current) await ctx.client.create(R.apiservices, builtInWanted).catch((e: unknown) => { if (!isAlreadyExists(e)) throw e; });
      else if (!sameSpec(current, builtInWanted) && current.metadata?.labels?.[AUTOMANAGED_LABEL] && !(isAddOn(builtInWanted) && isRemote(current))) {
        await ignoreNotFound(ctx.client.update(R.apiservices, resetTo(current, builtInWanted)));
      }
      syncedOnStart.add(name);
      return;
    }
    const wanted = ofCrds(crds.list() as unknown as CustomResourceDefinition[], builtIns).get(name);
    if (wanted && !current) {
      await ctx.client.create(R.apiservices, wanted).catch((e: unknown) => { if (!isAlreadyExists(e)) throw e; });
    } else if (wanted && current && !sameSpec(current, wanted)) {
      await ignoreNotFound(ctx.client.update(R.apiservices, resetTo(current, wanted)));
    } else if (!wanted && current?.metadata?.labels?.[AUTOMANAGED_LABEL] === 'true') {
      await ignoreNotFound(ctx.client.delete(R.apiservices, name));
    }
  });
  // At start: every built-in name (made if missing) and every CRD's are looked at once.
  return withExtras(controller, {
    run: () => {
      for (const name of builtIns.keys()) builder.queue.add(name);
      return () => undefined;
    },
  });
}
