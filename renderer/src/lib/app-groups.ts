// Which app a pod belongs to, for grouping and colouring the map (pure). The owner chain, as the controllers set
// it: Pod → ReplicaSet → Deployment, Pod → StatefulSet / DaemonSet, Pod → Job → CronJob (the middle link looked up by
// name in an index, O(1) per pod); a bare pod by its app.kubernetes.io/name or app label, else "standalone".
// Each app gets a stable colour from a palette readable on the light and the dark theme.
import type { Deployment, Pod } from '../../../main/api/types';

export interface AppRef {
  /** namespace/Kind/name: the identity used for colour and selection. */
  key: string;
  namespace: string;
  /** Deployment, StatefulSet, DaemonSet, CronJob, Job, ReplicaSet, a bare pod's label (Label), or Standalone. */
  kind: string;
  name: string;
}

interface OwnerRef { kind: string; name: string; controller?: boolean }
interface Owned { metadata?: { ownerReferences?: readonly OwnerRef[] } }

/** Objects by namespace/name: the ReplicaSets and Jobs the UI informs on. */
export interface OwnerIndex {
  replicaSet(key: string): Owned | undefined;
  job(key: string): Owned | undefined;
}

export const APP_NAME_LABEL = 'app.kubernetes.io/name';
export const STANDALONE = 'standalone';

const controllerOf = (o: Owned | undefined): OwnerRef | undefined => o?.metadata?.ownerReferences?.find((r) => r.controller);

const ref = (namespace: string, kind: string, name: string): AppRef => ({ key: `${namespace}/${kind}/${name}`, namespace, kind, name });

export function appOf(pod: Pod, index: OwnerIndex): AppRef {
  const ns = pod.metadata?.namespace ?? 'default';
  const owner = controllerOf(pod);
  if (owner?.kind === 'ReplicaSet') {
    const top = controllerOf(index.replicaSet(`${ns}/${owner.name}`));
    return top?.kind === 'Deployment' ? ref(ns, 'Deployment', top.name) : ref(ns, 'ReplicaSet', owner.name);
  }
  if (owner?.kind === 'Job') {
    const top = controllerOf(index.job(`${ns}/${owner.name}`));
    return top?.kind === 'CronJob' ? ref(ns, 'CronJob', top.name) : ref(ns, 'Job', owner.name);
  }
  if (owner) return ref(ns, owner.kind, owner.name);
  const labels = pod.metadata?.labels ?? {};
  const label = labels[APP_NAME_LABEL] ?? labels.app;
  return label ? ref(ns, 'Label', label) : ref(ns, 'Standalone', STANDALONE);
}

/**
 * Ten hues of similar weight, far apart from each other, with enough contrast against white and against the dark
 * theme's surfaces (none too light or too dark); red is left out (it means trouble), and grey (standalone pods).
 */
export const APP_PALETTE = [
  '#4e79d8', '#e08a2c', '#2a9d8f', '#8e6bd1', '#5fa33a', '#d0589c', '#1fa2cc', '#b8901c', '#a0674b', '#3d5a99',
] as const;
/** Pods of no app: grey, never a palette colour. */
export const STANDALONE_COLOUR = '#8a94a6';

/** FNV-1a of the key: the same app gets the same colour in every session. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Colours by app key, hashed once per app (a map of 10,000 pods asks for the colours of a few dozen apps). */
const colours = new Map<string, string>();

export function appColour(app: AppRef): string {
  if (app.kind === 'Standalone') return STANDALONE_COLOUR;
  let c = colours.get(app.key);
  if (c === undefined) colours.set(app.key, (c = APP_PALETTE[hash(app.key) % APP_PALETTE.length]));
  return c;
}

/** "Deployment hello", "standalone pods". */
export const appLabel = (app: AppRef): string => (app.kind === 'Standalone' ? 'standalone pods' : app.kind === 'Label' ? `app ${app.name}` : `${app.kind} ${app.name}`);

export interface AppSummary {
  app: AppRef;
  colour: string;
  pods: number;
}

const bySummaryOrder = (a: AppSummary, b: AppSummary): number => Number(a.app.kind === 'Standalone') - Number(b.app.kind === 'Standalone')
  || a.app.name.localeCompare(b.app.name) || a.app.namespace.localeCompare(b.app.namespace);

/** Pod counts by app, kept as pods come and go (`of`: the pod's app, which must not change while it is counted). */
export class AppCounts {
  private readonly by = new Map<string, AppSummary>();
  constructor(private readonly of: (p: Pod) => AppRef) {}

  /** Counts the pod in (n = 1) or out (n = -1). */
  add(p: Pod, n: 1 | -1 = 1): void {
    const app = this.of(p);
    const s = this.by.get(app.key);
    if (s) {
      s.pods += n;
      if (s.pods <= 0) this.by.delete(app.key);
    } else if (n > 0) this.by.set(app.key, { app, colour: appColour(app), pods: n });
  }

  /** The apps with their counts, by name (standalone pods last). */
  summaries(): AppSummary[] {
    return [...this.by.values()].map((s) => ({ ...s })).sort(bySummaryOrder);
  }
}

/** The apps of these pods with their pod counts, by name (`of`: appOf on the index, or a cache of it). */
export function summarizeApps(pods: Iterable<Pod>, index: OwnerIndex, of: (p: Pod) => AppRef = (p) => appOf(p, index)): AppSummary[] {
  const counts = new AppCounts(of);
  for (const p of pods) counts.add(p);
  return counts.summaries();
}

export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/**
 * The node a Deployment is pinned to: a required node affinity of one term, one expression
 * `kubernetes.io/hostname In [node]` (what a drop on a node card writes); undefined otherwise.
 */
export function pinnedNode(d: Deployment | undefined): string | undefined {
  const terms = d?.spec?.template.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length !== 1) return undefined;
  const exprs = terms[0].matchExpressions ?? [];
  if (exprs.length !== 1 || terms[0].matchFields?.length) return undefined;
  const e = exprs[0];
  return e.key === HOSTNAME_LABEL && e.operator === 'In' && e.values?.length === 1 ? e.values[0] : undefined;
}
