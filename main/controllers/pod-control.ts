// Creating and deleting an owner's pods with the events Kubernetes records for them
// (controller.RealPodControl: SuccessfulCreate / FailedCreate / SuccessfulDelete), lowering the
// owner's expectations for a write that will never be observed.
import type { KObject, Pod } from '../api/types';
import type { EventRecorder } from '../client/record/recorder';
import { R } from '../client/refs';
import type { ApiClient } from '../client/types';
import type { Expectations } from './expectations';
import { ignoreNotFound } from './ignore-not-found';

export class PodControl {
  constructor(private readonly client: ApiClient, private readonly recorder: EventRecorder) {}

  /** Creates the pod; a failure is recorded (FailedCreate) and thrown. */
  async create(owner: KObject, pod: Pod): Promise<Pod> {
    try {
      const created = await this.client.create<Pod>(R.pods, pod, { namespace: owner.metadata?.namespace });
      this.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name ?? ''}`);
      return created;
    } catch (e) {
      this.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }

  /** Deletes the pod (one already gone is fine); a delete that will not be observed lowers the owner's expectations. */
  async delete(owner: KObject, pod: Pod, exp: Expectations, key: string): Promise<void> {
    let deleted;
    try {
      deleted = await ignoreNotFound(this.client.delete(R.pods, pod.metadata!.name!, { namespace: pod.metadata!.namespace }));
    } finally {
      if (!deleted) exp.observedDel(key);
    }
    this.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata!.name!}`);
  }
}
