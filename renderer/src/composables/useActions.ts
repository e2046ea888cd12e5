// The cluster-changing actions the views offer, each reporting its outcome as a notice:
// API errors are shown as the server wrote them, never swallowed. Without a connection nothing is
// sent (the views disable their buttons too; drops and keys still land here).
import type { AddMachineRequest, DeployAppRequest, Kind, ProviderAvailability } from '../../../main/bridge/contract';
import type { Machine } from '../../../main/api/types';
import { call, connectionStatus, errorMessage } from '../bridge/client';
import { useNoticesStore } from '../stores/notices';

export function useActions() {
  const notices = useNoticesStore();

  async function attempt<T>(what: string, fn: () => Promise<T>, success?: (v: T) => string | undefined): Promise<T | undefined> {
    if (connectionStatus() !== 'open') {
      notices.error(`Could not ${what}`, 'Not connected to Flotilla: nothing was sent. Try again once the connection is back.');
      return undefined;
    }
    try {
      const v = await fn();
      const msg = success?.(v);
      if (msg) notices.success(msg);
      return v;
    } catch (e) {
      notices.error(`Could not ${what}`, errorMessage(e));
      return undefined;
    }
  }

  return {
    /** Any action with the same reporting (the resource browser's workload actions use it). */
    attempt,
    deploy: (req: DeployAppRequest) =>
      attempt(`deploy ${req.name}`, () => call('deployApp', req), (r) => `Deployed ${r.deployment} (${req.replicas} ${req.replicas === 1 ? 'replica' : 'replicas'}${req.node ? ` on ${req.node}` : ''})${r.service ? `, service ${r.service} (${req.expose})` : ''}`),
    deleteApp: (namespace: string, name: string) => attempt(`delete ${name}`, () => call('deleteApp', { namespace, name }), () => `Deleted ${name}`),
    unpinApp: (namespace: string, name: string) => attempt(`unpin ${name}`, () => call('unpinApp', { namespace, name }), () => `Unpinned ${name}: the scheduler places its pods on any node`),
    scale: (namespace: string, name: string, replicas: number) => attempt(`scale ${name}`, () => call('scale', { namespace, name, replicas })),
    deleteObject: (kind: Kind, name: string, namespace?: string) => attempt(`delete ${name}`, () => call('delete', { kind, name, namespace }), () => `Deleting ${name}`),
    cordon: (node: string, unschedulable: boolean) => attempt(`${unschedulable ? 'cordon' : 'uncordon'} ${node}`, () => call('cordon', { node, unschedulable }), () => `${node} ${unschedulable ? 'cordoned: no new pods will be placed on it' : 'uncordoned'}`),
    drain: (node: string) => attempt(`drain ${node}`, () => call('drain', { node }), (r) => {
      const evicted = `${r.evicted} ${r.evicted === 1 ? 'pod' : 'pods'} evicted`;
      if (!r.waiting.length) return `Drained ${node}: ${evicted}`;
      notices.info(`Draining ${node}: ${evicted}, ${r.waiting.length} waiting on a disruption budget (drain again later)`, r.waiting.join('\n'));
      return undefined;
    }),
    removeNode: (node: string) => attempt(`remove ${node}`, () => call('removeNode', { node }), () => `Removing ${node}`),
    addMachine: (req: AddMachineRequest): Promise<Machine | undefined> => attempt('add a node', () => call('addMachine', req), (m) => `Adding node ${m.metadata?.name ?? ''}`),
    retryMachine: (name: string) => attempt(`retry ${name}`, () => call('retryMachine', { name }), (m) => `Retrying as ${m.metadata?.name ?? ''}`),
    removeMachine: (name: string) => attempt(`remove ${name}`, () => call('removeMachine', { name }), () => `Removing ${name}`),
    applyYaml: (fileName: string, yaml: string) =>
      attempt(`apply ${fileName}`, () => call('applyYaml', { yaml }), (r) => `Applied ${fileName}: ${r.applied.map((a) => `${a.kind.toLowerCase()}/${a.name}`).join(', ')}`),
    importImage: (fileName: string, dataBase64: string) => attempt(`import ${fileName}`, () => call('importImage', { fileName, dataBase64 }), (r) => r.message),
    providers: async (): Promise<{ list: ProviderAvailability[]; error?: string }> => {
      try {
        return { list: await call('providers', null) };
      } catch (e) {
        return { list: [], error: errorMessage(e) };
      }
    },
  };
}
