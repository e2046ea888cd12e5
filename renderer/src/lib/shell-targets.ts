// Where a shell can be opened: a pod's running containers (in spec order), and whether a node is one of Flotilla's
// own machines (the only nodes it holds an SSH connection to).
import type { Machine, Pod } from '../../../main/api/types';

export function runningContainers(p: Pod): string[] {
  const running = new Set((p.status?.containerStatuses ?? []).filter((c) => c.state?.running).map((c) => c.name));
  return (p.spec?.containers ?? []).map((c) => c.name).filter((n) => running.has(n));
}

/** The Machine behind a node: same name, or status.nodeName pointing at it (as the bridge's removeNode finds it). */
export function machineOfNode(machines: Iterable<Machine>, node: string): Machine | undefined {
  for (const m of machines) if (m.metadata?.name === node || m.status?.nodeName === node) return m;
  return undefined;
}
