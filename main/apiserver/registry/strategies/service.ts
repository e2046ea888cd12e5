// Services: ClusterIPs and NodePorts are allocated on create and update, and released when a
// service goes (or a write that claimed them does not happen).
import type { KObject, Service, StoredObject } from '../../../api/types';
import { errors } from '../../status';
import { RangeAllocator, intToIp, ipToInt, newClusterIPAllocator, newNodePortAllocator } from '../allocators';
import type { Strategy } from '../strategy';

/** Allocates ClusterIPs and NodePorts for services and releases them when services go. */
export class ServiceAllocation implements Strategy {
  readonly ips: RangeAllocator = newClusterIPAllocator();
  readonly ports: RangeAllocator = newNodePortAllocator();

  restore(obj: StoredObject): void {
    this.forEachHeld(obj as Service, 'claim');
  }

  beforeCreate(obj: KObject): void {
    const svc = obj as Service;
    const spec = (svc.spec ??= {});
    const name = svc.metadata?.name ?? '';
    const claimed: { ip?: number; ports: number[] } = { ports: [] };
    try {
      if (spec.type !== 'ExternalName') {
        if (!spec.clusterIP) {
          const n = this.ips.allocate();
          if (n === undefined) throw errors.internal('failed to allocate a serviceIP: range is full');
          claimed.ip = n;
          spec.clusterIP = intToIp(n);
        } else if (spec.clusterIP !== 'None') {
          const n = ipToInt(spec.clusterIP);
          if (n === undefined || !this.ips.inRange(n)) throw invalidService(name, 'spec.clusterIPs', spec.clusterIP, 'failed to allocate IP ' + spec.clusterIP + ': the provided IP (' + spec.clusterIP + ') is not in the valid range. The range of valid IPs is 10.96.0.0/16');
          if (!this.ips.claim(n)) throw invalidService(name, 'spec.clusterIPs', spec.clusterIP, `failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`);
          claimed.ip = n;
        }
        spec.clusterIPs = [spec.clusterIP];
      }
      this.allocatePorts(svc, undefined, claimed.ports);
    } catch (e) {
      if (claimed.ip !== undefined) this.ips.release(claimed.ip);
      for (const p of claimed.ports) this.ports.release(p);
      throw e;
    }
  }

  rollbackCreate(obj: KObject): void {
    this.afterDelete(obj as StoredObject);
  }

  beforeUpdate(obj: KObject, old: StoredObject): void {
    const svc = obj as Service;
    const prev = old as Service;
    const spec = (svc.spec ??= {});
    // The ClusterIP is immutable; an update that leaves it out keeps the allocated one.
    if (!spec.clusterIP && prev.spec?.clusterIP) {
      spec.clusterIP = prev.spec.clusterIP;
      spec.clusterIPs = prev.spec.clusterIPs && [...prev.spec.clusterIPs]; // `old` may be the watch's shared object
    } else if (spec.clusterIP && spec.clusterIPs?.[0] !== spec.clusterIP) {
      // A changed clusterIP must show in clusterIPs too, so validation sees (and refuses) the change.
      spec.clusterIPs = [spec.clusterIP, ...(spec.clusterIPs ?? []).slice(1)];
    }
    const claimed: number[] = [];
    try {
      this.allocatePorts(svc, prev, claimed);
    } catch (e) {
      for (const p of claimed) this.ports.release(p);
      throw e;
    }
    // Release the node ports (and health check port) the new spec no longer has.
    const keep = new Set((spec.ports ?? []).map((p) => p.nodePort).filter((p): p is number => !!p));
    if (spec.healthCheckNodePort) keep.add(spec.healthCheckNodePort);
    for (const p of prev.spec?.ports ?? []) if (p.nodePort && !keep.has(p.nodePort)) this.ports.release(p.nodePort);
    const prevHealth = prev.spec?.healthCheckNodePort;
    if (prevHealth && !keep.has(prevHealth)) this.ports.release(prevHealth);
  }

  afterDelete(obj: StoredObject): void {
    this.forEachHeld(obj as Service, 'release');
  }

