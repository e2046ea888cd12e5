// The agent's volume manager (the kubelet's volumemanager, in one place): sets up a pod's volumes under
// <podsDir>/<uid>/volumes/kubernetes.io~<plugin>/<name> before its containers start, rewrites the
// configMap, secret, downwardAPI and projected ones on every sync (atomically; only when the content
// changed), and tears everything down — tmpfs unmounted, directories removed — when the pod goes.
import { ephemeralClaimName } from '../../../main/api/ephemeral-volumes';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import type { Pod, Volume } from 'kubernetes-types/core/v1';
import type { ApiClient } from '../../../main/client/types';
import { ContainerConfigError } from '../pods/env';
import type { ObjectRef, ObjectSource } from '../sync/object-watches';
import { writeAtomic, type Payload } from './atomic-writer';
import type { VolumePath } from './container-mounts';
import { addDownwardAPI } from './downward-api';
import { setUpEmptyDir } from './empty-dir';
import { MountError } from './errors';
import { fsGroupOf, fsUserOf, setVolumeOwnership } from './fs-group';
import { checkHostPath } from './host-path';
import { addKeyToPath, DEFAULT_MODE } from './key-to-path';
import { mountPoints, mountTmpfs, unmountUnder } from './mounts';
import { podDir, volumeDir, type VolumePlugin } from './paths';
import { claimPath } from './persistent-volume-claim';
import { projectedPayload } from './projected';
import type { TokenManager } from './service-account-token';

/** The objects a pod's volumes read; `use`/`release` keep them watched while the pod needs them. */
export interface VolumeObjects extends ObjectSource {
  use(uid: string, refs: ObjectRef[]): void;
  release(uid: string): void;
}

export interface VolumeManagerOptions {
  /** <podsDir>/<uid>/volumes/…, as /var/lib/kubelet/pods. */
  podsDir: string;
  objects?: VolumeObjects;
  tokens?: TokenManager;
  /** For persistentVolumeClaim volumes. */
  client?: ApiClient;
}

/** A pod's volumes as set up: where each is, and the last payload written to each atomic-writer directory. */
interface PodVolumes { paths: Map<string, VolumePath>; fingerprints: Map<string, string> }

/** The ConfigMaps and Secrets the pod's volumes read. */
export function volumeObjects(pod: Pod): ObjectRef[] {
  const namespace = pod.metadata?.namespace ?? 'default';
  const refs: ObjectRef[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.configMap) refs.push({ kind: 'ConfigMap', namespace, name: v.configMap.name ?? '' });
    if (v.secret) refs.push({ kind: 'Secret', namespace, name: v.secret.secretName ?? '' });
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap) refs.push({ kind: 'ConfigMap', namespace, name: s.configMap.name ?? '' });
      if (s.secret) refs.push({ kind: 'Secret', namespace, name: s.secret.name ?? '' });
    }
  }
  return refs;
}

function fingerprint(payload: Payload): string {
  return JSON.stringify([...payload].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, f]) => [p, f.mode, f.fsUser, f.data.toString('base64')]));
}

export class VolumeManager {
  private readonly pods = new Map<string, PodVolumes>();

  constructor(private readonly o: VolumeManagerOptions) {}

  /**
   * Sets up (or brings up to date) every volume of the pod and returns where each is. Throws a MountError
   * for the first volume that cannot be set up (the others are still brought up to date).
   */
  async setUp(pod: Pod): Promise<Map<string, VolumePath>> {
    const uid = pod.metadata?.uid ?? '';
    let state = this.pods.get(uid);
    if (!state) { state = { paths: new Map(), fingerprints: new Map() }; this.pods.set(uid, state); }
    this.o.objects?.use(uid, volumeObjects(pod));
    const pending = state;
    // Volumes are independent: set up side by side (token requests, API reads and mounts overlap).
    const failures = await Promise.all((pod.spec?.volumes ?? []).map(async (v) => {
      try {
        await this.setUpVolume(pod, uid, v, pending);
        return undefined;
      } catch (err) {
        if (err instanceof ContainerConfigError) pending.paths.set(v.name, { hostPath: '', configError: err.message });
        else return new MountError(v.name, err instanceof Error ? err.message : String(err));
        return undefined;
      }
    }));
    const failure = failures.find((f) => f !== undefined);
    if (failure) throw failure;
    return state.paths;
  }

  /** Whether every volume of the pod has been set up at least once. */
  allSetUp(pod: Pod): boolean {
    const state = this.pods.get(pod.metadata?.uid ?? '');
    return (pod.spec?.volumes ?? []).every((v) => state?.paths.has(v.name));
  }

