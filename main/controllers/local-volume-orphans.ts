// Volumes of the node-local provisioner whose node is gone: a volume being deleted waits for its node's
// agent to remove the directory and drop flotilla.dev/local-volume-cleanup; once the Node object is
// deleted no agent will, so the finalizer is dropped here (the data went with the node) with a Warning
// event on the volume, as local-static-provisioner's node cleanup lets the PVs of a deleted node go.
// Runs beside the reclaimer.
import { LOCAL_VOLUME_FINALIZER, localVolumeNode } from '../api/storage';
import type { Node, PersistentVolume } from '../api/types';
import type { Informer } from '../client/cache/informer';
import type { EventRecorder } from '../client/record/recorder';
import { newReconciler } from '../client/reconciler';
import type { Controller } from '../client/reconciler';
import { R, keyOf } from '../client/refs';
import { isNotFound, type ApiClient } from '../client/types';
import type { ControllerContext } from './controller';
import { ignoreNotFound } from './ignore-not-found';

interface Deps {
  client: ApiClient;
  volumes: Informer<PersistentVolume>;
  nodes: Informer<Node>;
  recorder: EventRecorder;
}

const waitsForCleanup = (pv: PersistentVolume): boolean =>
  !!pv.metadata?.deletionTimestamp && (pv.metadata.finalizers ?? []).includes(LOCAL_VOLUME_FINALIZER);

/** Whether the node is gone: not in the cache, and the API server agrees (the cache may lag behind a new node). */
async function nodeGone(d: Deps, name: string): Promise<boolean> {
  if (d.nodes.get(name)) return false;
  try {
    await d.client.get(R.nodes, name);
    return false;
  } catch (e) {
    if (isNotFound(e)) return true;
    throw e;
  }
}

async function release(d: Deps, name: string): Promise<void> {
  const pv = d.volumes.get(name);
  if (!pv || !waitsForCleanup(pv)) return;
  const node = localVolumeNode(pv);
  if (!node || !(await nodeGone(d, node))) return;
  const finalizers = (pv.metadata?.finalizers ?? []).filter((f) => f !== LOCAL_VOLUME_FINALIZER);
  const patch = { metadata: { resourceVersion: pv.metadata?.resourceVersion, finalizers } };
  const out = await ignoreNotFound(d.client.patch(R.persistentvolumes, name, patch, 'merge'));
  if (out) d.recorder.event(pv, 'Warning', 'VolumeNodeGone', `node "${node}" is gone: its local volume's directory cannot be removed, the volume is let go`);
}

export function newLocalVolumeOrphans(ctx: ControllerContext, volumes: Informer<PersistentVolume>): Controller {
  const d: Deps = { client: ctx.client, volumes, nodes: ctx.informers.nodes, recorder: ctx.recorder('persistentvolume-controller') };
  const volumesOn = (n: Node): string[] => volumes.list().filter((pv) => waitsForCleanup(pv) && localVolumeNode(pv) === n.metadata?.name).map(keyOf);
  return newReconciler(ctx, 'local-volume-orphans')
    .watches<PersistentVolume>('persistentvolumes', (pv) => (waitsForCleanup(pv) ? [keyOf(pv)] : []))
    .watches<Node>('nodes', volumesOn, { add: () => false, update: () => false })
    .complete((key) => release(d, key));
}