  /** Claims (at start) or releases (when it goes) the ClusterIP and node ports a stored service holds. */
  private forEachHeld(svc: Service, op: 'claim' | 'release'): void {
    const ip = svc.spec?.clusterIP;
    const n = ip ? ipToInt(ip) : undefined;
    if (n !== undefined) this.ips[op](n);
    for (const p of svc.spec?.ports ?? []) if (p.nodePort) this.ports[op](p.nodePort);
    if (svc.spec?.healthCheckNodePort) this.ports[op](svc.spec.healthCheckNodePort);
  }

  /**
   * healthCheckNodePort, from the node port range, for a LoadBalancer with externalTrafficPolicy Local (the one given,
   * else the one it had, else a free one); wiped by an update that no longer needs it, as Kubernetes does.
   */
  private allocateHealthCheckPort(svc: Service, prev: Service | undefined, claimed: number[]): void {
    const spec = svc.spec!;
    const before = prev?.spec?.healthCheckNodePort;
    if (spec.type !== 'LoadBalancer' || spec.externalTrafficPolicy !== 'Local') {
      if (before && spec.healthCheckNodePort === before) delete spec.healthCheckNodePort;
      return;
    }
    const given = spec.healthCheckNodePort;
    if (given && given === before) return;
    if (!given && before) {
      spec.healthCheckNodePort = before;
      return;
    }
    const field = 'spec.healthCheckNodePort';
    if (given) {
      if (!this.ports.inRange(given)) throw invalidService(svc.metadata?.name ?? '', field, given, 'provided port is not in the valid range. The range of valid ports is 30000-32767');
      if (!this.ports.claim(given)) throw invalidService(svc.metadata?.name ?? '', field, given, 'provided port is already allocated');
      claimed.push(given);
      return;
    }
    const n = this.ports.allocate();
    if (n === undefined) throw errors.internal('failed to allocate a nodePort: range is full');
    claimed.push(n);
    spec.healthCheckNodePort = n;
  }

  private allocatePorts(svc: Service, prev: Service | undefined, claimed: number[]): void {
    const spec = svc.spec!;
    const wantsNodePorts = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
    const prevPorts = new Set((prev?.spec?.ports ?? []).map((p) => p.nodePort).filter((p): p is number => !!p));
    for (const [i, port] of (spec.ports ?? []).entries()) {
      if (!wantsNodePorts) {
        delete port.nodePort;
        continue;
      }
      if (port.nodePort) {
        if (prevPorts.has(port.nodePort)) continue; // already ours
        if (!this.ports.inRange(port.nodePort)) throw invalidService(svc.metadata?.name ?? '', `spec.ports[${i}].nodePort`, port.nodePort, 'provided port is not in the valid range. The range of valid ports is 30000-32767');
        if (!this.ports.claim(port.nodePort)) throw invalidService(svc.metadata?.name ?? '', `spec.ports[${i}].nodePort`, port.nodePort, 'provided port is already allocated');
        claimed.push(port.nodePort);
      } else {
        // Keep the node port the same service port had before (kubectl apply leaves it out).
        const before = prev?.spec?.ports?.find((p) => p.port === port.port && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'))?.nodePort;
        if (before) {
          port.nodePort = before;
          continue;
        }
        // A LoadBalancer with allocateLoadBalancerNodePorts: false gets node ports only where the user gave them.
        if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === false) continue;
        const n = this.ports.allocate();
        if (n === undefined) throw errors.internal('failed to allocate a nodePort: range is full');
        claimed.push(n);
        port.nodePort = n;
      }
    }
    this.allocateHealthCheckPort(svc, prev, claimed);
  }
}

function invalidService(name: string, field: string, value: string | number, detail: string) {
  const v = typeof value === 'string' ? `"${value}"` : String(value);
  const message = `Invalid value: ${v}: ${detail}`;
  return errors.invalid('Service', '', name, `Service "${name}" is invalid: ${field}: ${message}`, [{ reason: 'FieldValueInvalid', message, field }]);
}
