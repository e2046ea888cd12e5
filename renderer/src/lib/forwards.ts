// Port forwards as the UI offers them (pure): which ports of a Service or a pod can be opened, the forward a target
// already has, and how a forward reads in a list.
import type { ForwardTarget, PortForward } from '../../../main/api/port-forward';
import type { Pod, Service } from '../../../main/api/types';

export interface OpenablePort {
  target: ForwardTarget;
  /** "http 80/TCP", "8080/TCP". */
  label: string;
}

export const targetKey = (t: ForwardTarget): string => `${t.kind}:${t.namespace}/${t.name}:${t.port}`;

/** A Service's TCP ports (UDP and SCTP cannot be forwarded). */
export function servicePorts(svc: Service): OpenablePort[] {
  const namespace = svc.metadata?.namespace ?? 'default';
  const name = svc.metadata?.name ?? '';
  return (svc.spec?.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => ({
    target: { kind: 'service', namespace, name, port: p.port },
    label: `${p.name ? `${p.name} ` : ''}${p.port}/TCP`,
  }));
}

/** A pod's declared TCP container ports, once each. */
export function podPorts(pod: Pod): OpenablePort[] {
  const namespace = pod.metadata?.namespace ?? 'default';
  const name = pod.metadata?.name ?? '';
  const seen = new Set<number>();
  const out: OpenablePort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []).filter((i) => i.restartPolicy === 'Always'), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if ((p.protocol ?? 'TCP') !== 'TCP' || seen.has(p.containerPort)) continue;
      seen.add(p.containerPort);
      out.push({ target: { kind: 'pod', namespace, name, port: p.containerPort }, label: `${p.name ? `${p.name} ` : ''}${p.containerPort}/TCP · ${c.name}` });
    }
  }
  return out;
}

/** The forward of a target (the first, by local port), if any. */
export function forwardOf(forwards: readonly PortForward[], t: ForwardTarget): PortForward | undefined {
  const key = targetKey(t);
  return forwards.find((f) => targetKey(f.target) === key);
}

/** "service default/web:80", "pod default/web-7d9c:8080". */
export const describeTarget = (t: ForwardTarget): string => `${t.kind} ${t.namespace}/${t.name}:${t.port}`;

/** The forward's state in words: ready, or why not. */
export function forwardState(f: PortForward): { tone: 'ok' | 'warn'; text: string } {
  if (f.problem || f.ready === 0) return { tone: 'warn', text: f.problem ?? 'waiting for a ready pod' };
  return { tone: 'ok', text: f.target.kind === 'service' ? `${f.ready} ready ${f.ready === 1 ? 'pod' : 'pods'}` : 'ready' };
}

/** The local port a "Forward port…" dialog suggests: the target's own when unprivileged, 8000 + it otherwise (as the server picks). */
export const suggestedLocalPort = (t: ForwardTarget): number => (t.port >= 1024 ? t.port : 8000 + t.port);