  private async setUpVolume(pod: Pod, uid: string, v: Volume, state: PodVolumes): Promise<void> {
    const dir = (plugin: VolumePlugin): string => volumeDir(this.o.podsDir, uid, plugin, v.name);
    const fsGroup = fsGroupOf(pod);
    const ns = pod.metadata?.namespace ?? 'default';
    if (v.hostPath) {
      checkHostPath(v.hostPath);
      state.paths.set(v.name, { hostPath: v.hostPath.path });
    } else if (v.emptyDir) {
      if (!state.paths.has(v.name)) await setUpEmptyDir(dir('empty-dir'), v.emptyDir, fsGroup);
      state.paths.set(v.name, { hostPath: dir('empty-dir') });
    } else if (v.persistentVolumeClaim || v.ephemeral) {
      if (state.paths.has(v.name)) return;
      // A generic ephemeral volume is the claim <pod>-<volume> the ephemeral volume controller made for the pod.
      const claim = v.persistentVolumeClaim?.claimName ?? ephemeralClaimName(pod.metadata?.name ?? '', v.name);
      if (!this.o.client) throw new ContainerConfigError(`persistentVolumeClaim "${claim}": this node has no API client`);
      state.paths.set(v.name, { hostPath: await claimPath(this.o.client, ns, claim, v.ephemeral ? pod : undefined) });
    } else if (v.configMap || v.secret || v.downwardAPI || v.projected) {
      const plugin: VolumePlugin = v.configMap ? 'configmap' : v.secret ? 'secret' : v.downwardAPI ? 'downward-api' : 'projected';
      const payload = await this.payload(pod, v);
      await this.writeVolume(dir(plugin), plugin === 'secret' || plugin === 'projected', payload, fsGroup, state, v.name);
    } else {
      const type = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
      throw new ContainerConfigError(`volume "${v.name}": ${type} volumes are not supported by this node`);
    }
  }

  private async payload(pod: Pod, v: Volume): Promise<Payload> {
    const ns = pod.metadata?.namespace ?? 'default';
    const payload: Payload = new Map();
    const objects = this.o.objects;
    if ((v.configMap || v.secret) && !objects) throw new Error('this node cannot read ConfigMaps and Secrets');
    if (v.configMap && objects) await addKeyToPath(objects, 'ConfigMap', ns, v.configMap, v.configMap.defaultMode ?? DEFAULT_MODE, payload);
    else if (v.secret && objects) {
      await addKeyToPath(objects, 'Secret', ns, { ...v.secret, name: v.secret.secretName }, v.secret.defaultMode ?? DEFAULT_MODE, payload);
    } else if (v.downwardAPI) addDownwardAPI(pod, v.downwardAPI.items, v.downwardAPI.defaultMode ?? DEFAULT_MODE, payload);
    else if (v.projected) {
      if (!objects) throw new Error('this node cannot read ConfigMaps and Secrets');
      return projectedPayload({ pod, objects, tokens: this.o.tokens, fsUser: fsUserOf(pod), fsGroup: fsGroupOf(pod) }, v.projected);
    }
    return payload;
  }

  /** An atomic-writer volume: its dir (0777; tmpfs for secrets and projections), the payload, then the fsGroup. */
  private async writeVolume(dir: string, tmpfs: boolean, payload: Payload, fsGroup: number | undefined, state: PodVolumes, name: string): Promise<void> {
    const print = fingerprint(payload);
    if (state.fingerprints.get(dir) === print && state.paths.has(name)) return;
    if (!state.paths.has(name)) {
      mkdirSync(dir, { recursive: true });
      if (tmpfs) await mountTmpfs(dir);
      chmodSync(dir, 0o777);
    }
    if (writeAtomic(dir, payload) || !state.paths.has(name)) setVolumeOwnership(dir, fsGroup, true);
    state.fingerprints.set(dir, print);
    state.paths.set(name, { hostPath: dir, readOnly: true });
  }

  /** Unmounts and removes everything of the pod's; refuses to remove anything while a mount is left below it. */
  async tearDown(uid: string): Promise<void> {
    this.pods.delete(uid);
    this.o.objects?.release(uid);
    this.o.tokens?.forgetPod(uid);
    const dir = podDir(this.o.podsDir, uid);
    if (!existsSync(dir)) return;
    await unmountUnder(dir);
    if (mountPoints().some((m) => m === dir || m.startsWith(`${dir}/`))) throw new Error(`${dir}: mounts left after unmounting, not removing it`);
    rmSync(dir, { recursive: true, force: true });
  }

  /** Tears down the volume directories of pods not in `keep` (left from before an agent restart); returns their uids. */
  async cleanupOrphans(keep: Set<string>): Promise<string[]> {
    let uids: string[];
    try { uids = readdirSync(this.o.podsDir); } catch { return []; }
    const orphans = uids.filter((u) => !keep.has(u) && !this.pods.has(u));
    for (const uid of orphans) await this.tearDown(uid);
    return orphans;
  }
}
