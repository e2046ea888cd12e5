// Where a pod's volumes live on the node, as the kubelet lays them out under /var/lib/kubelet/pods:
// <podsDir>/<uid>/volumes/kubernetes.io~<plugin>/<volume name>.
import { join } from 'node:path';

export type VolumePlugin = 'empty-dir' | 'configmap' | 'secret' | 'downward-api' | 'projected';

export function podDir(podsDir: string, uid: string): string {
  return join(podsDir, uid);
}

export function volumeDir(podsDir: string, uid: string, plugin: VolumePlugin, name: string): string {
  return join(podsDir, uid, 'volumes', `kubernetes.io~${plugin}`, name);
}
