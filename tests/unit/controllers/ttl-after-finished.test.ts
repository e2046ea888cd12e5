// The TTL-after-finished controller alone, on a clock the test moves: a finished Job is deleted
// (foreground) ttlSecondsAfterFinished after it finished, and not before.
import { describe, expect, it } from 'vitest';
import type { Job } from '../../../main/api/types';
import { controlPlaneEach } from '../../helpers/control-plane';
import { jobManifest } from '../../helpers/manifests';

const JOB = { apiVersion: 'batch/v1', kind: 'Job' };
let skew = 0;
const cp = controlPlaneEach('ttl-after-finished', { now: () => Date.now() + skew }, () => {
  skew = 0;
  return Promise.resolve();
});

describe('ttl-after-finished controller', () => {
  it('deletes a finished Job once its TTL has passed', async () => {
    await cp.create(jobManifest('short', { ttlSecondsAfterFinished: 60 }));
    await cp.create(jobManifest('keep'));
    const t = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const done = { startTime: t, completionTime: t, succeeded: 1, conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: t }] };
    await cp.patchStatus(JOB, 'short', 'default', done);
    await cp.patchStatus(JOB, 'keep', 'default', done);
    const poke = (n: string) => cp.patch(JOB, n, 'default', { metadata: { annotations: { poke: String(Date.now() + skew) } } });
    await poke('short');
    await cp.waitFor(async () => (await cp.get<Job>(JOB, 'short', 'default')).metadata?.annotations?.poke, 'poked');
    expect((await cp.get<Job>(JOB, 'short', 'default')).metadata?.deletionTimestamp).toBeUndefined();
    skew = 61_000;
    await poke('short');
    await poke('keep');
    // Foreground deletion: the Job waits (no garbage collector here) marked, with the foregroundDeletion finalizer.
    const gone = await cp.waitFor(async () => { const j = await cp.find<Job>(JOB, 'short', 'default'); return !j || j.metadata?.deletionTimestamp ? j ?? 'deleted' : undefined; }, 'deleted');
    if (gone !== 'deleted') expect(gone.metadata?.finalizers).toContain('foregroundDeletion');
    expect((await cp.get<Job>(JOB, 'keep', 'default')).metadata?.deletionTimestamp).toBeUndefined();
  });
});
