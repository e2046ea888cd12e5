// The host's routes the node manager owns: added with `ip route add`, removed by exact match (`ip route del DEST via
// GW`), never replaced. A destination already routed elsewhere (another cluster, a LAN, the user) is left alone and
// reported once; one routed the way we want (our own, from before a restart) is adopted.
import { runCmd } from './exec';
import type { HostRoute } from './host-route-plan';

export class HostRouteTable {
  /** dest → via, for the routes this table added or adopted. */
  private readonly owned = new Map<string, string>();
  private readonly reported = new Set<string>();

  constructor(private readonly log: (line: string) => void) {}

  get routes(): HostRoute[] {
    return [...this.owned].map(([dest, via]) => ({ dest, via }));
  }

  /** Makes the owned routes the desired ones (removals first, so a destination can move to another node). */
  async sync(desired: HostRoute[]): Promise<void> {
    const want = new Map(desired.map((r) => [r.dest, r.via]));
    for (const [dest, via] of [...this.owned]) if (want.get(dest) !== via) await this.remove(dest, via);
    for (const [dest, via] of want) if (this.owned.get(dest) !== via) await this.add(dest, via);
  }

  /** Removes every route this table owns. */
  async clear(): Promise<void> {
    for (const [dest, via] of [...this.owned]) await this.remove(dest, via);
  }

  private async add(dest: string, via: string): Promise<void> {
    const r = await runCmd(['ip', 'route', 'add', dest, 'via', via]);
    if (r.code === 0) {
      this.owned.set(dest, via);
      this.reported.delete(dest);
      return;
    }
    const existing = (await runCmd(['ip', '-o', 'route', 'show', 'exact', dest])).stdout.trim();
    // `ip route show` prints a /32 as the bare address.
    const shown = dest.endsWith('/32') ? dest.slice(0, -3) : dest;
    if (existing.startsWith(`${shown} via ${via} `)) {
      this.owned.set(dest, via);
      return;
    }
    const key = `${dest} ${existing || r.stderr.trim()}`;
    if (!this.reported.has(key)) {
      this.reported.add(key);
      this.log(`host routes: ${dest} not routed to ${via}: ${existing ? `the host already routes it (${existing})` : r.stderr.trim()}`);
    }
  }

  private async remove(dest: string, via: string): Promise<void> {
    this.owned.delete(dest);
    const r = await runCmd(['ip', 'route', 'del', dest, 'via', via]);
    // Gone already: its node's link went with the node.
    if (r.code !== 0 && !/No such process|Cannot find device|Nexthop has invalid gateway/.test(r.stderr)) {
      this.log(`host routes: removing ${dest} via ${via}: ${r.stderr.trim()}`);
    }
  }
}
