// One-click failures on sandbox nodes and their pods, and the heal that restores a node: each failure and each heal is
// recorded as an Event on the node or pod (source flotilla-faults). A failure stays in force until healed; everything a
// failure adds (iptables chains, the fill file) is removed by the heal and when the node manager stops.
import type { Node, Pod } from '../api/types';
import { FAULT_EVENT_REASON, HEAL_EVENT_REASON, nodeFaultLabel, podFaultLabel, type NodeFault, type NodeFaultState, type PodFault, type PodFaultState } from '../api/faults';
import { isNotFound, type ApiClient } from '../client/types';
import { EventRecorder } from '../client/record/recorder';
import { R } from '../client/refs';
import type { MachineController } from './machine-controller';
import type { SandboxProvider } from './providers/sandbox/provider';
import type { SandboxNodeState } from './providers/sandbox/node-state';
import { cutNetwork, healNetwork, type NetworkCut } from './providers/sandbox/partition';
import { fillDisk, killContainerTask, killNodeService, unfillDisk } from './providers/sandbox/faults';
import type { AgentEndpoint } from '../protocol/agent-connection';
import { AgentRefusal, ReadinessFaults } from './readiness-faults';

const CUTS: Partial<Record<NodeFault, NetworkCut>> = { 'cut-control-plane': 'control-plane', 'cut-nodes': 'nodes' };

export class FaultError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export interface NodeFaultsOptions {
  dataDir: string;
  client: ApiClient;
  controller: MachineController;
  /** The sandbox provider (absent: no node takes failures). */
  sandbox?: SandboxProvider;
  /** The nodes' agents (a pod's readiness probe is failed by its agent). */
  agents: AgentEndpoint;
  log?: (line: string) => void;
  /** The cluster's pod network, dropped between nodes by the nodes cut (default 10.244.0.0/16). */
  clusterCIDR?: string;
}

export class NodeFaults {
  private readonly active = new Map<string, Set<NodeFault>>();
  private readonly events: EventRecorder;
  private readonly readiness: ReadinessFaults;

  constructor(private readonly o: NodeFaultsOptions) {
    this.events = new EventRecorder(o.client, { component: 'flotilla-faults' });
    this.readiness = new ReadinessFaults(o.agents);
  }

  /** The node's sandbox state, or why failures cannot be caused there. */
  private target(node: string): { s?: SandboxNodeState; reason?: string } {
    const s = this.o.sandbox?.state(node);
    if (s) return { s };
    return { reason: `node ${node} is not one of this Flotilla's sandbox nodes: failures are caused on sandbox nodes only` };
  }

  state(node: string): NodeFaultState {
    const { s, reason } = this.target(node);
    return { node, supported: !!s, ...(reason ? { reason } : {}), active: [...(this.active.get(node) ?? [])] };
  }

  private async nodeRef(node: string): Promise<Node> {
    try {
      return await this.o.client.get<Node>(R.nodes, node);
    } catch {
      return { apiVersion: 'v1', kind: 'Node', metadata: { name: node } };
    }
  }

  async inject(node: string, fault: NodeFault): Promise<NodeFaultState> {
    const { s, reason } = this.target(node);
    if (!s) throw new FaultError(409, reason ?? `node ${node} takes no failures`);
    const n = await this.nodeRef(node);
    let how: string;
    const cut = CUTS[fault];
    if (cut) {
      await cutNetwork(this.o.sandbox!.config, s, cut, { podCIDR: n.spec?.podCIDR, clusterCIDR: this.o.clusterCIDR });
      how = cut === 'control-plane' ? 'iptables DROP of the control plane\'s address in the node\'s network namespace'
        : 'iptables DROP of the other nodes\' and their pods\' addresses in the node\'s network namespace';
    } else if (fault === 'stop-agent' || fault === 'kill-containerd') {
      const service = fault === 'stop-agent' ? 'agent' : 'containerd';
      if (!killNodeService(this.o.dataDir, s, service)) throw new FaultError(409, `${service} is not running on node ${node}`);
      how = `SIGKILL of ${service} and its supervisor`;
    } else if (fault === 'fill-disk') {
      let bytes: number;
      try {
        bytes = await fillDisk(this.o.dataDir, s);
      } catch (e) {
        throw new FaultError(409, e instanceof Error ? e.message : String(e));
      }
      how = `${(bytes / 2 ** 20).toFixed(0)} MiB written to the node's /var/lib/flotilla, leaving under 10 % available`;
    } else {
      await this.o.sandbox!.stop(node);
      how = 'every process of the node killed and its network namespace removed';
    }
    this.add(node, fault);
    this.events.event(n, 'Warning', FAULT_EVENT_REASON, `${nodeFaultLabel(fault)} (Flotilla failure: ${how})`);
    return this.state(node);
  }

  private add(node: string, fault: NodeFault): void {
    const set = this.active.get(node) ?? new Set<NodeFault>();
    set.add(fault);
    this.active.set(node, set);
  }

