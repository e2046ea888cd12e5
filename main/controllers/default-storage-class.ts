// The default StorageClass every cluster starts with: `standard`, the node-local provisioner, volumes bound
// when their first pod is scheduled (WaitForFirstConsumer), deleted with their claim, expandable. Created
// once at startup (as a cluster addon); a user who deletes it gets it back at the next start.
import type { StorageClass } from '../api/types';
import { ANN_DEFAULT_CLASS, DEFAULT_STORAGE_CLASS, LOCAL_PROVISIONER } from '../api/storage';
import { R } from '../client/refs';
import { isAlreadyExists } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import { storageInformers } from './persistentvolume';

const RETRY_MS = 1000;

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
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const attempt = (): void => {
    ctx.client.create(R.storageclasses, defaultStorageClass()).then(
      () => ctx.log(`default-storage-class: created StorageClass ${DEFAULT_STORAGE_CLASS}`),
      (err: unknown) => {
        if (isAlreadyExists(err) || stopped) return;
        ctx.log(`default-storage-class: ${err instanceof Error ? err.message : String(err)} (retrying)`);
        timer = setTimeout(attempt, RETRY_MS);
      },
    );
  };
  return {
    name: 'default-storage-class',
    register: () => () => undefined,
    run: () => {
      if (!classes.get(DEFAULT_STORAGE_CLASS)) attempt();
      return () => { stopped = true; if (timer) clearTimeout(timer); };
    },
  };
}
