// The job controller alone on an in-process control plane with one node (n1) and a clock the test moves,
// and the reads job controller tests make of it: the Job, its pods, the live ones, a condition.
import type { Job, JobCondition, Pod } from '../../main/api/types';
import { controlPlaneEach, type ControlPlane } from './control-plane';
import { registerNode } from './node-standin';

export const JOB = { apiVersion: 'batch/v1', kind: 'Job' };
export const POD = { apiVersion: 'v1', kind: 'Pod' };

export interface JobPlane {
  cp: ControlPlane;
  /** Moves the controller's clock forward: back-offs and deadlines pass without waiting for them. */
  advance: (ms: number) => void;
  /** The controller's time. */
  now: () => Date;
  job: (name: string) => Promise<Job>;
  /** The Job's pods (label job-name), terminating and finished ones too. */
  pods: (name: string) => Promise<Pod[]>;
  /** The Job's pods neither terminating nor finished. */
  live: (name: string) => Promise<Pod[]>;
  waitLive: (name: string, n: number) => Promise<Pod[]>;
  /** Any change to the Job makes the controller look again (after the test moved the clock). */
  poke: (name: string) => Promise<unknown>;
}

export const condition = (j: Job, type: string): JobCondition | undefined => j.status?.conditions?.find((c) => c.type === type);

/** Registers beforeEach/afterEach hooks: a fresh plane (clock reset) for every test. */
export function jobPlaneEach(): JobPlane {
  let skew = 0;
  const cp = controlPlaneEach('job', { now: () => Date.now() + skew }, async (plane) => {
    skew = 0;
    await registerNode(plane, 'n1');
  });
  const pods = (name: string) => cp.list<Pod>(POD, 'default', `job-name=${name}`);
  const live = async (name: string) => (await pods(name)).filter((p) => !p.metadata?.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''));
  return {
    cp,
    advance: (ms) => { skew += ms; },
    now: () => new Date(Date.now() + skew),
    job: (name) => cp.get<Job>(JOB, name, 'default'),
    pods,
    live,
    waitLive: (name, n) => cp.waitFor(async () => { const l = await live(name); return l.length === n ? l : undefined; }, `${n} live pods of ${name}`),
    poke: (name) => cp.patch(JOB, name, 'default', { metadata: { annotations: { poke: String(Date.now()) } } }),
  };
}
