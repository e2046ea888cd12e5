// The DaemonSet controller: one pod per eligible node (node selector, required node affinity,
// untolerated NoSchedule/NoExecute taints), pinned with node affinity matchFields metadata.name
// as Kubernetes does, following nodes as they join and leave; pods of an old template are
// replaced one node at a time (RollingUpdate); status counts.
import type { DaemonSet, DaemonSetStatus, KObject, Node, NodeSelectorTerm, Pod, Toleration } from '../api/types';
import { isNotFound } from '../client/types';
import { computeHash } from './deployment-util';
import type { Controller, ControllerContext } from './controller';
import { Expectations } from './expectations';
import { BY_CONTROLLER } from '../client/cache/shared-informers';
import { controllerRef, isPodActive, isPodAvailable, isPodReady, ownerRefFor } from './pod-util';
import { R, keyOf } from '../client/refs';
import { WorkQueue, runWorkers } from '../client/workqueue';
import { untolerated } from '../api/tolerations';

const HASH_LABEL = 'controller-revision-hash';

const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

function withDaemonTolerations(t: Toleration[] | undefined): Toleration[] {
  const out = [...(t ?? [])];
  for (const d of DAEMON_TOLERATIONS) if (!out.some((x) => x.key === d.key && x.effect === d.effect)) out.push(d);
  return out;
}

function matchTerm(term: NodeSelectorTerm, n: Node): boolean {
  const labels = n.metadata?.labels ?? {};
  for (const e of term.matchExpressions ?? []) {
    const v = labels[e.key];
    const vals = e.values ?? [];
    const ok = e.operator === 'In' ? v !== undefined && vals.includes(v) : e.operator === 'NotIn' ? v === undefined || !vals.includes(v)
      : e.operator === 'Exists' ? v !== undefined : e.operator === 'DoesNotExist' ? v === undefined : false;
    if (!ok) return false;
  }
  for (const f of term.matchFields ?? []) {
    if (f.key !== 'metadata.name') return false;
    const inList = (f.values ?? []).includes(n.metadata?.name ?? '');
    if ((f.operator === 'In') !== inList) return false;
  }
  return !!(term.matchExpressions?.length || term.matchFields?.length);
}

export function shouldRun(ds: DaemonSet, n: Node): boolean {
  const spec = ds.spec?.template?.spec;
  const sel = spec?.nodeSelector ?? {};
  for (const k in sel) if (n.metadata?.labels?.[k] !== sel[k]) return false;
  const req = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (req && !(req.nodeSelectorTerms ?? []).some((t) => matchTerm(t, n))) return false;
  return !untolerated(withDaemonTolerations(spec?.tolerations), n.spec?.taints ?? [], ['NoSchedule', 'NoExecute']);
}

