// The pod's Journey tab: its spans (control plane and nodes, `Core.journeySpans`) turned into steps with
// titles a reader follows, and the scheduler's filter and score events into per-node verdicts.
import type { JourneyStep, NodeVerdict, PodJourney } from '../api/journey';
import type { CollectedSpans } from '../protocol/tracing/collect';
import { NODE_NAME, STEP } from '../protocol/tracing/pod-trace';
import type { SpanRecord, SpanValue } from '../protocol/tracing/span-record';
import { BridgeFailure } from './errors';

export type JourneySource = (uid: string) => Promise<CollectedSpans>;

const str = (v: SpanValue | undefined): string => (v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v));

/** The step's title and detail; undefined for spans the journey leaves out (updates other than the ones named). */
function describe(s: SpanRecord): { title: string; detail: string; part: 'start' | 'delete' } | undefined {
  const a = s.attributes;
  const node = str(a[NODE_NAME]);
  const container = str(a['k8s.container.name']);
  switch (s.name) {
    case STEP.create:
      return { title: 'Created', detail: `revision ${str(a['flotilla.revision'])} · field manager ${str(a['flotilla.field_manager'])}`, part: 'start' };
    case STEP.schedule:
      return a['flotilla.result'] === 'Scheduled'
        ? { title: `Scheduled to ${node}`, detail: `${str(a['flotilla.nodes_examined'])} node(s) examined, from entering the queue`, part: 'start' }
        : { title: 'Not schedulable yet', detail: str(a['flotilla.message']), part: 'start' };
    case STEP.bind:
      return { title: `Bound to ${node}`, detail: 'pods/binding written', part: 'start' };
    case STEP.seen:
      return { title: 'Seen by the kubelet', detail: node ? `on ${node}` : '', part: 'start' };
    case STEP.sandbox:
      return { title: 'Sandbox and network set up', detail: a['k8s.pod.ip'] ? `pod IP ${str(a['k8s.pod.ip'])}` : '', part: 'start' };
    case STEP.image:
      return {
        title: a['flotilla.pulled'] === true ? `Image pulled for ${container}` : a['flotilla.waiting'] === true ? `Image not ready for ${container}` : `Image present for ${container}`,
        detail: str(a['container.image.name']), part: 'start',
      };
    case STEP.createContainer:
      return { title: `Container ${container} created`, detail: '', part: 'start' };
    case STEP.startContainer:
      return { title: `Container ${container} started`, detail: '', part: 'start' };
    case STEP.status:
      return { title: `Status reported: ${str(a['k8s.pod.phase'])}${a['flotilla.pod.ready'] === true ? ', Ready' : ''}`, detail: 'by the kubelet', part: 'start' };
    case STEP.ready:
      return { title: 'Readiness probes passing', detail: str(a['flotilla.readiness_probes']) ? `probes of ${str(a['flotilla.readiness_probes'])}` : 'no readiness probe', part: 'start' };
    case STEP.endpointAdded:
      return { title: `Added to Service ${str(a['k8s.service.name'])}'s endpoints`, detail: `EndpointSlice ${str(a['flotilla.endpointslice'])}`, part: 'start' };
    case STEP.rulesAdded:
      return { title: `In kube-proxy's rules on ${node}`, detail: 'iptables programmed', part: 'start' };
    case STEP.delete:
      return a['flotilla.removed'] === true
        ? { title: 'Removed from the store', detail: `revision ${str(a['flotilla.revision'])}`, part: 'delete' }
        : { title: 'Marked for deletion', detail: `grace period ${str(a['flotilla.deletion_grace_seconds'])} s`, part: 'delete' };
    case STEP.terminate:
      return { title: 'Containers stopped (graceful termination)', detail: `grace ${str(a['flotilla.grace_seconds'])} s`, part: 'delete' };
    case STEP.endpointRemoved:
      return { title: `Removed from Service ${str(a['k8s.service.name'])}'s endpoints`, detail: `EndpointSlice ${str(a['flotilla.endpointslice'])}`, part: 'delete' };
    case STEP.rulesRemoved:
      return { title: `Out of kube-proxy's rules on ${node}`, detail: 'iptables programmed', part: 'delete' };
    default:
      return undefined;
  }
}

