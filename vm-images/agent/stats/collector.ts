// Collects the node's and every container's CPU/memory usage into a StatsSummary: the node from its
// cgroup (config.cgroupParent) or /proc, containers from CRI ListContainerStats. CPU rates are
// computed between consecutive samples when the runtime does not report them.
import { statfsSync } from 'node:fs';
import { compareCodePoints } from '../../../main/api/string-order';
import type { CriClient } from '../cri/client';
import type { ContainerStats } from '../cri/types';
import { LABEL_CONTAINER_NAME, LABEL_MANAGED, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID } from '../pods/labels';
import { cgroupMemory } from './cgroup-files';
import { cpuRate, NodeCpuSampler, type CpuSample } from './cpu-rate';
import { procMemInfo, procPids } from './host-usage';
import type { ContainerStatsSummary, FsStats, MemoryStats, PodStatsSummary, StatsSummary } from '../../../main/protocol/stats-summary';

export interface StatsCollectorOptions {
  nodeName: string;
  /** The node's own cgroup (sandbox nodes); empty: the whole machine from /proc. */
  cgroupParent?: string;
  /** A path on the node's filesystem for fs stats (the agent's state dir). */
  fsPath: string;
  startTime?: string;
}

function u64(v: { value: string } | null | undefined): number | undefined {
  if (!v) return undefined;
  const n = Number(v.value);
  return Number.isFinite(n) ? n : undefined;
}

export class StatsCollector {
  private readonly nodeCpu: NodeCpuSampler;
  private readonly containerSamples = new Map<string, CpuSample>();

  constructor(private readonly cri: CriClient, private readonly opts: StatsCollectorOptions) {
    this.nodeCpu = new NodeCpuSampler(opts.cgroupParent);
  }

  private nodeMemory(now: number): MemoryStats {
    const time = new Date(now).toISOString();
    const host = procMemInfo();
    const parent = this.opts.cgroupParent;
    const cg = parent ? cgroupMemory(parent) : undefined;
    if (cg) {
      const limit = Math.min(cg.limitBytes ?? host.totalBytes, host.totalBytes);
      return {
        time, usageBytes: cg.usageBytes, workingSetBytes: cg.workingSetBytes, rssBytes: cg.rssBytes,
        availableBytes: Math.max(0, limit - cg.workingSetBytes),
      };
    }
    const usage = host.totalBytes - host.freeBytes;
    return { time, usageBytes: usage, workingSetBytes: Math.max(0, usage - host.inactiveFileBytes), availableBytes: host.availableBytes };
  }

  private fs(now: number): FsStats | undefined {
    try {
      const s = statfsSync(this.opts.fsPath);
      const capacity = s.blocks * s.bsize;
      return { time: new Date(now).toISOString(), capacityBytes: capacity, availableBytes: s.bavail * s.bsize, usedBytes: (s.blocks - s.bfree) * s.bsize };
    } catch { return undefined; }
  }

  private container(st: ContainerStats, now: number, createdAtNs: string | undefined): ContainerStatsSummary | undefined {
    const attrs = st.attributes;
    if (!attrs) return undefined;
    const name = attrs.labels[LABEL_CONTAINER_NAME] ?? attrs.metadata?.name ?? '';
    const time = new Date(now).toISOString();
    const total = u64(st.cpu?.usage_core_nano_seconds);
    let nano = u64(st.cpu?.usage_nano_cores);
    if (total !== undefined) {
      const cur = { at: now, nanos: total };
      if (!nano) nano = cpuRate(this.containerSamples.get(attrs.id), cur);
      this.containerSamples.set(attrs.id, cur);
    }
    const ws = u64(st.memory?.working_set_bytes);
    const usage = u64(st.memory?.usage_bytes);
    const rss = u64(st.memory?.rss_bytes);
    const created = Number(createdAtNs ?? 0) / 1e6;
    return {
      name,
      ...(created > 0 ? { startTime: new Date(created).toISOString() } : {}),
      cpu: { time, ...(total !== undefined ? { usageCoreNanoSeconds: total } : {}), ...(nano !== undefined ? { usageNanoCores: nano } : {}) },
      memory: {
        time, ...(ws !== undefined ? { workingSetBytes: ws } : {}), ...(usage !== undefined ? { usageBytes: usage } : {}),
        ...(rss !== undefined ? { rssBytes: rss } : {}),
      },
    };
  }

  /** One sample of everything (call it periodically: CPU rates are over the time since the last call). */
  async summary(): Promise<StatsSummary> {
    const now = Date.now();
    const [stats, running] = await Promise.all([
      this.cri.listContainerStats({ label_selector: { [LABEL_MANAGED]: 'true' } }),
      this.cri.listContainers({ state: { state: 'CONTAINER_RUNNING' }, label_selector: { [LABEL_MANAGED]: 'true' } }),
    ]);
    const live = new Map(running.map((c) => [c.id, c.created_at]));
    const pods = new Map<string, PodStatsSummary>();
    for (const st of stats) {
      const attrs = st.attributes;
      if (!attrs || !live.has(attrs.id)) continue;
      const uid = attrs.labels[LABEL_POD_UID];
      if (!uid) continue;
      const c = this.container(st, now, live.get(attrs.id));
      if (!c) continue;
      let pod = pods.get(uid);
      if (!pod) {
        pod = { podRef: { uid, name: attrs.labels[LABEL_POD_NAME] ?? '', namespace: attrs.labels[LABEL_POD_NAMESPACE] ?? '' }, containers: [] };
        pods.set(uid, pod);
      }
      pod.containers.push(c);
    }
    for (const id of [...this.containerSamples.keys()]) if (!live.has(id)) this.containerSamples.delete(id);
    const time = new Date(now).toISOString();
    for (const pod of pods.values()) {
      pod.containers.sort((a, b) => compareCodePoints(a.name, b.name));
      // The pod's cumulative CPU: its containers' (the kubelet reads the pod's cgroup, which also has the sandbox's pause).
      const totals = pod.containers.map((c) => c.cpu?.usageCoreNanoSeconds);
      pod.cpu = {
        time, usageNanoCores: pod.containers.reduce((s, c) => s + (c.cpu?.usageNanoCores ?? 0), 0),
        ...(totals.every((t) => t !== undefined) ? { usageCoreNanoSeconds: totals.reduce((s: number, t) => s + (t ?? 0), 0) } : {}),
      };
      pod.memory = { time, workingSetBytes: pod.containers.reduce((s, c) => s + (c.memory?.workingSetBytes ?? 0), 0) };
    }
    let rlimit: { time: string; maxpid: number; curproc: number } | undefined;
    try { const p = procPids(); rlimit = { time, maxpid: p.max, curproc: p.running }; } catch { /* no /proc */ }
    const fs = this.fs(now);
    return {
      node: {
        nodeName: this.opts.nodeName,
        ...(this.opts.startTime ? { startTime: this.opts.startTime } : {}),
        cpu: this.nodeCpu.sample(now),
        memory: this.nodeMemory(now),
        ...(fs ? { fs } : {}),
        ...(rlimit ? { rlimit } : {}),
      },
      pods: [...pods.values()].sort((a, b) => compareCodePoints(`${a.podRef.namespace}/${a.podRef.name}`, `${b.podRef.namespace}/${b.podRef.name}`)),
    };
  }
}
