// Pod → CRI PodSandboxConfig, Container → CRI ContainerConfig (resources, labels, log path), as the kubelet builds them.
import { createHash } from 'node:crypto';
import { totalmem } from 'node:os';
import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { ContainerConfig, LinuxContainerResources, NamespaceOption, PodSandboxConfig, PortMapping, Protocol } from '../cri/types';
import type { ContainerKind } from './runtime-state';
import {
  ANN_CONTAINER_HASH, ANN_RESTART_COUNT, ANN_TERMINATION_GRACE, LABEL_CONTAINER_KIND, LABEL_CONTAINER_NAME, LABEL_MANAGED,
  LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID,
} from './labels';
import { bytes, milliCpu } from './quantity';
import { sandboxSysctls } from './sysctls';
import { podLogDir } from './log-paths';
import { expand as expandVars } from './env';
import { criSecurityContext, hasPrivilegedContainer } from './security-context';
import { semantic } from '../../../main/api/semantic';
import { DEFAULT_CLUSTER_DOMAIN } from '../dns/defaults';
import { podDnsConfig } from '../dns/pod-dns-config';
import { sandboxHostname } from '../dns/pod-names';
import { DEFAULT_RESOLV_CONF, readResolvConf } from '../dns/resolv-conf';

export interface SandboxOptions {
  /** Root of the CRI container logs: <logDir>/<ns>_<name>_<uid>/<container>/<restartCount>.log */
  logDir: string;
  /** cgroupfs parent for pods, e.g. /flotilla → /flotilla/pod<uid>. */
  cgroupParent?: string;
  /** Cores the node's own cgroup may use (its CFS quota), if limited: container CPU limits beyond it are clamped to it. */
  nodeCpuLimit?: number;
  /** The cluster DNS servers pods with dnsPolicy ClusterFirst use (the kubelet's clusterDNS). */
  clusterDNS?: string[];
  clusterDomain?: string;
  /** The node's resolv.conf (default /etc/resolv.conf; '' for none, as the kubelet's --resolv-conf=""). */
  resolvConf?: string;
  /** The kubelet's pods directory: <podsDir>/<uid>/etc-hosts is the pod's managed /etc/hosts (none when unset). */
  podsDir?: string;
}

export function podKey(pod: Pod): { name: string; namespace: string; uid: string } {
  const meta = pod.metadata ?? {};
  if (!meta.name || !meta.uid) throw new Error('pod needs metadata.name and metadata.uid');
  return { name: meta.name, namespace: meta.namespace ?? 'default', uid: meta.uid };
}

export function hostNetwork(pod: Pod): boolean {
  return pod.spec?.hostNetwork === true;
}

function dnsConfig(pod: Pod, opts: SandboxOptions): PodSandboxConfig['dns_config'] {
  const resolvConf = opts.resolvConf ?? DEFAULT_RESOLV_CONF;
  const host = resolvConf ? readResolvConf(resolvConf) : undefined;
  return podDnsConfig(pod, { clusterDNS: opts.clusterDNS ?? [], clusterDomain: opts.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN, host });
}

function portMappings(pod: Pod): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      out.push({ protocol: (p.protocol ?? 'TCP') as Protocol, container_port: p.containerPort, host_port: p.hostPort, host_ip: p.hostIP ?? '' });
    }
  }
  return out;
}

export function podCgroupParent(pod: Pod, opts: SandboxOptions): string | undefined {
  return opts.cgroupParent ? `${opts.cgroupParent.replace(/\/$/, '')}/pod${podKey(pod).uid}` : undefined;
}

export function sandboxConfig(pod: Pod, attempt: number, opts: SandboxOptions): PodSandboxConfig {
  const key = podKey(pod);
  const host = hostNetwork(pod);
  const sysctls = sandboxSysctls(pod);
  const hostname = sandboxHostname(pod, opts.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN);
  return {
    metadata: { name: key.name, namespace: key.namespace, uid: key.uid, attempt },
    hostname,
    log_directory: podLogDir(opts.logDir, key),
    dns_config: dnsConfig(pod, opts),
    port_mappings: portMappings(pod),
    labels: { ...(pod.metadata?.labels ?? {}), [LABEL_POD_NAME]: key.name, [LABEL_POD_NAMESPACE]: key.namespace, [LABEL_POD_UID]: key.uid, [LABEL_MANAGED]: 'true' },
    annotations: { ...(pod.metadata?.annotations ?? {}) },
    linux: {
      cgroup_parent: podCgroupParent(pod, opts),
      ...(sysctls ? { sysctls } : {}),
      security_context: {
        namespace_options: { network: host ? 'NODE' : 'POD', pid: pod.spec?.hostPID ? 'NODE' : (pod.spec?.shareProcessNamespace ? 'POD' : 'CONTAINER'), ipc: pod.spec?.hostIPC ? 'NODE' : 'POD' },
        // A privileged container needs a privileged sandbox (the kubelet's HasPrivilegedContainer).
        ...(hasPrivilegedContainer(pod) ? { privileged: true } : {}),
      },
    },
  };
}

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