function verdicts(s: SpanRecord): NonNullable<PodJourney['scheduling']> {
  const chosen = s.attributes['flotilla.result'] === 'Scheduled' ? str(s.attributes[NODE_NAME]) : undefined;
  const byNode = new Map<string, NodeVerdict>();
  for (const e of s.events) {
    const node = str(e.attributes[NODE_NAME]);
    const v = byNode.get(node) ?? { node, fits: false, reasons: [], chosen: node === chosen };
    if (e.name === 'filter') {
      v.fits = e.attributes['flotilla.fits'] === true;
      v.reasons = (e.attributes['flotilla.reasons'] as string[] | undefined) ?? [];
    } else if (e.name === 'score') {
      v.fits = true; // only nodes that passed every filter are scored
      v.score = Number(e.attributes['flotilla.score']);
      v.plugins = Object.fromEntries(Object.entries(e.attributes).filter(([k]) => k.startsWith('flotilla.score.')).map(([k, x]) => [k.slice('flotilla.score.'.length), Number(x)]));
    }
    byNode.set(node, v);
  }
  const list = [...byNode.values()].sort((a, b) => Number(b.chosen) - Number(a.chosen) || Number(b.fits) - Number(a.fits) || (b.score ?? 0) - (a.score ?? 0));
  const examined = Math.max(Number(s.attributes['flotilla.nodes_examined'] ?? 0) || 0, list.length);
  return { verdicts: list, examined, ...(chosen ? { chosen } : { message: str(s.attributes['flotilla.message']) }) };
}

export function buildJourney(uid: string, collected: CollectedSpans): PodJourney {
  const steps: JourneyStep[] = [];
  let scheduling: PodJourney['scheduling'];
  for (const s of collected.spans) {
    const d = describe(s);
    if (!d) continue;
    if (s.name === STEP.schedule) scheduling = verdicts(s);
    const node = str(s.attributes[NODE_NAME]);
    steps.push({ step: s.name, component: s.component as JourneyStep['component'], ...d, start: s.start, end: s.end, ...(node ? { node } : {}), ...(s.error ? { error: s.error } : {}) });
  }
  // The kubelet's status reports once the deletion began belong to it (the containers' end).
  const deleting = steps.find((s) => s.step === STEP.delete)?.start;
  for (const s of steps) if (deleting !== undefined && s.step === STEP.status && s.start >= deleting) s.part = 'delete';
  const created = steps.find((s) => s.step === STEP.create);
  const running = steps.find((s) => s.step === STEP.status && s.title.startsWith('Status reported: Running'));
  if (created && running) steps.push(...handoffs(steps.filter((s) => MAIN_LINE.has(s.step) && s.start <= running.start && s !== running).concat(running)));
  steps.sort((a, b) => a.start - b.start || a.end - b.end);
  return {
    uid, steps, ...(scheduling ? { scheduling } : {}),
    ...(created && running ? { createToRunningMs: running.end - created.start } : {}),
    unreachable: collected.unreachable,
  };
}

/** The steps from the create to the report of Running, one after another (the journey's critical path). */
const MAIN_LINE: ReadonlySet<string> = new Set([
  STEP.create, STEP.schedule, STEP.bind, STEP.seen, STEP.sandbox, STEP.image, STEP.createContainer, STEP.startContainer, STEP.status,
]);
const HANDOFF_MIN_MS = 2;

/** The waits between consecutive steps of the main line (each from where the steps before it ended). */
function handoffs(line: JourneyStep[]): JourneyStep[] {
  const out: JourneyStep[] = [];
  let end = line[0]?.end ?? 0;
  let prev = line[0];
  for (const s of line.slice(1)) {
    if (s.start - end >= HANDOFF_MIN_MS) {
      const title = s.component === prev.component ? `Within the ${s.component}, before the next step` : `Hand-off to the ${s.component} (a watch event)`;
      out.push({ step: 'handoff', component: 'handoff', title, detail: `after: ${prev.title}`, start: end, end: s.start, part: 'start' });
    }
    if (s.end > end) {
      end = s.end;
      prev = s;
    }
  }
  return out;
}

export async function podJourney(source: JourneySource | undefined, req: { uid?: unknown }): Promise<PodJourney> {
  if (!source) throw new BridgeFailure(501, 'NotImplemented', 'pod journeys are recorded by a Flotilla control plane with tracing on (flotilla serve --tracing=true)');
  if (typeof req?.uid !== 'string' || !req.uid) throw new BridgeFailure(400, 'BadRequest', 'podJourney needs the pod\'s uid');
  return buildJourney(req.uid, await source(req.uid));
}
