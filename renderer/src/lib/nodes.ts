// Reading a Node: readiness, roles, provider, capacity.
import type { MachineProvider, Node, NodeCondition } from '../../../main/api/types';
import { cpuMillisOrNaN, quantityOrNaN } from '../../../main/api/quantity';

export type NodeHealth = 'ready' | 'notready' | 'unknown' | 'cordoned';

export function readyCondition(n: Node): NodeCondition | undefined {
  return n.status?.conditions?.find((c) => c.type === 'Ready');
}

export function nodeHealth(n: Node): NodeHealth {
  const r = readyCondition(n);
  if (!r || r.status === 'Unknown') return 'unknown';
  if (r.status !== 'True') return 'notready';
  return n.spec?.unschedulable ? 'cordoned' : 'ready';
}

/** A machine provider's name as its makers write it (Sandbox, Lima, Multipass, QEMU). */
export const PROVIDER_LABEL: Record<MachineProvider, string> = { sandbox: 'Sandbox', lima: 'Lima', multipass: 'Multipass', qemu: 'QEMU' };

export const HEALTH_LABEL: Record<NodeHealth, string> = { ready: 'Ready', notready: 'Not ready', unknown: 'Unknown', cordoned: 'Ready, cordoned' };

/** Conditions that signal trouble (pressure True, or Ready not True). */
export function problemConditions(n: Node): NodeCondition[] {
  return (n.status?.conditions ?? []).filter((c) => (c.type === 'Ready' ? c.status !== 'True' : c.status === 'True'));
}

/** The provider that made the node (sandbox, lima, multipass, hollow), when it says. */
export function nodeProvider(n: Node): string | undefined {
  const labels = n.metadata?.labels ?? {};
  return labels['flotilla.dev/provider'] ?? (labels['flotilla.dev/hollow'] ? 'hollow' : undefined) ?? n.spec?.providerID?.split(':')[0] ?? (n.metadata?.name?.startsWith('hollow-') ? 'hollow' : undefined);
}

export function allocatable(n: Node): { cpuMillis: number; memoryBytes: number; pods: number } {
  const a = n.status?.allocatable ?? n.status?.capacity ?? {};
  return { cpuMillis: cpuMillisOrNaN(a.cpu), memoryBytes: quantityOrNaN(a.memory), pods: quantityOrNaN(a.pods) };
}

export function internalIP(n: Node): string | undefined {
  return n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}
