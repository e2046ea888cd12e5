// The node authorizer's graph (Kubernetes' plugin/pkg/auth/authorizer/node/graph.go), kept as the
// relations it holds: a pod bound to a node, and what that pod names (secrets, configmaps, claims, its
// service account); a PersistentVolume bound to a claim, and the secrets it hands the node. A node
// reaches an object when a path leads from the object to the node:
//   node <- pod <- secret | configmap | pvc | serviceaccount
//   node <- pod <- pvc <- pv <- secret
// Mirror pods reach only their node (a node must not grant itself access by creating a pod). Flotilla's
// own edge: a volume of the node-local provisioner leads to the node it lives on (node <- pv), whose
// agent removes its directory and finalizer once the claim is gone.
import type { PersistentVolume, Pod } from 'kubernetes-types/core/v1';
import { podClaimNames, podConfigMapNames, podSecretNames, pvNodeSecrets } from '../../api/pod-references';
import { ANN_PROVISIONED_BY, LOCAL_PROVISIONER, localVolumeNode } from '../../api/storage';

export type VertexType = 'pod' | 'secret' | 'configmap' | 'pvc' | 'pv' | 'serviceaccount';

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

interface PodEntry { node: string; uid: string; refs: string[] }
interface PvEntry { claim?: string; secrets: string[]; localNode?: string }

const key = (type: VertexType, namespace: string, name: string): string => `${type}/${namespace}/${name}`;

/** key → the set of pods (or volumes) that name it. */
class Referrers {
  private readonly by = new Map<string, Set<string>>();

  add(target: string, from: string): void {
    let s = this.by.get(target);
    if (!s) this.by.set(target, (s = new Set()));
    s.add(from);
  }

  remove(target: string, from: string): void {
    const s = this.by.get(target);
    s?.delete(from);
    if (s?.size === 0) this.by.delete(target);
  }

  of(target: string): ReadonlySet<string> {
    return this.by.get(target) ?? new Set();
  }

  get size(): number {
    return this.by.size;
  }
}

export class NodeGraph {
  /** Pods bound to a node, by pod key. */
  private readonly pods = new Map<string, PodEntry>();
  /** Bound volumes by name. */
  private readonly pvs = new Map<string, PvEntry>();
  /** secret/configmap/pvc/serviceaccount key → pod keys naming it. */
  private readonly podRefs = new Referrers();
  /** secret key → names of the volumes handing it to their node. */
  private readonly pvRefs = new Referrers();

  /** A pod as written: in the graph while it is bound to a node (spec.nodeName is immutable once set). */
  putPod(pod: Pod): void {
    const ns = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const node = pod.spec?.nodeName ?? '';
    const podKey = key('pod', ns, name);
    const had = this.pods.get(podKey);
    const uid = pod.metadata?.uid ?? '';
    // A pod's references cannot change once it is bound (graph_populator skips such updates too).
    if (had && had.node === node && had.uid === uid) return;
    this.deletePod(ns, name);
    if (!node) return;
    const refs: string[] = [];
    if (!pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION]) {
      if (pod.spec?.serviceAccountName) refs.push(key('serviceaccount', ns, pod.spec.serviceAccountName));
      for (const s of podSecretNames(pod)) refs.push(key('secret', ns, s));
      for (const c of podConfigMapNames(pod)) refs.push(key('configmap', ns, c));
      for (const c of podClaimNames(pod)) refs.push(key('pvc', ns, c));
    }
    this.pods.set(podKey, { node, uid, refs });
    for (const r of refs) this.podRefs.add(r, podKey);
  }

  deletePod(namespace: string, name: string): void {
    const podKey = key('pod', namespace, name);
    const had = this.pods.get(podKey);
    if (!had) return;
    this.pods.delete(podKey);
    for (const r of had.refs) this.podRefs.remove(r, podKey);
  }

  /** A volume as written: it leads to its claim (claimRef) and its secrets lead to it; a node-local one leads to its node. */
  putPV(pv: PersistentVolume): void {
    const name = pv.metadata?.name ?? '';
    this.deletePV(name);
    const claimRef = pv.spec?.claimRef;
    const localNode = pv.metadata?.annotations?.[ANN_PROVISIONED_BY] === LOCAL_PROVISIONER ? localVolumeNode(pv) : undefined;
    if (!claimRef?.name && !localNode) return;
    const entry: PvEntry = {
      claim: claimRef?.name ? key('pvc', claimRef.namespace ?? '', claimRef.name) : undefined,
      secrets: claimRef?.name ? pvNodeSecrets(pv).map((s) => key('secret', s.namespace, s.name)) : [],
      localNode,
    };
    this.pvs.set(name, entry);
    for (const s of entry.secrets) this.pvRefs.add(s, name);
  }

  /** Whether the volume is one of the node-local provisioner's on `node`. */
  isLocalVolumeOf(node: string, name: string): boolean {
    return this.pvs.get(name)?.localNode === node;
  }

  deletePV(name: string): void {
    const had = this.pvs.get(name);
    if (!had) return;
    this.pvs.delete(name);
    for (const s of had.secrets) this.pvRefs.remove(s, name);
  }

  /** Whether a path leads from the object to the node. */
  hasPath(node: string, type: VertexType, namespace: string, name: string): boolean {
    if (type === 'pod') return this.pods.get(key('pod', namespace, name))?.node === node;
    if (type === 'pv') {
      const pv = this.pvs.get(name);
      return Boolean(pv && (pv.localNode === node || (pv.claim && this.podOnNode(pv.claim, node))));
    }
    const k = key(type, namespace, name);
    if (this.podOnNode(k, node)) return true;
    // node <- pod <- pvc <- pv <- secret
    if (type !== 'secret') return false;
    for (const pv of this.pvRefs.of(k)) {
      const entry = this.pvs.get(pv);
      if (entry?.claim && this.podOnNode(entry.claim, node)) return true;
    }
    return false;
  }

  /** How many pods and volumes the graph holds (for tests). */
  get size(): { pods: number; pvs: number } {
    return { pods: this.pods.size, pvs: this.pvs.size };
  }

  private podOnNode(target: string, node: string): boolean {
    for (const p of this.podRefs.of(target)) if (this.pods.get(p)?.node === node) return true;
    return false;
  }
}
