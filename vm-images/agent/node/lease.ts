// The node's heartbeat Lease (kube-node-lease/<node>), renewed every period as pkg/kubelet/nodelease does:
// holderIdentity = node name, leaseDurationSeconds 40, renewTime a MicroTime, owned by the Node.
import type { Lease } from '../../../main/api/types';
import type { ApiClient } from '../../../main/client/types';
import { isConflict, isNotFound } from '../../../main/client/types';
import { NODE_LEASE_NAMESPACE } from './resources';
import { R } from '../../../main/client/refs';
import { microTime } from './time';

export const LEASE_DURATION_SECONDS = 40;

export interface LeaseOptions {
  client: ApiClient;
  nodeName: string;
  /** The Node's uid, for the owner reference (the lease goes when the Node does). */
  nodeUid?: string;
  periodMs: number;
  onError?: (err: unknown) => void;
  onRenew?: (lease: Lease) => void;
}

/** Renews (or creates) the lease once; `cached` (the last lease written) saves the GET, as the kubelet does. */
export async function renewLease(o: Pick<LeaseOptions, 'client' | 'nodeName' | 'nodeUid'>, cached?: Lease): Promise<Lease> {
  const spec = { holderIdentity: o.nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS };
  for (let attempt = 0; ; attempt++) {
    let current: Lease | undefined = attempt === 0 ? cached : undefined;
    if (!current) {
      try {
        current = await o.client.get<Lease>(R.leases, o.nodeName, NODE_LEASE_NAMESPACE);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    try {
      if (!current) {
        return await o.client.create<Lease>(R.leases, {
          apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
          metadata: {
            name: o.nodeName, namespace: NODE_LEASE_NAMESPACE,
            ...(o.nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: o.nodeName, uid: o.nodeUid }] } : {}),
          },
          spec: { ...spec, renewTime: microTime() },
        });
      }
      return await o.client.update<Lease>(R.leases, { ...current, spec: { ...current.spec, ...spec, renewTime: microTime() } });
    } catch (err) {
      if (attempt >= 3 || !(isConflict(err) || isNotFound(err))) throw err;
    }
  }
}

/** After a failed renewal, the next try: 200 ms doubling up to 7 s, as the kubelet's lease controller (backoffEnsureLease). */
export const LEASE_RETRY_FIRST_MS = 200;
export const LEASE_RETRY_MAX_MS = 7000;

export interface LeaseRenewer {
  stop(): void;
  /**
   * Renews at once (unless a renewal is under way), then every period from then: for when the agent finds the API
   * server reachable again after losing it (a restarted control plane sees the node's heartbeat without waiting up to a
   * period; the Lease's duration and period are unchanged).
   */
  renewNow(): void;
}

/** Renews now and then every periodMs (sooner, with back-off, after a failure). */
export function startLeaseRenewer(o: LeaseOptions): LeaseRenewer {
  let stopped = false;
  let inFlight = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let cached: Lease | undefined;
  let failures = 0;
  const tick = async (): Promise<void> => {
    inFlight = true;
    let next = o.periodMs;
    try {
      const lease = await renewLease(o, cached);
      cached = lease;
      failures = 0;
      o.onRenew?.(lease);
    } catch (err) {
      cached = undefined;
      if (failures === 0) o.onError?.(err);
      next = Math.min(o.periodMs, LEASE_RETRY_MAX_MS, LEASE_RETRY_FIRST_MS * 2 ** Math.min(failures, 10));
      failures++;
    }
    inFlight = false;
    if (!stopped) timer = setTimeout(() => void tick(), next);
  };
  void tick();
  return {
    stop: () => { stopped = true; if (timer) clearTimeout(timer); },
    renewNow: () => {
      if (stopped || inFlight) return;
      if (timer) clearTimeout(timer);
      void tick();
    },
  };
}
