// Removes every machine of a data dir and what the sandbox provider made on the host: node
// namespaces, cgroups, mounts, processes, the bridge, the forward chain and its network's claim.
// Used by `flotilla down` after the API (if a server is running) has deleted the Machines, and as
// its fallback when not.
import type { Provider } from './types';
import type { MachineProvider } from '../api/types';
import { createProviders } from './providers';
import { readSandboxConfig } from './providers/sandbox/config';
import { releaseClaim, withClaimsLock } from './providers/sandbox/claims';
import { teardownSandboxHost } from './providers/sandbox/host';
import { mountsUnder } from './providers/sandbox/node';
import { sandboxDir } from './providers/sandbox/config';
import { errorMessage, mustRun } from './exec';

export interface DownReport { removed: string[]; errors: string[] }

export async function downMachines(
  dataDir: string, log: (l: string) => void = () => undefined, providers?: Map<MachineProvider, Provider>,
): Promise<DownReport> {
  const report: DownReport = { removed: [], errors: [] };
  const all = providers ?? createProviders({ dataDir });
  for (const p of all.values()) {
    if (p.name === 'sandbox' && !readSandboxConfig(dataDir)) continue; // never made a sandbox node
    const avail = await p.available();
    if (!avail.ok) continue;
    let machines: Awaited<ReturnType<Provider['list']>> = [];
    try {
      machines = await p.list();
    } catch (e) {
      report.errors.push(`${p.name}: listing machines: ${errorMessage(e)}`);
    }
    for (const m of machines) {
      try {
        log(`removing ${p.name} machine ${m.name}`);
        await p.delete(m.name);
        report.removed.push(`${p.name}/${m.name}`);
      } catch (e) {
        report.errors.push(`${p.name}/${m.name}: ${errorMessage(e)}`);
      }
    }
  }
  const cfg = readSandboxConfig(dataDir);
  if (cfg && process.getuid?.() === 0) {
    for (const m of mountsUnder(sandboxDir(dataDir))) {
      try { await mustRun(['umount', '-l', m]); } catch (e) { report.errors.push(errorMessage(e)); }
    }
    try {
      await teardownSandboxHost(cfg);
      log(`removed bridge ${cfg.bridge}`);
      // With no nodes left the network is free again; the data dir registers it anew on its next use.
      withClaimsLock(() => releaseClaim(dataDir, cfg.bridge));
    } catch (e) {
      report.errors.push(`sandbox host: ${errorMessage(e)}`);
    }
  }
  return report;
}