export function qosClass(pod: Pod): QosClass {
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    for (const r of ['cpu', 'memory']) {
      const req = c.resources?.requests?.[r] ?? c.resources?.limits?.[r];
      const lim = c.resources?.limits?.[r];
      if (req !== undefined || lim !== undefined) any = true;
      if (lim === undefined || String(req) !== String(lim)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/**
 * The CRI resources of a container. A CPU limit above the node's own limit is clamped to it: it could
 * not be enforced anyway (as on a VM with fewer CPUs), and cgroup v1 refuses a child quota above its parent's.
 */
export function containerResources(pod: Pod, c: Container, nodeCpuLimit?: number): LinuxContainerResources {
  const reqCpu = milliCpu(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu);
  const limCpu = milliCpu(c.resources?.limits?.cpu);
  const limMem = bytes(c.resources?.limits?.memory);
  const reqMem = bytes(c.resources?.requests?.memory ?? c.resources?.limits?.memory);
  const res: LinuxContainerResources = { cpu_shares: Math.max(2, Math.floor(((reqCpu ?? 0) * 1024) / 1000)) };
  if (limCpu) {
    res.cpu_period = 100_000;
    res.cpu_quota = Math.max(1000, Math.floor((limCpu * 100_000) / 1000));
    if (nodeCpuLimit !== undefined) res.cpu_quota = Math.min(res.cpu_quota, Math.floor(nodeCpuLimit * 100_000));
  }
  if (limMem) res.memory_limit_in_bytes = limMem;
  const qos = qosClass(pod);
  if (qos === 'Guaranteed') res.oom_score_adj = -997;
  else if (qos === 'BestEffort') res.oom_score_adj = 1000;
  else res.oom_score_adj = Math.min(999, Math.max(2, 1000 - Math.floor((1000 * (reqMem ?? 0)) / totalmem())));
  return res;
}

/**
 * A stable hash of what, if changed, requires recreating the container. Empty resources (`{}`, the API's default since
 * 2026-12-05) hash as absent ones.
 */
export function containerHash(c: Container): string {
  return hashOf(c, semantic(c.resources) === undefined ? undefined : c.resources);
}

function hashOf(c: Container, resources: Container['resources']): string {
  const relevant = {
    image: c.image, command: c.command, args: c.args, env: c.env, envFrom: c.envFrom, workingDir: c.workingDir, ports: c.ports, resources,
  };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex').slice(0, 16);
}

/**
 * Whether a container created with `hash` no longer matches its definition. A container created before empty resources
 * hashed as absent ones carries the hash of the resources as written then: it matches too, so that neither a pod
 * stored before the API's `resources: {}` default nor one written with `{}` is restarted by the change.
 */
export function definitionChanged(c: Container, hash: string): boolean {
  if (hash === containerHash(c)) return false;
  return !(semantic(c.resources) === undefined && (hash === hashOf(c, {}) || hash === hashOf(c, c.resources)));
}

/** The PID namespace of a container: the node's, the pod's shared one, its own, or (an ephemeral container's) its target's. */
function pidNamespace(pod: Pod, targetId?: string): NamespaceOption {
  if (targetId) return { pid: 'TARGET', target_id: targetId };
  return { pid: pod.spec?.hostPID ? 'NODE' : (pod.spec?.shareProcessNamespace ? 'POD' : 'CONTAINER') };
}

/**
 * The CRI config of a container. `targetId` is the runtime id of the container an ephemeral container
 * targets (it joins that container's PID namespace); `mounts` are its volume mounts (volumes.ts).
 */
export function containerConfig(pod: Pod, c: Container, kind: ContainerKind, attempt: number, image: string,
  env: Array<{ key: string; value: string }>, nodeCpuLimit?: number,
  extra: { targetId?: string; mounts?: ContainerConfig['mounts']; annotations?: Record<string, string> } = {}): ContainerConfig {
  const key = podKey(pod);
  const vars = Object.fromEntries(env.map((e) => [e.key, e.value]));
  const expandAll = (list: string[] | undefined): string[] | undefined => list?.map((s) => expandVars(s, vars));
  return {
    metadata: { name: c.name, attempt },
    image: { image },
    command: expandAll(c.command),
    args: expandAll(c.args),
    working_dir: c.workingDir ?? '',
    envs: env,
    labels: { [LABEL_POD_NAME]: key.name, [LABEL_POD_NAMESPACE]: key.namespace, [LABEL_POD_UID]: key.uid, [LABEL_CONTAINER_NAME]: c.name, [LABEL_MANAGED]: 'true', [LABEL_CONTAINER_KIND]: kind },
    annotations: {
      [ANN_CONTAINER_HASH]: containerHash(c),
      [ANN_RESTART_COUNT]: String(attempt),
      [ANN_TERMINATION_GRACE]: String(pod.spec?.terminationGracePeriodSeconds ?? 30),
      ...extra.annotations,
    },
    ...(extra.mounts?.length ? { mounts: extra.mounts } : {}),
    log_path: `${c.name}/${attempt}.log`,
    stdin: c.stdin ?? false,
    stdin_once: c.stdinOnce ?? false,
    tty: c.tty ?? false,
    linux: {
      resources: containerResources(pod, c, nodeCpuLimit),
      security_context: {
        ...criSecurityContext(pod, c),
        namespace_options: { network: hostNetwork(pod) ? 'NODE' : 'POD', ...pidNamespace(pod, extra.targetId), ipc: pod.spec?.hostIPC ? 'NODE' : 'POD' },
      },
    },
  };
}

