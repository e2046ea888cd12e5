// emptyDir volumes: a directory of the pod (mode 0777 as the kubelet makes it), on tmpfs for
// `medium: Memory` with the sizeLimit as the tmpfs size, group-owned by the pod's fsGroup.
import { chmodSync, mkdirSync } from 'node:fs';
import type { EmptyDirVolumeSource } from 'kubernetes-types/core/v1';
import { parseQuantity } from '../pods/quantity';
import { setVolumeOwnership } from './fs-group';
import { mountTmpfs } from './mounts';

export async function setUpEmptyDir(dir: string, src: EmptyDirVolumeSource, fsGroup: number | undefined): Promise<void> {
  mkdirSync(dir, { recursive: true });
  if (src.medium === 'Memory') {
    const size = src.sizeLimit !== undefined ? parseQuantity(src.sizeLimit) : undefined;
    await mountTmpfs(dir, size || undefined);
  }
  chmodSync(dir, 0o777);
  setVolumeOwnership(dir, fsGroup, false);
}
