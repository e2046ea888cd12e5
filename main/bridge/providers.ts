// Which machine providers can run here, and why not. The node manager may supply its own answer;
// this is the fallback the bridge uses: the same checks the providers make before starting.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProviderAvailability } from './contract';

export type ProviderSource = () => Promise<ProviderAvailability[]>;

function onPath(cmd: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, cmd))) return true;
  }
  return false;
}

export const defaultProviders: ProviderSource = async () => {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sandbox: ProviderAvailability = process.platform !== 'linux'
    ? { provider: 'sandbox', available: false, reason: 'sandbox nodes need Linux (network namespaces)' }
    : !root
      ? { provider: 'sandbox', available: false, reason: 'sandbox nodes need root (run Flotilla as root, or pick a VM provider)' }
      : !onPath('containerd')
        ? { provider: 'sandbox', available: false, reason: 'containerd is not installed (run `npm run setup`)' }
        : { provider: 'sandbox', available: true, reason: 'a lightweight node in a network namespace on this machine' };
  const lima: ProviderAvailability = onPath('limactl')
    ? { provider: 'lima', available: true, reason: 'a Lima virtual machine' }
    : { provider: 'lima', available: false, reason: 'limactl is not installed (https://lima-vm.io)' };
  const multipass: ProviderAvailability = onPath('multipass')
    ? { provider: 'multipass', available: true, reason: 'a Multipass virtual machine' }
    : { provider: 'multipass', available: false, reason: 'multipass is not installed (https://multipass.run)' };
  const qemu: ProviderAvailability = process.platform !== 'linux' || !root
    ? { provider: 'qemu', available: false, reason: 'QEMU nodes need Linux and root (their taps join the cluster bridge)' }
    : onPath('qemu-system-x86_64')
      ? { provider: 'qemu', available: true, reason: 'a QEMU virtual machine with its own kernel' }
      : { provider: 'qemu', available: false, reason: 'QEMU is not installed (apt-get install qemu-system-x86 qemu-utils mmdebstrap e2fsprogs)' };
  return [sandbox, lima, multipass, qemu];
};
