// status.nodeInfo: kernel, OS image, runtime and kubelet versions, architecture, machine IDs.
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import type { NodeStatus } from '../../../main/api/types';
import type { VersionResponse } from '../cri/types';
import { KUBELET_VERSION } from './resources';

type NodeInfo = NonNullable<NodeStatus['nodeInfo']>;

function readTrim(path: string): string {
  try { return readFileSync(path, 'utf8').trim(); } catch { return ''; }
}

export function osImage(text: string = readTrim('/etc/os-release')): string {
  const m = /^PRETTY_NAME=("?)(.*)\1$/m.exec(text);
  return m?.[2] ?? 'Linux';
}

export function goArch(arch: string = process.arch): string {
  const map: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return map[arch] ?? arch;
}

/** The machine's IDs as the kubelet reports them (cAdvisor's machine_id, system_uuid, boot_id too). */
export function machineIdentity(): { machineID: string; systemUUID: string; bootID: string } {
  const machineID = readTrim('/etc/machine-id');
  return { machineID, systemUUID: readTrim('/sys/class/dmi/id/product_uuid') || machineID, bootID: readTrim('/proc/sys/kernel/random/boot_id') };
}

export function nodeInfo(runtime: VersionResponse): NodeInfo {
  return {
    ...machineIdentity(),
    kernelVersion: release(),
    osImage: osImage(),
    containerRuntimeVersion: `${runtime.runtime_name}://${runtime.runtime_version.replace(/^v/, '')}`,
    kubeletVersion: KUBELET_VERSION,
    kubeProxyVersion: '',
    operatingSystem: 'linux',
    architecture: goArch(),
  };
}