export function newDaemonSetController(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;
  const dsInf = informers.daemonsets;
  const nodeInf = informers.nodes;
  const podInf = informers.pods;
  const queue = new WorkQueue<string>();
  const exp = new Expectations();
  const recorder = ctx.recorder('daemonset-controller');

  const enqueueAll = () => { for (const ds of dsInf.values()) queue.add(keyOf(ds)); };
  const ownerKey = (p: Pod) => {
    const ref = controllerRef(p);
    return ref?.kind === 'DaemonSet' ? `${p.metadata?.namespace}/${ref.name}` : undefined;
  };

  function register(): () => void {
    const offs = [
      dsInf.addHandler({ add: (d) => queue.add(keyOf(d)), update: (_o, d) => queue.add(keyOf(d)), delete: (d) => { exp.delete(keyOf(d)); } }),
      nodeInf.addHandler({ add: enqueueAll, update: (o, n) => { if (JSON.stringify([o.metadata?.labels, o.spec?.taints]) !== JSON.stringify([n.metadata?.labels, n.spec?.taints])) enqueueAll(); }, delete: enqueueAll }),
      podInf.addHandler({
        add: (p) => { const k = ownerKey(p); if (k) { exp.observedAdd(k); queue.add(k); } },
        update: (_o, p) => { const k = ownerKey(p); if (k) queue.add(k); },
        delete: (p) => { const k = ownerKey(p); if (k) { exp.observedDel(k); queue.add(k); } },
      }),
    ];
    return () => offs.forEach((f) => f());
  }

  function podFor(ds: DaemonSet, node: string, hash: string): Pod {
    const t = structuredClone(ds.spec?.template ?? {});
    const spec = t.spec ?? { containers: [] };
    spec.tolerations = withDaemonTolerations(spec.tolerations);
    // Pin to the node the way Kubernetes does: node affinity on metadata.name.
    spec.affinity = {
      ...(spec.affinity ?? {}),
      nodeAffinity: {
        ...(spec.affinity?.nodeAffinity ?? {}),
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] },
      },
    };
    return {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        generateName: `${ds.metadata!.name!}-`, namespace: ds.metadata!.namespace,
        labels: { ...(t.metadata?.labels ?? {}), [HASH_LABEL]: hash, 'pod-template-generation': String(ds.metadata?.generation ?? 1) },
        ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
        ownerReferences: [ownerRefFor(ds as KObject)],
      },
      spec,
    };
  }

  async function sync(key: string): Promise<void> {
    const ds = dsInf.get(key);
    if (!ds) return;
    const hash = computeHash(ds.spec?.template);
    const pods = podInf.byIndex(BY_CONTROLLER, ds.metadata?.uid ?? '').filter(isPodActive);
    const byNode = new Map<string, Pod[]>();
    for (const p of pods) {
      const n = p.spec?.nodeName ?? p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0] ?? '';
      const l = byNode.get(n) ?? [];
      l.push(p);
      byNode.set(n, l);
    }
    const nodes = nodeInf.list();
    const eligible = nodes.filter((n) => shouldRun(ds, n));
    const eligibleNames = new Set(eligible.map((n) => n.metadata!.name!));
    if (exp.satisfied(key) && !ds.metadata?.deletionTimestamp) {
      const toCreate: string[] = [];
      const toDelete: Pod[] = [];
      for (const n of eligible) {
        const l = byNode.get(n.metadata!.name!) ?? [];
        if (!l.length) toCreate.push(n.metadata!.name!);
        else if (l.length > 1) toDelete.push(...l.slice(1));
      }
      for (const [n, l] of byNode) if (!eligibleNames.has(n)) toDelete.push(...l);
      // Rolling update: replace one old-template pod at a time once every pod is ready.
      if (!toCreate.length && !toDelete.length && ds.spec?.updateStrategy?.type !== 'OnDelete') {
        const old = pods.filter((p) => p.metadata?.labels?.[HASH_LABEL] !== hash);
        if (old.length && pods.every(isPodReady)) toDelete.push(old[0]);
      }
      exp.expect(key, toCreate.length, toDelete.length);
      for (const n of toCreate) {
        try {
          const created = await client.create(R.pods, podFor(ds, n, hash) as KObject, { namespace: ds.metadata!.namespace });
          recorder.event(ds as KObject, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name ?? ''}`);
        } catch (e) {
          exp.observedAdd(key);
          recorder.event(ds as KObject, 'Warning', 'FailedCreate', `Error creating: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      for (const p of toDelete) {
        try {
          await client.delete(R.pods, p.metadata!.name!, { namespace: p.metadata!.namespace });
          recorder.event(ds as KObject, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata!.name!}`);
        } catch (e) {
          exp.observedDel(key);
          if (!isNotFound(e)) throw e;
        }
      }
    }
    const scheduled = pods.filter((p) => p.spec?.nodeName);
    const onEligible = scheduled.filter((p) => eligibleNames.has(p.spec!.nodeName!));
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const status: DaemonSetStatus = {
      currentNumberScheduled: new Set(onEligible.map((p) => p.spec!.nodeName!)).size,
      numberMisscheduled: new Set(scheduled.filter((p) => !eligibleNames.has(p.spec!.nodeName!)).map((p) => p.spec!.nodeName!)).size,
      desiredNumberScheduled: eligible.length,
      numberReady: onEligible.filter(isPodReady).length,
      numberAvailable: onEligible.filter((p) => isPodAvailable(p, minReady)).length,
      updatedNumberScheduled: onEligible.filter((p) => p.metadata?.labels?.[HASH_LABEL] === hash).length,
      observedGeneration: ds.metadata?.generation ?? 0,
    };
    status.numberUnavailable = Math.max(0, status.desiredNumberScheduled - (status.numberAvailable ?? 0));
    if (!status.numberAvailable) delete status.numberAvailable;
    if (!status.numberUnavailable) delete status.numberUnavailable;
    const cur = ds.status;
    const f = (s: DaemonSetStatus | undefined) => JSON.stringify([s?.currentNumberScheduled, s?.numberMisscheduled, s?.desiredNumberScheduled, s?.numberReady, s?.numberAvailable ?? 0, s?.updatedNumberScheduled, s?.observedGeneration, s?.numberUnavailable ?? 0]);
    if (f(cur) === f(status)) return;
    try {
      await client.patch(R.daemonsets, ds.metadata!.name!, { status: { ...status, numberAvailable: status.numberAvailable ?? null, numberUnavailable: status.numberUnavailable ?? null } }, 'merge', { namespace: ds.metadata!.namespace, subresource: 'status' });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  return { name: 'daemonset', register, run: () => runWorkers(queue, 2, sync, (k, e) => ctx.log(`daemonset ${k}: ${e instanceof Error ? e.message : String(e)}`)) };
}
