// apiextensions' CRD finalizer: a CustomResourceDefinition being deleted (it holds the customresourcecleanup
// finalizer) has every object of its resource deleted, with Terminating reporting the progress
// (InstanceDeletionInProgress, then False/InstanceDeletionCompleted), and then loses the finalizer so the
// definition, and with it the resource, goes away. Objects that finalizers hold keep it waiting.
import { CRD_CLEANUP_FINALIZER } from '../api/crd';
import { RESOURCES } from '../api/resources';
import type { CustomResourceDefinition, CustomResourceDefinitionCondition } from '../api/types';
import { newReconciler } from '../client/reconciler';
import { R } from '../client/refs';
import type { ResourceRef } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import { ignoreNotFound } from './ignore-not-found';
import { rfc3339Seconds } from '../api/timestamp';

type Terminating = Omit<CustomResourceDefinitionCondition, 'type' | 'lastTransitionTime'>;

const IN_PROGRESS: Terminating = { status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' };
const COMPLETED: Terminating = { status: 'False', reason: 'InstanceDeletionCompleted', message: 'removed all instances' };
const RECHECK_MS = 1000;

/** The served row of the definition's resource (any version: conversion None). */
function resourceOf(crd: CustomResourceDefinition): ResourceRef | undefined {
  return RESOURCES.find((r) => r.crd && r.group === crd.spec.group && r.plural === crd.spec.names.plural);
}

export function newCrdFinalizerController(ctx: ControllerContext): Controller {
  const informer = ctx.informers.informer('customresourcedefinitions');
  const setTerminating = async (crd: CustomResourceDefinition, t: Terminating): Promise<void> => {
    const had = crd.status?.conditions?.find((c) => c.type === 'Terminating');
    if (had?.status === t.status && had.reason === t.reason && had.message === t.message) return;
    const others = (crd.status?.conditions ?? []).filter((c) => c.type !== 'Terminating');
    const lastTransitionTime = had?.status === t.status ? (had.lastTransitionTime ?? rfc3339Seconds()) : rfc3339Seconds();
    const conditions = [...others, { type: 'Terminating', ...t, lastTransitionTime }];
    await ignoreNotFound(ctx.client.patch(R.customresourcedefinitions, crd.metadata!.name!, { status: { conditions } }, 'merge', { subresource: 'status' }));
  };

  return newReconciler(ctx, 'crd-finalizer')
    .for('customresourcedefinitions')
    .complete(async (key) => {
      const crd = informer.get(key) as unknown as CustomResourceDefinition | undefined;
      const name = crd?.metadata?.name;
      if (!crd || !name || !crd.metadata?.deletionTimestamp || !(crd.metadata.finalizers ?? []).includes(CRD_CLEANUP_FINALIZER)) return;
      const r = resourceOf(crd);
      if (r) {
        await setTerminating(crd, IN_PROGRESS);
        const items = (await ctx.client.list(r)).items;
        for (const item of items) {
          if (item.metadata?.deletionTimestamp) continue;
          await ignoreNotFound(ctx.client.delete(r, item.metadata!.name!, { namespace: item.metadata?.namespace }));
        }
        if ((await ctx.client.list(r, { limit: 1 })).items.length) return { requeueAfter: RECHECK_MS };
        await setTerminating(crd, COMPLETED);
      }
      const finalizers = (crd.metadata.finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER);
      await ignoreNotFound(ctx.client.patch(R.customresourcedefinitions, name, { metadata: { finalizers } }, 'merge'));
    });
}
