// Builds the Node's whole status from the runtime and the machine: addresses, capacity, allocatable,
// conditions, nodeInfo, images, daemon endpoint.
import { statfsSync } from 'node:fs';
import type { NodeCondition, NodeStatus } from '../../../main/api/types';
import type { CriClient } from '../cri/client';
import { cgroupMemory } from '../stats/cgroup-files';
import { procMemInfo, procPids } from '../stats/host-usage';
import { allocatableOf, capacityOf, measureCapacity } from './capacity';
import { nodeConditions, type NodeHealth } from './conditions';
import { nodeImages } from './images';
import { nodeInfo } from './node-info';

export interface NodeStatusSource {
  nodeName: string;
  nodeIP: string;
  /** Port of the agent's server (status.daemonEndpoints.kubeletEndpoint). */
  port: number;
  fsPath: string;
  cgroupParent?: string;
  cri: CriClient;
  networkReady: () => boolean;
}

function measureHealth(src: NodeStatusSource, runtimeReady: boolean, runtimeError?: string): NodeHealth {
  const host = procMemInfo();
  let available = host.availableBytes;
  const cg = src.cgroupParent ? cgroupMemory(src.cgroupParent) : undefined;
  if (cg?.limitBytes !== undefined && cg.limitBytes < host.totalBytes) available = Math.min(available, cg.limitBytes - cg.workingSetBytes);
  let disk = 1;
  try { const s = statfsSync(src.fsPath); disk = s.blocks > 0 ? s.bavail / s.blocks : 1; } catch { /* unknown: no pressure */ }
  let pid = 1;
  try { const p = procPids(); pid = 1 - p.running / p.max; } catch { /* unknown */ }
  return { memoryAvailableBytes: available, diskAvailableRatio: disk, pidAvailableRatio: pid, runtimeReady, runtimeError, networkReady: src.networkReady() };
}

export async function buildNodeStatus(src: NodeStatusSource, previous: NodeCondition[] | undefined, now: string): Promise<NodeStatus> {
  let runtimeReady = true;
  let runtimeError: string | undefined;
  let info: NodeStatus['nodeInfo'];
  let images: NodeStatus['images'] = [];
  try {
    const [version, list] = await Promise.all([src.cri.version(5000), src.cri.listImages()]);
    info = nodeInfo(version);
    images = nodeImages(list);
  } catch (err) {
    runtimeReady = false;
    runtimeError = err instanceof Error ? err.message : String(err);
  }
  const cap = measureCapacity(src.fsPath, src.cgroupParent);
  return {
    addresses: [{ type: 'InternalIP', address: src.nodeIP }, { type: 'Hostname', address: src.nodeName }],
    capacity: capacityOf(cap),
    allocatable: allocatableOf(cap),
    conditions: nodeConditions(measureHealth(src, runtimeReady, runtimeError), previous, now),
    daemonEndpoints: { kubeletEndpoint: { Port: src.port } },
    ...(info ? { nodeInfo: info } : {}),
    images,
  };
}

/** The status without heartbeat times, to tell a real change from a heartbeat. */
export function statusFingerprint(status: NodeStatus): string {
  const conditions = (status.conditions ?? []).map((c) => ({ ...c, lastHeartbeatTime: undefined }));
  return JSON.stringify({ ...status, conditions });
}
