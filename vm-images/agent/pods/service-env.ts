// The service environment variables the kubelet gives every container (pkg/kubelet/envvars): for each
// Service with a ClusterIP in the pod's namespace (when enableServiceLinks is not false) and always for
// `kubernetes` in `default`, <NAME>_SERVICE_HOST/_SERVICE_PORT[_<PORTNAME>] and the Docker-link
// variables <NAME>_PORT, <NAME>_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR].
import type { Pod, Service } from 'kubernetes-types/core/v1';

/** The services the kubelet always publishes to pods, from the default namespace. */
const MASTER_SERVICES = new Set(['kubernetes']);

const envName = (s: string): string => s.replace(/-/g, '_').toUpperCase();
const ipSet = (s: Service): boolean => !!s.spec?.clusterIP && s.spec.clusterIP !== 'None';

/** The services a pod's containers get variables for, by name (a pod's own namespace wins over default's `kubernetes`). */
export function servicesForPod(pod: Pod, services: readonly Service[]): Service[] {
  const ns = pod.metadata?.namespace ?? 'default';
  const links = pod.spec?.enableServiceLinks !== false;
  const byName = new Map<string, Service>();
  for (const s of services) {
    const name = s.metadata?.name ?? '';
    if (!ipSet(s)) continue;
    const sns = s.metadata?.namespace ?? 'default';
    if (sns === 'default' && MASTER_SERVICES.has(name)) {
      if (!byName.has(name)) byName.set(name, s);
    } else if (sns === ns && links) {
      byName.set(name, s);
    }
  }
  return [...byName.values()];
}

/** The variables for the given services, in the kubelet's order. */
export function serviceEnvVars(services: readonly Service[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const s of services) {
    const ports = s.spec?.ports ?? [];
    if (!ipSet(s) || ports.length === 0) continue;
    const ip = s.spec?.clusterIP ?? '';
    const prefix = envName(s.metadata?.name ?? '');
    out.push([`${prefix}_SERVICE_HOST`, ip], [`${prefix}_SERVICE_PORT`, String(ports[0]?.port)]);
    for (const p of ports) if (p.name) out.push([`${prefix}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
    const host = ip.includes(':') ? `[${ip}]` : ip;
    ports.forEach((p, i) => {
      const proto = (p.protocol ?? 'TCP').toLowerCase();
      const url = `${proto}://${host}:${p.port}`;
      if (i === 0) out.push([`${prefix}_PORT`, url]);
      const pp = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
      out.push([pp, url], [`${pp}_PROTO`, proto], [`${pp}_PORT`, String(p.port)], [`${pp}_ADDR`, ip]);
    });
  }
  return out;
}
