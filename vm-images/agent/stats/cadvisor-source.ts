// What /metrics/cadvisor reports, read when it is asked (no timer): the node's running pod sandboxes and containers from
// CRI, each one's cgroup where containerd puts it — under the pod's cgroup (<node cgroup>/pod<uid>/<id>) when the node
// has a cgroup of its own, else containerd's default /k8s.io/<id> — and each sandbox's network namespace through its
// pause process. Series ids are cgroup paths seen from the node: its own cgroup is "/".
import { SANDBOX_IMAGE } from '../../../main/protocol/containerd-config';
import type { CriClient } from '../cri/client';
import { LABEL_CONTAINER_NAME, LABEL_MANAGED, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID } from '../pods/labels';
import { measureCapacity } from '../node/capacity';
import { machineIdentity } from '../node/node-info';
import { CGROUP_ROOT } from './cgroup-files';
import { readCgroupUsage } from './cgroup-usage';
import { netDevOf } from './net-dev';
import type { CadvisorLabels, CadvisorMachine, CadvisorScrape, CadvisorSeries } from '../server/cadvisor-metrics';

export interface CadvisorSourceOptions {
  cri: Pick<CriClient, 'listPodSandbox' | 'listContainers'>;
  /** The node's own cgroup (sandbox nodes); undefined: the machine's root. */
  cgroupParent?: string;
  /** A path on the node's filesystem (for the machine's capacity numbers). */
  fsPath: string;
  /** When the agent started: the machine facts' time. */
  sinceMs: number;
  /** Where the cgroup hierarchies are (tests). */
  cgroupRoot?: string;
}

const NO_LABELS: CadvisorLabels = { container: '', id: '', image: '', name: '', namespace: '', pod: '' };

const nsToMs = (ns: string): number | undefined => {
  const n = Number(ns);
  return Number.isFinite(n) && n > 0 ? Math.floor(n / 1e6) : undefined;
};

export class CadvisorSource {
  private readonly parent: string;
  private readonly root: string;
  private identity?: ReturnType<typeof machineIdentity>;

  constructor(private readonly o: CadvisorSourceOptions) {
    this.parent = (o.cgroupParent ?? '').replace(/\/+$/, '');
    this.root = o.cgroupRoot ?? CGROUP_ROOT;
  }

  /** A pod's cgroup under the node's and the id it has seen from the node (none without a node cgroup). */
  private podCgroup(uid: string): { cgroup: string; id: string } | undefined {
    return this.parent ? { cgroup: `${this.parent}/pod${uid}`, id: `/pod${uid}` } : undefined;
  }

  private containerCgroup(uid: string, containerId: string): { cgroup: string; id: string } {
    const pod = this.podCgroup(uid);
    return pod ? { cgroup: `${pod.cgroup}/${containerId}`, id: `${pod.id}/${containerId}` } : { cgroup: `/k8s.io/${containerId}`, id: `/k8s.io/${containerId}` };
  }

  private series(cgroup: string, labels: CadvisorLabels, extra: Omit<CadvisorSeries, 'labels' | 'usage'> = {}): CadvisorSeries | undefined {
    const usage = readCgroupUsage(cgroup, this.root);
    return usage ? { labels, usage, ...extra } : undefined; // gone between the listing and the read
  }

  private machine(): CadvisorMachine {
    const cap = measureCapacity(this.o.fsPath, this.parent || undefined);
    this.identity ??= machineIdentity(); // fixed while the agent runs
    return { cores: cap.cpus, memoryBytes: cap.memoryBytes, ...this.identity, sinceMs: this.o.sinceMs };
  }

  async scrape(): Promise<CadvisorScrape> {
    const readMs = Date.now();
    const root = this.series(this.parent || '/', { ...NO_LABELS, id: '/' }, { network: netDevOf('self') });
    const out: CadvisorSeries[] = root ? [root] : [];
    let error = false;
    try {
      const managed = { [LABEL_MANAGED]: 'true' };
      const [sandboxes, containers] = await Promise.all([
        this.o.cri.listPodSandbox({ state: { state: 'SANDBOX_READY' }, label_selector: managed }),
        this.o.cri.listContainers({ state: { state: 'CONTAINER_RUNNING' }, label_selector: managed }),
      ]);
      const pods = new Map<string, { uid: string; pod: string; namespace: string }>();
      for (const sb of sandboxes) {
        const uid = sb.labels[LABEL_POD_UID] ?? sb.metadata?.uid ?? '';
        const who = { uid, pod: sb.labels[LABEL_POD_NAME] ?? sb.metadata?.name ?? '', namespace: sb.labels[LABEL_POD_NAMESPACE] ?? sb.metadata?.namespace ?? '' };
        pods.set(sb.id, who);
        const podCg = this.podCgroup(uid);
        const podSeries = podCg && this.series(podCg.cgroup, { ...NO_LABELS, id: podCg.id, pod: who.pod, namespace: who.namespace });
        if (podSeries) out.push(podSeries);
        const c = this.containerCgroup(uid, sb.id);
        const pauseLabels = { ...NO_LABELS, id: c.id, name: sb.id, image: SANDBOX_IMAGE, pod: who.pod, namespace: who.namespace };
        const pause = this.series(c.cgroup, pauseLabels, { createdMs: nsToMs(sb.created_at) });
        if (pause) {
          // The pod's network namespace, reached through its pause process.
          if (pause.usage.firstPid !== undefined) pause.network = netDevOf(pause.usage.firstPid);
          out.push(pause);
        }
      }
      for (const ctr of containers) {
        const who = pods.get(ctr.pod_sandbox_id) ?? { uid: ctr.labels[LABEL_POD_UID] ?? '', pod: ctr.labels[LABEL_POD_NAME] ?? '', namespace: ctr.labels[LABEL_POD_NAMESPACE] ?? '' };
        const c = this.containerCgroup(who.uid, ctr.id);
        const labels = {
          container: ctr.labels[LABEL_CONTAINER_NAME] ?? ctr.metadata?.name ?? '', id: c.id, image: ctr.image?.image ?? '', name: ctr.id, pod: who.pod, namespace: who.namespace,
        };
        const s = this.series(c.cgroup, labels, { createdMs: nsToMs(ctr.created_at) });
        if (s) out.push(s);
      }
    } catch {
      error = true; // the runtime did not answer: the node's own series, and container_scrape_error 1
    }
    return { series: out, machine: this.machine(), readMs, error };
  }
}
