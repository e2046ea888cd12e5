// Playing the node's part in controller tests without a kubelet: register a Node (and its Lease),
// bind a pod to it and report it Running/Ready — the same objects hollow nodes write
// (main/hollow), written once, when the test says so.
import type { KObject, Node, Pod, Taint } from '../../main/api/types';
import { leaseObject, microTime, nodeObject } from '../../main/hollow/node-object';
import { runningStatus, withReadiness } from '../../main/hollow/pod-status';
import { resourceOf, type ControlPlane } from './control-plane';
import { TAINT_NODE_NOT_READY } from '../../main/api/tolerations';

const POD = { apiVersion: 'v1', kind: 'Pod' };
const NODE = { apiVersion: 'v1', kind: 'Node' };
const LEASE = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' };

let nodeIndex = 0;

/**
 * Registers a Ready node (with labels and taints) and its Lease in kube-node-lease. With admission on, the Node is
 * created tainted not-ready:NoSchedule; that taint is taken off as the node lifecycle controller would on seeing the
 * node Ready (unless the test gave it), so that tests without that controller get a schedulable node.
 */
export async function registerNode(
  cp: ControlPlane, name: string, o: { labels?: Record<string, string>; taints?: Taint[]; lease?: boolean } = {},
): Promise<Node> {
  const n = nodeObject(name, ++nodeIndex, { cpu: '4', memory: '8Gi', pods: 110 }, new Date().toISOString().replace(/\.\d+Z$/, 'Z'));
  n.metadata!.labels = { ...n.metadata!.labels, ...(o.labels ?? {}) };
  if (o.taints) n.spec = { ...n.spec, taints: o.taints };
  let created = await cp.create(n as KObject) as Node;
  const notReady = (t: Taint) => t.key === TAINT_NODE_NOT_READY && t.effect === 'NoSchedule';
  const taints = created.spec?.taints ?? [];
  if (taints.some(notReady) && !(o.taints ?? []).some(notReady)) {
    created = await cp.patch<Node & KObject>(NODE, name, undefined, { spec: { taints: taints.filter((t) => !notReady(t)) } });
  }
  if (o.lease !== false) await cp.create(leaseObject(created, 40) as KObject);
  return created;
}

/** Renews the node's Lease (as the kubelet does every 10 s). */
export async function renewLease(cp: ControlPlane, node: string): Promise<void> {
  await cp.client.patch(resourceOf(LEASE), node, { spec: { renewTime: microTime() } }, 'merge', { namespace: 'kube-node-lease' });
}

/** Binds the pod to the node (when unbound) and reports it Running, ready or not (ready since `since`, default now). */
export async function runPod(cp: ControlPlane, pod: Pod, node: string, ready = true, since?: Date): Promise<Pod> {
  const ns = pod.metadata!.namespace!;
  const name = pod.metadata!.name!;
  if (!pod.spec?.nodeName) await cp.client.bind(ns, name, node);
  const cur = await cp.get<Pod>(POD, name, ns);
  const status = runningStatus(cur, `10.244.0.${++nodeIndex % 250}`, '10.250.0.1', ready);
  if (since) for (const c of status.conditions ?? []) c.lastTransitionTime = since.toISOString().replace(/\.\d+Z$/, 'Z');
  return cp.patchStatus<Pod>(POD, name, ns, status);
}

/** Flips a running pod's readiness (as a readiness probe would). */
export async function setPodReady(cp: ControlPlane, pod: Pod, ready: boolean): Promise<Pod> {
  const cur = await cp.get<Pod>(POD, pod.metadata!.name!, pod.metadata!.namespace);
  return cp.patchStatus<Pod>(POD, pod.metadata!.name!, pod.metadata!.namespace, withReadiness(cur.status ?? ({}), ready));
}

/** Reports the pod's containers terminated with `exitCode` (at `at`, default now): phase Succeeded for 0, else Failed. */
export async function finishPod(cp: ControlPlane, pod: Pod, exitCode: number, at = new Date()): Promise<Pod> {
  const cur = await cp.get<Pod>(POD, pod.metadata!.name!, pod.metadata!.namespace);
  const finishedAt = at.toISOString().replace(/\.\d+Z$/, 'Z');
  const containerStatuses = (cur.spec?.containers ?? []).map((c) => ({
    name: c.name, image: c.image ?? '', imageID: '', ready: false, restartCount: 0, started: false,
    state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: finishedAt, finishedAt } },
  }));
  const ready = { type: 'Ready', status: 'False', lastTransitionTime: finishedAt };
  return cp.patchStatus<Pod>(POD, pod.metadata!.name!, pod.metadata!.namespace, {
    phase: exitCode === 0 ? 'Succeeded' : 'Failed', containerStatuses, conditions: [ready],
  });
}
