// The node's pod network once IPAM has given it a podCIDR: the CNI conflist (containerd picks it up
// and pods get addresses) and the egress masquerade rule.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cniConfig } from '../network/cni-config';
import { ensurePodEgressMasquerade } from '../network/masquerade';
import type { Exec } from '../proxy/exec';

export const CNI_CONFIG_FILE = '10-flotilla.conflist';

export interface PodNetworkConfig {
  cniConfDir: string;
  cniDataDir: string;
  bridgeName: string;
  clusterCIDR: string;
  exec: Exec;
}

/** Writes the conflist (atomically, only when it differs); returns true when it changed. */
export function writeCniConfig(c: PodNetworkConfig, podCIDR: string): boolean {
  const text = cniConfig(c.bridgeName, podCIDR, c.cniDataDir);
  const file = join(c.cniConfDir, CNI_CONFIG_FILE);
  let current = '';
  try { current = readFileSync(file, 'utf8'); } catch { /* not yet */ }
  if (current === text) return false;
  mkdirSync(c.cniConfDir, { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  return true;
}

export async function setUpPodNetwork(c: PodNetworkConfig, podCIDR: string): Promise<void> {
  writeCniConfig(c, podCIDR);
  await ensurePodEgressMasquerade(c.exec, podCIDR, c.clusterCIDR);
}
