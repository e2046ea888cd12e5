// How a machine reaches the host (the built-in registry at `localhost:<port>`, host.flotilla.internal), and the registry
// files it gets for it: a sandbox node at its bridge's gateway (the registry gets a listener there); a Lima VM at its
// network's gateway, which Lima translates to the host's loopback where the registry listens; a Multipass VM at the
// host's own address on the VM's network (a listener there too). Without an address a node gets no built-in mapping.
import type { MachineProvider } from '../../api/types';
import type { FileSpec } from '../bootstrap';
import type { MachineInfo, Provider } from '../types';
import type { RegistrySettings } from './registry-settings';
import type { BuiltinRegistry } from './builtin';
import { SandboxProvider } from '../providers/sandbox/provider';
import { gatewayIP } from '../providers/sandbox/config';

/** The host's address as the machine sees it, and whether the registry must listen there (false: the VM's network forwards to the host's loopback). */
export function hostAddressOf(providers: Map<MachineProvider, Provider>, m: MachineInfo): { address: string; listen: boolean } | undefined {
  const sandbox = providers.get('sandbox');
  if (m.provider === 'sandbox' && sandbox instanceof SandboxProvider) return { address: gatewayIP(sandbox.config), listen: true };
  if (!m.hostAddress) return undefined;
  return { address: m.hostAddress, listen: m.provider !== 'lima' };
}

/** The registry files of each machine (the node manager's MachineController.registryFiles). */
export function nodeRegistryFiles(
  providers: Map<MachineProvider, Provider>, r: { settings: RegistrySettings; builtin?: Pick<BuiltinRegistry, 'port' | 'exposeOn'> }, log?: (line: string) => void,
): (m: MachineInfo) => Promise<FileSpec[]> {
  return async (m) => {
    const host = r.builtin ? hostAddressOf(providers, m) : undefined;
    if (r.builtin && !host) log?.(`node ${m.name}: ${m.provider} nodes get no localhost:${r.builtin.port} registry mapping (the host's address is not known)`);
    if (host?.listen) {
      await r.builtin?.exposeOn(host.address).catch((e: unknown) => log?.(`node ${m.name}: ${e instanceof Error ? e.message : String(e)}`));
    }
    return r.settings.filesFor(host?.address);
  };
}
