// The pod network a data dir was created with (--cluster-cidr), kept in <data-dir>/cluster-network.json: its nodes
// carry /24s of it (spec.podCIDR) and their pods live there, so a later start with another one is refused rather than
// mixing two networks in one cluster. A data dir from before the file existed was made with the default.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CLUSTER_CIDR, parseClusterCIDR } from '../api/cluster-cidr';

const FILE = 'cluster-network.json';

export function clusterNetworkFile(dataDir: string): string {
  return path.join(dataDir, FILE);
}

/** The saved cluster CIDR, or undefined when none is saved; an unreadable file is an error (never silently replaced). */
export function readClusterCIDRSetting(dataDir: string): string | undefined {
  const file = clusterNetworkFile(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let v: unknown;
  try {
    v = (JSON.parse(text) as { clusterCIDR?: unknown }).clusterCIDR;
  } catch {
    v = undefined;
  }
  if (typeof v !== 'string') throw new Error(`${file} does not say which cluster CIDR this data dir uses (expected {"clusterCIDR": "10.244.0.0/16"})`);
  return parseClusterCIDR(v).cidr;
}

function write(dataDir: string, clusterCIDR: string): void {
  const file = clusterNetworkFile(dataDir);
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify({ clusterCIDR })}\n`, { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

/**
 * The cluster CIDR this start uses: the saved one; for a data dir without one, `wanted` (default 10.244.0.0/16) when
 * the data dir is new, else the default it was made with — saved either way. A `wanted` other than the saved one
 * throws, saying both.
 */
export function settleClusterCIDR(dataDir: string, wanted: string | undefined, isNew: boolean): string {
  const want = wanted === undefined ? undefined : parseClusterCIDR(wanted).cidr;
  let saved = readClusterCIDRSetting(dataDir);
  if (saved === undefined) {
    saved = isNew ? (want ?? DEFAULT_CLUSTER_CIDR) : DEFAULT_CLUSTER_CIDR;
    write(dataDir, saved);
  }
  if (want !== undefined && want !== saved) {
    throw new Error(`data dir ${dataDir} was created with cluster CIDR ${saved}; it cannot start with --cluster-cidr ${want} `
      + `(its nodes and pods have addresses of ${saved}): leave --cluster-cidr out or give ${saved}, or use a new data dir`);
  }
  return saved;
}