  /** Removes what the failures added, then connects and bootstraps the node again (it is booted if it was killed). */
  async heal(node: string): Promise<NodeFaultState> {
    const { s, reason } = this.target(node);
    if (!s) throw new FaultError(409, reason ?? `node ${node} takes no failures`);
    const healed = [...(this.active.get(node) ?? [])];
    for (const p of this.readiness.onNode(node)) await this.healPod(p.namespace, p.name).catch((e: unknown) => this.o.log?.(`faults: ${e instanceof Error ? e.message : String(e)}`));
    await this.undo(s);
    this.active.delete(node);
    this.o.controller.reattach(node);
    const what = healed.length ? healed.map(nodeFaultLabel).join(', ') : 'nothing was broken';
    this.events.event(await this.nodeRef(node), 'Normal', HEAL_EVENT_REASON, `Healed (${what}): network rules and fill file removed, node reconnected and bootstrapped again`);
    return this.state(node);
  }

  /** Every trace of a failure on the node: its cut chains and its fill file. */
  private async undo(s: SandboxNodeState): Promise<void> {
    for (const cut of Object.values(CUTS)) await healNetwork(s, cut);
    unfillDisk(this.o.dataDir, s);
  }

  /**
   * kill-container: SIGKILLs one container of a pod (the first running one when none is named) through its node's
   * containerd. fail-readiness: the node's agent fails the container's readiness probe (the first container with one when
   * none is named) until healed.
   */
  async podFault(namespace: string, name: string, fault: PodFault, container?: string): Promise<void> {
    const pod = await this.getPod(namespace, name);
    const node = pod.spec?.nodeName;
    if (!node) throw new FaultError(409, `pod ${namespace}/${name} is not on a node yet`);
    const { s, reason } = this.target(node);
    if (!s) throw new FaultError(409, reason ?? `node ${node} takes no failures`);
    if (fault === 'fail-readiness') return this.failReadiness(pod, node, container);
    const statuses = pod.status?.containerStatuses ?? [];
    const cs = container ? statuses.find((c) => c.name === container) : statuses.find((c) => c.state?.running);
    if (!cs) throw new FaultError(404, container ? `pod ${namespace}/${name} has no container ${container}` : `pod ${namespace}/${name} has no running container`);
    if (!cs.state?.running || !cs.containerID) throw new FaultError(409, `container ${cs.name} of pod ${namespace}/${name} is not running`);
    await killContainerTask(this.o.dataDir, s, cs.containerID.replace(/^containerd:\/\//, ''));
    this.events.event(pod, 'Warning', FAULT_EVENT_REASON, `${podFaultLabel(fault)} ${cs.name} (Flotilla failure: SIGKILL of its task through containerd)`);
  }

  private async getPod(namespace: string, name: string): Promise<Pod> {
    try {
      return await this.o.client.get<Pod>(R.pods, name, namespace);
    } catch (e) {
      if (isNotFound(e)) throw new FaultError(404, `pod ${namespace}/${name} not found`);
      throw e;
    }
  }

  private async failReadiness(pod: Pod, node: string, named?: string): Promise<void> {
    const { namespace = 'default', name = '' } = pod.metadata ?? {};
    const container = ReadinessFaults.container(pod, named);
    if (!container) throw new FaultError(409, `pod ${namespace}/${name} has no container with a readiness probe: without one the kubelet counts a running container ready, so there is no probe to fail`);
    try {
      await this.readiness.fail(pod, node, container);
    } catch (e) {
      if (e instanceof AgentRefusal) throw new FaultError(e.code, e.message);
      throw e;
    }
    this.events.event(pod, 'Warning', FAULT_EVENT_REASON, `${podFaultLabel('fail-readiness')} of container ${container} (Flotilla failure: the node's kubelet fails its readiness probe attempts until healed)`);
  }

  /** The pod's failures in force. */
  podState(namespace: string, name: string): PodFaultState {
    return this.readiness.state(namespace, name);
  }

  /** Restores the pod's failed readiness probes (the kubelet's next attempts run the probes again). */
  async healPod(namespace: string, name: string): Promise<PodFaultState> {
    let restored: string[];
    try {
      restored = await this.readiness.heal(namespace, name);
    } catch (e) {
      if (e instanceof AgentRefusal) throw new FaultError(e.code, e.message);
      throw e;
    }
    if (restored.length) {
      const pod = await this.o.client.get<Pod>(R.pods, name, namespace).catch(() => undefined);
      if (pod) this.events.event(pod, 'Normal', HEAL_EVENT_REASON, `Healed (${podFaultLabel('fail-readiness')} of container ${restored.join(', ')}): the kubelet runs the readiness probe again`);
    }
    return this.podState(namespace, name);
  }

  /** Removes every failure's traces (the node manager stopping); nodes are not reconnected. */
  async cleanup(): Promise<void> {
    await this.readiness.cleanup(this.o.log);
    for (const node of this.active.keys()) {
      const s = this.o.sandbox?.state(node);
      if (s) await this.undo(s).catch((e: unknown) => this.o.log?.(`faults: cleaning up node ${node}: ${e instanceof Error ? e.message : String(e)}`));
    }
    this.active.clear();
    await this.events.flush();
    this.events.stop();
  }
}
