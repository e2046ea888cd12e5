// Networks of a test's own, so that test files run side by side (the `host` and `nodes` lanes, other people's runs):
// a sandbox network (bridge, subnet, name prefix) and a cluster CIDR, each derived from the test process's PID and a
// number, the first candidate not already in use on the host (links, addresses, routes, netns and cgroup names, the
// sandbox network register) taken. Derived, not random: a clash needs another process choosing at the same moment
// from the same PID-derived starting point. Under scripts/run-tests.mjs each run (FLOTILLA_TEST_LANE: vm, host, nodes,
// in-process, node-local) takes from its own share of the ranges: runs side by side once chose the same subnet before
// either had made its bridge (a host-run node answered SSH for a nodes-run cluster). Within a run files take turns.
import { hostNetworkUse } from '../../main/nodes/providers/sandbox/host-network-use';
import { listClaims } from '../../main/nodes/providers/sandbox/claims';
import type { SandboxConfig } from '../../main/nodes/providers/sandbox/config';

/** Sandbox subnets tests take: 10.251.100.0/24–10.251.249.0/24 (below 100 are `flotilla serve`'s and the app's). */
const SANDBOX_THIRDS = { first: 100, count: 150 };
/** Cluster CIDRs tests take: the /20s of 10.128.0.0/10 (clear of 10.96 services, 10.244 the default, 10.250/10.251). */
const CLUSTER_BLOCKS = { base: 10 * 2 ** 24 + 128 * 2 ** 16, count: 1024, size: 2 ** 12 };

/** The runs of scripts/run-tests.mjs, each with its share of the ranges; any other process (one `vitest run`) has all. */
const LANES = ['vm', 'host', 'nodes', 'in-process', 'node-local'];

/** This process's share of `count` candidates: [offset, size]. */
export function laneShare(count: number, lane = process.env.FLOTILLA_TEST_LANE): [number, number] {
  const i = LANES.indexOf(lane ?? '');
  if (i < 0) return [0, count];
  const size = Math.floor(count / LANES.length);
  return [i * size, size];
}

const taken = new Set<string>();
const sandboxes = new Map<number, SandboxConfig>();

/**
 * A sandbox network of this process's own, number n (a letter of the names): bridge and prefix flt<pid base 36><letter>.
 * The same n gives the same network again.
 */
export function uniqueSandboxNetwork(n: number): SandboxConfig {
  const known = sandboxes.get(n);
  if (known) return known;
  const id = `flt${process.pid.toString(36)}${String.fromCharCode(97 + (n % 26))}`;
  const host = hostNetworkUse();
  const claimed = new Set(listClaims().map((c) => c.subnet));
  const [offset, size] = laneShare(SANDBOX_THIRDS.count);
  const start = (process.pid * 7 + n * 13) % size;
  for (let k = 0; k < size; k++) {
    const subnet = `10.251.${SANDBOX_THIRDS.first + offset + ((start + k) % size)}.0/24`;
    if (taken.has(subnet) || claimed.has(subnet) || host.subnetUsed(subnet)) continue;
    taken.add(subnet);
    const c = { bridge: id, subnet, prefix: id };
    sandboxes.set(n, c);
    return c;
  }
  throw new Error(`no free test sandbox subnet left in this run's share of 10.251.100-249.0/24 (${size} from 10.251.${SANDBOX_THIRDS.first + offset}.0)`);
}

let clusters = 0;

/** A cluster CIDR (a /20: 16 nodes' /24s) of this process's own, none of whose /24s the host addresses or routes. */
export function uniqueClusterCIDR(): string {
  const host = hostNetworkUse();
  const [offset, size] = laneShare(CLUSTER_BLOCKS.count);
  const start = (process.pid * 31 + clusters++ * 17) % size;
  for (let k = 0; k < size; k++) {
    const base = CLUSTER_BLOCKS.base + (offset + ((start + k) % size)) * CLUSTER_BLOCKS.size;
    const cidr = `${[base >>> 24, (base >>> 16) & 255, (base >>> 8) & 255, 0].join('.')}/20`;
    const slash24s = Array.from({ length: 16 }, (_, i) => `${[base >>> 24, (base >>> 16) & 255, ((base >>> 8) & 255) + i, 0].join('.')}/24`);
    if (taken.has(cidr) || slash24s.some((s) => host.subnetUsed(s))) continue;
    taken.add(cidr);
    return cidr;
  }
  throw new Error('no free test cluster CIDR left in 10.128.0.0/10');
}
