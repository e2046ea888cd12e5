// Trouble worth telling the person about, found in the objects the UI watches: a container crash-looping
// (CrashLoopBackOff), an image that cannot be pulled (ErrImagePull / ImagePullBackOff), a node going NotReady. Each is
// raised once per episode: not on every watch event, and again only after it recovered and broke again. A crash loop
// has recovered once its container ran for RECOVERY_MS.CrashLoopBackOff without crashing again (the kubelet resets its
// restart back-off after the same time); an image pull once the container got past it; a node once it was Ready.
import type { KObject, Node, Pod } from '../../../main/api/types';

export type AlertKind = 'CrashLoopBackOff' | 'ImagePull' | 'NodeNotReady';

export type AlertTarget = { type: 'pod'; namespace: string; name: string } | { type: 'node'; name: string };

export interface Alert {
  kind: AlertKind;
  title: string;
  detail: string;
  target: AlertTarget;
}

/** How long a problem must stay away before its return counts as a new episode. */
export const RECOVERY_MS: Record<AlertKind, number> = { CrashLoopBackOff: 10 * 60_000, ImagePull: 0, NodeNotReady: 0 };

const IMAGE_PULL = new Set(['ErrImagePull', 'ImagePullBackOff']);

interface ContainerProblem {
  container: string;
  kind: 'CrashLoopBackOff' | 'ImagePull';
  /** The container's state says it recovered (for this kind), not merely "no problem right now". */
  recovered: boolean;
  alert?: Alert;
}

/** Each container's standing on the two pod problems (init containers included). */
export function podProblems(p: Pod): ContainerProblem[] {
  const ns = p.metadata?.namespace ?? 'default';
  const name = p.metadata?.name ?? '';
  const target: AlertTarget = { type: 'pod', namespace: ns, name };
  const out: ContainerProblem[] = [];
  for (const c of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) {
    const waiting = c.state?.waiting?.reason ?? '';
    const crash = waiting === 'CrashLoopBackOff';
    const pull = IMAGE_PULL.has(waiting);
    const last = c.lastState?.terminated;
    out.push({
      container: c.name, kind: 'CrashLoopBackOff', recovered: !!c.state?.running,
      alert: crash ? {
        kind: 'CrashLoopBackOff', target, title: `Pod ${name} is crash-looping`,
        detail: `Container ${c.name} keeps exiting${last ? ` (last exit code ${last.exitCode}${last.reason ? `, ${last.reason}` : ''})` : ''}; `
          + `restarted ${c.restartCount} ${c.restartCount === 1 ? 'time' : 'times'}.`,
      } : undefined,
    });
    out.push({
      container: c.name, kind: 'ImagePull', recovered: !pull && !!(c.state?.running || c.state?.terminated),
      alert: pull ? {
        kind: 'ImagePull', target, title: `Pod ${name} cannot pull its image`,
        detail: `Container ${c.name}: ${c.state?.waiting?.message ?? `${waiting} for ${c.image}`}`,
      } : undefined,
    });
  }
  return out;
}

/** The node's Ready condition when it is not True (False, or Unknown: the node stopped reporting). */
export function nodeNotReady(n: Node): { status: string; reason?: string; message?: string } | undefined {
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  if (!ready || ready.status === 'True') return undefined;
  return { status: ready.status, reason: ready.reason, message: ready.message };
}

interface Episode {
  /** An alert was raised and the problem has not recovered since. */
  open: boolean;
  /** When it was first seen recovered in the open episode. */
  recoveredAt?: number;
  /** Nodes: it was Ready once (so NotReady is "going" NotReady, not a node still registering). */
  wasReady?: boolean;
}

/** Remembers episodes across watch events; feed it every object of a kind each time the kind changes. */
export class AlertTracker {
  /** Object (by uid) → its episodes (by container and problem). */
  private readonly episodes = new Map<string, Map<string, Episode>>();
  /** The objects last looked at, by uid: an unchanged object (same reference) is not looked at again. */
  private readonly seenPods = new Map<string, KObject>();
  private readonly seenNodes = new Map<string, KObject>();

  private episode(uid: string, sub: string): Episode {
    let byObject = this.episodes.get(uid);
    if (!byObject) {
      byObject = new Map();
      this.episodes.set(uid, byObject);
    }
    let e = byObject.get(sub);
    if (!e) {
      e = { open: false };
      byObject.set(sub, e);
    }
    return e;
  }

  /** True when the problem starts a new episode. */
  private static step(e: Episode, problem: boolean, recovered: boolean, kind: AlertKind, now: number): boolean {
    if (!problem) {
      if (e.open && recovered) e.recoveredAt ??= now;
      return false;
    }
    const over = e.recoveredAt !== undefined && now - e.recoveredAt >= RECOVERY_MS[kind];
    e.recoveredAt = undefined;
    if (e.open && !over) return false;
    e.open = true;
    return true;
  }

  /** New alerts among the pods (unchanged objects are skipped; the episodes of pods gone are forgotten). */
  pods(pods: Iterable<Pod & KObject>, now = Date.now()): Alert[] {
    return this.sweep('pod', pods, (p, uid) => podProblems(p).flatMap((c) => {
      const sub = `${c.container}/${c.kind}`;
      // No problem and no episode to close: nothing to remember (10,000 healthy pods keep no state).
      if (!c.alert && !this.episodes.get(uid)?.has(sub)) return [];
      const raise = AlertTracker.step(this.episode(uid, sub), !!c.alert, c.recovered, c.kind, now);
      return raise && c.alert ? [c.alert] : [];
    }));
  }

  nodes(nodes: Iterable<Node & KObject>, now = Date.now()): Alert[] {
    return this.sweep('node', nodes, (n, uid) => {
      const e = this.episode(uid, 'NotReady');
      const bad = nodeNotReady(n);
      if (!bad) {
        e.wasReady = true;
        e.open = false;
        e.recoveredAt = undefined;
        return [];
      }
      // A node that was never Ready is still coming up, unless it stopped reporting (Unknown).
      if (!e.wasReady && bad.status !== 'Unknown') return [];
      if (!AlertTracker.step(e, true, false, 'NodeNotReady', now)) return [];
      const name = n.metadata?.name ?? '';
      return [{ kind: 'NodeNotReady', target: { type: 'node', name }, title: `Node ${name} is NotReady`, detail: bad.message ?? bad.reason ?? `Ready is ${bad.status}` }];
    });
  }

  private sweep<T extends KObject>(prefix: 'pod' | 'node', objs: Iterable<T>, check: (o: T, uid: string) => Alert[]): Alert[] {
    const seen = prefix === 'pod' ? this.seenPods : this.seenNodes;
    const alerts: Alert[] = [];
    const present = new Set<string>();
    for (const o of objs) {
      const uid = o.metadata?.uid ?? `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
      present.add(uid);
      if (seen.get(uid) === o) continue;
      seen.set(uid, o);
      alerts.push(...check(o, `${prefix}:${uid}`));
    }
    if (present.size < seen.size) {
      for (const uid of seen.keys()) {
        if (present.has(uid)) continue;
        seen.delete(uid);
        this.episodes.delete(`${prefix}:${uid}`);
      }
    }
    return alerts;
  }
}
