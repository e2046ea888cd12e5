// DefaultPreemption's prepareCandidate, through the API: each victim gets DisruptionTarget=True
// (PreemptionByScheduler) and is deleted, with a Preempted event; lower-priority pods nominated
// to the node lose their nomination. The preemptor's own nominatedNodeName is set by the caller
// with its PodScheduled=False update.
import type { ApiClient } from '../client/types';
import { isNotFound } from '../client/types';
import type { EventRecorder } from '../client/record/recorder';
import { R } from '../client/refs';
import type { Candidate } from './preemption';
import type { PodInfo } from './types';

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

export async function preemptVictims(
  client: ApiClient, recorder: EventRecorder, schedulerName: string, preemptor: PodInfo, cand: Candidate, lowerNominated: PodInfo[],
): Promise<void> {
  await Promise.all(cand.victims.map(async (v) => {
    const namespace = v.pod.metadata?.namespace;
    const name = v.pod.metadata?.name ?? '';
    const condition = {
      type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler',
      message: `${schedulerName}: preempting to accommodate a higher priority pod`, lastTransitionTime: now(),
    };
    await ignoreNotFound(client.patch(R.pods, name, { status: { conditions: [condition] } }, 'strategic', { namespace, subresource: 'status' }));
    await ignoreNotFound(client.delete(R.pods, name, { namespace, preconditions: { uid: v.uid } }));
    recorder.event(v.pod, 'Normal', 'Preempted', `Preempted by pod ${preemptor.uid} on node ${cand.node}`);
  }));
  await Promise.all(lowerNominated.map((p) => ignoreNotFound(
    client.patch(R.pods, p.pod.metadata?.name ?? '', { status: { nominatedNodeName: null } }, 'merge', { namespace: p.pod.metadata?.namespace, subresource: 'status' }),
  )));
}
