// A network namespace's interface counters from /proc/<pid>/net/dev (the namespace of that process), as cAdvisor
// reads them: loopback, veth and docker interfaces left out.
import { readFileSync } from 'node:fs';

export interface NetInterface {
  name: string;
  rxBytes: number; rxPackets: number; rxErrors: number; rxDropped: number;
  txBytes: number; txPackets: number; txErrors: number; txDropped: number;
}

/** cAdvisor's ignored interface name prefixes. */
const IGNORED = ['lo', 'veth', 'docker'];

/** The interfaces of /proc/net/dev's text (two header lines, then `name: 16 counters`). */
export function parseNetDev(text: string): NetInterface[] {
  return text.split('\n').slice(2).flatMap((line) => {
    const colon = line.indexOf(':');
    if (colon < 0) return [];
    const name = line.slice(0, colon).trim();
    if (IGNORED.some((p) => name.startsWith(p))) return [];
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (f.length < 16 || f.some((n) => !Number.isFinite(n))) return [];
    const [rxBytes = 0, rxPackets = 0, rxErrors = 0, rxDropped = 0] = f;
    const [txBytes = 0, txPackets = 0, txErrors = 0, txDropped = 0] = f.slice(8);
    return [{ name, rxBytes, rxPackets, rxErrors, rxDropped, txBytes, txPackets, txErrors, txDropped }];
  });
}

/** The interfaces of the network namespace process `pid` is in ('self': the agent's own), [] when it is gone. */
export function netDevOf(pid: number | 'self'): NetInterface[] {
  try {
    return parseNetDev(readFileSync(`/proc/${pid}/net/dev`, 'utf8'));
  } catch {
    return [];
  }
}
