// Service ClusterIPs (10.96.0.0/16; 10.96.0.1 is the API's own) and NodePorts (30000–32767).
// Allocation is in memory and synchronous, so concurrent creates can never get the same value;
// the state is rebuilt from the stored services at start.
import { randomInt } from 'node:crypto';

export class RangeAllocator {
  private readonly used = new Set<number>();
  private readonly reserved: ReadonlySet<number>;
  /** `reserved` values are never handed out by allocate(); a create naming one claims it (the `kubernetes` and `kube-dns` Services). */
  constructor(readonly first: number, readonly last: number, reserved: number[] = []) {
    this.reserved = new Set(reserved);
  }

  has(n: number): boolean {
    return this.used.has(n);
  }

  inRange(n: number): boolean {
    return n >= this.first && n <= this.last;
  }

  /** Claims a specific value; false when taken. */
  claim(n: number): boolean {
    if (this.used.has(n)) return false;
    this.used.add(n);
    return true;
  }

  /** Claims a free value, or undefined when the range is full. */
  allocate(): number | undefined {
    const size = this.last - this.first + 1;
    let n = this.first + randomInt(size);
    for (let i = 0; i < size; i++) {
      if (!this.used.has(n) && !this.reserved.has(n)) {
        this.used.add(n);
        return n;
      }
      n = n === this.last ? this.first : n + 1;
    }
    return undefined;
  }

  release(n: number): void {
    this.used.delete(n);
  }
}

export function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function intToIp(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export const SERVICE_CIDR = '10.96.0.0/16';
export const API_SERVICE_IP = '10.96.0.1';
export const DNS_SERVICE_IP = '10.96.0.10';
export const NODE_PORT_RANGE = { first: 30000, last: 32767 };

export function newClusterIPAllocator(): RangeAllocator {
  const base = ipToInt('10.96.0.0')!;
  return new RangeAllocator(base + 1, base + 65534, [ipToInt(API_SERVICE_IP)!, ipToInt(DNS_SERVICE_IP)!]);
}

export function newNodePortAllocator(): RangeAllocator {
  return new RangeAllocator(NODE_PORT_RANGE.first, NODE_PORT_RANGE.last);
}
