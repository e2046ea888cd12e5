// Container environment with Kubernetes semantics: envFrom, env (value, fieldRef, resourceFieldRef,
// configMapKeyRef, secretKeyRef) in order, and $(VAR) expansion in values, command and args; the
// service variables (service-env.ts) fill in every name the container does not set itself.
import type { Container, Pod, Service } from 'kubernetes-types/core/v1';
import { cpus, totalmem } from 'node:os';
import { parseQuantity } from './quantity';
import { serviceEnvVars, servicesForPod } from './service-env';

export type RefKind = 'ConfigMap' | 'Secret';
/** Returns a ConfigMap's data or a Secret's decoded data, or undefined when the object does not exist. */
export type RefLookup = (kind: RefKind, namespace: string, name: string) => Promise<Record<string, string> | undefined>;

/** A configuration error the kubelet reports as waiting reason CreateContainerConfigError. */
export class ContainerConfigError extends Error {}

/** Expands $(VAR) from vars; $$ escapes; unknown references stay verbatim. */
export function expand(input: string, vars: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) { out += ch; continue; }
    const next = input[i + 1];
    if (next === '$') { out += '$'; i++; continue; }
    if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close > 0) {
        const name = input.slice(i + 2, close);
        const value = vars[name];
        out += value !== undefined ? value : input.slice(i, close + 1);
        i = close;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

export function fieldValue(pod: Pod, path: string, podIP: string, hostIP: string): string {
  const meta = pod.metadata ?? {};
  switch (path) {
    case 'metadata.name': return meta.name ?? '';
    case 'metadata.namespace': return meta.namespace ?? 'default';
    case 'metadata.uid': return meta.uid ?? '';
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP': case 'status.podIPs': return podIP;
    case 'status.hostIP': case 'status.hostIPs': return hostIP;
  }
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? meta.labels : meta.annotations)?.[m[2] ?? ''] ?? '';
  throw new ContainerConfigError(`unsupported fieldRef ${path}`);
}

export function resourceValue(container: Container, resource: string, divisor: string | number | undefined): string {
  const [kind, name] = resource.split('.');
  const source = kind === 'requests' ? container.resources?.requests : container.resources?.limits;
  const raw = source?.[name ?? ''] ?? (kind === 'requests' ? container.resources?.limits?.[name ?? ''] : undefined);
  if (raw === undefined) return name === 'cpu' ? String(cpus().length) : String(totalmem());
  const value = parseQuantity(raw) ?? 0;
  const div = parseQuantity(divisor ?? 1) || 1;
  return String(Math.ceil(value / div));
}

export interface EnvContext {
  pod: Pod; podIP: string; hostIP: string; lookup?: RefLookup;
  /** The cluster's Services as the node sees them (for the service variables); undefined until first listed. */
  services?: () => readonly Service[] | undefined;
}

export async function containerEnv(container: Container, ctx: EnvContext): Promise<Array<{ key: string; value: string }>> {
  const ns = ctx.pod.metadata?.namespace ?? 'default';
  const cache = new Map<string, Record<string, string> | undefined>();
  const get = async (kind: RefKind, name: string): Promise<Record<string, string> | undefined> => {
    const key = `${kind}/${name}`;
    if (!cache.has(key)) cache.set(key, ctx.lookup ? await ctx.lookup(kind, ns, name) : undefined);
    return cache.get(key);
  };
  // As the kubelet: $(VAR) sees the service variables too, and the container's own names win.
  const services = ctx.services ? ctx.services() : [];
  if (!services) throw new ContainerConfigError('services have not yet been read at least once, cannot construct envvars');
  const serviceVars = new Map(serviceEnvVars(servicesForPod(ctx.pod, services)));
  const vars: Record<string, string> = {};
  const scope = (): Record<string, string> => ({ ...Object.fromEntries(serviceVars), ...vars });
  const order: string[] = [];
  const set = (k: string, v: string): void => { if (!(k in vars)) order.push(k); vars[k] = v; };

  for (const from of container.envFrom ?? []) {
    const kind: RefKind = from.configMapRef ? 'ConfigMap' : 'Secret';
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const data = await get(kind, ref.name ?? '');
    if (!data) {
      if (ref.optional) continue;
      throw new ContainerConfigError(`${kind.toLowerCase()} "${ref.name}" not found`);
    }
    for (const k of Object.keys(data).sort()) set(`${from.prefix ?? ''}${k}`, data[k] ?? '');
  }
  for (const env of container.env ?? []) {
    if (env.valueFrom === undefined) { set(env.name, expand(env.value ?? '', scope())); continue; }
    const vf = env.valueFrom;
    if (vf.fieldRef) set(env.name, fieldValue(ctx.pod, vf.fieldRef.fieldPath, ctx.podIP, ctx.hostIP));
    else if (vf.resourceFieldRef) set(env.name, resourceValue(container, vf.resourceFieldRef.resource, vf.resourceFieldRef.divisor));
    else {
      const kind: RefKind = vf.configMapKeyRef ? 'ConfigMap' : 'Secret';
      const ref = vf.configMapKeyRef ?? vf.secretKeyRef;
      if (!ref) continue;
      const data = await get(kind, ref.name ?? '');
      const value = data?.[ref.key];
      if (value === undefined) {
        if (ref.optional) continue;
        throw new ContainerConfigError(data
          ? `couldn't find key ${ref.key} in ${kind} ${ns}/${ref.name}`
          : `${kind.toLowerCase()} "${ref.name}" not found`);
      }
      set(env.name, value);
    }
  }
  for (const [k, v] of serviceVars) if (!(k in vars)) set(k, v);
  return order.map((key) => ({ key, value: vars[key] ?? '' }));
}
