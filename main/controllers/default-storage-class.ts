// The default StorageClass every cluster starts with: `standard`, the node-local provisioner, volumes bound
// when their first pod is scheduled (WaitForFirstConsumer), deleted with their claim, expandable. Created
// once at startup (as a cluster addon); a user who deletes it gets it back at the next start.
import type { StorageClass } from '../api/types';
import { ANN_DEFAULT_CLASS, DEFAULT_STORAGE_CLASS, LOCAL_PROVISIONER } from '../api/storage';
import { R } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import { storageInformers } from './persistentvolume';
import { newBootstrapObject } from './bootstrap-object';

export function defaultStorageClass(): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
    metadata: { name: DEFAULT_STORAGE_CLASS, annotations: { [ANN_DEFAULT_CLASS]: 'true' } },
    provisioner: LOCAL_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  };
}

export function newDefaultStorageClassBootstrap(ctx: ControllerContext): Controller {
  const { classes } = storageInformers(ctx);
  return newBootstrapObject(ctx, {
    name: 'default-storage-class', ref: R.storageclasses, object: defaultStorageClass,
    exists: () => Boolean(classes.get(DEFAULT_STORAGE_CLASS)), created: `created StorageClass ${DEFAULT_STORAGE_CLASS}`,
  });
}
