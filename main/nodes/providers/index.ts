// The providers of a data dir, and the default one for this machine.
import type { MachineProvider } from '../../api/types';
import type { Provider } from '../types';
import { SandboxProvider } from './sandbox/provider';
import { LimaProvider } from './lima';
import { MultipassProvider } from './multipass';
import { QemuProvider } from './qemu/provider';
import type { SandboxConfig } from './sandbox/config';

export interface ProviderOptions {
  dataDir: string;
  sandbox?: Partial<SandboxConfig>;
  /** Command names (tests put stand-ins on PATH or pass absolute paths). */
  limactl?: string;
  multipass?: string;
  /** The QEMU provider's image cache and binary (default: D/qemu/images, qemu-system-x86_64). */
  qemu?: { imageCache?: string; binary?: string };
  /** The cluster's pod network (serve --cluster-cidr): a VM's pod-bridge address in it is never the VM's own. */
  clusterCIDR?: string;
}

export function createProviders(o: ProviderOptions): Map<MachineProvider, Provider> {
  const m = new Map<MachineProvider, Provider>();
  const sandbox = new SandboxProvider({ dataDir: o.dataDir, config: o.sandbox });
  m.set('sandbox', sandbox);
  m.set('lima', new LimaProvider({ dataDir: o.dataDir, limactl: o.limactl, clusterCIDR: o.clusterCIDR }));
  m.set('multipass', new MultipassProvider({ dataDir: o.dataDir, multipass: o.multipass, clusterCIDR: o.clusterCIDR }));
  m.set('qemu', new QemuProvider({ dataDir: o.dataDir, sandbox, imageCache: o.qemu?.imageCache, qemu: o.qemu?.binary }));
  return m;
}

/** Sandbox on Linux as root, Lima on macOS, else Multipass. */
export function defaultProvider(): MachineProvider {
  if (process.platform === 'linux' && process.getuid?.() === 0) return 'sandbox';
  if (process.platform === 'darwin') return 'lima';
  return 'multipass';
}

export function isProviderName(s: string): s is MachineProvider {
  return s === 'sandbox' || s === 'lima' || s === 'multipass' || s === 'qemu';
}
