// Writes a Machine's status (phase, message, progress, conditions) through the status subresource,
// merge-patching only what changed, so the UI sees every step as it happens.
import type { Machine, MachineCondition, MachinePhase, MachineStatus } from '../api/types';
import type { ApiClient } from '../client/types';
import { isNotFound } from '../client/types';
import { FIELD_MANAGER } from './resources';
import { R } from '../client/refs';

export class MachineStatusWriter {
  private status: MachineStatus;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly client: ApiClient, private readonly name: string, initial: MachineStatus | undefined) {
    this.status = structuredClone(initial ?? {});
  }

  get phase(): MachinePhase | undefined {
    return this.status.phase;
  }

  /** Merge-patches status with `patch` (null removes a field). Missing machines are ignored. */
  async write(patch: Partial<Record<keyof MachineStatus, unknown>>): Promise<void> {
    const next = { ...this.status, ...patch } as Record<string, unknown>;
    for (const [k, v] of Object.entries(patch)) if (v === null) delete next[k];
    this.status = next;
    // Patches go out in order, even when progress callbacks fire without awaiting.
    const send = async (): Promise<void> => {
      try {
        await this.client.patch<Machine>(R.machines, this.name, { status: patch }, 'merge', { subresource: 'status', fieldManager: FIELD_MANAGER });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    };
    const p = this.chain.then(send);
    this.chain = p.catch(() => undefined);
    await p;
  }

  async phaseTo(phase: MachinePhase, message: string, extra: Partial<Record<keyof MachineStatus, unknown>> = {}): Promise<void> {
    await this.write({ phase, message, ...extra });
  }

  async progress(step: number, total: number, message: string): Promise<void> {
    await this.write({ progress: { step, total, message }, message });
  }

  /** Sets one condition (replacing the one of the same type), keeping the others. */
  async condition(type: string, status: MachineCondition['status'], reason: string, message = ''): Promise<void> {
    const now = new Date().toISOString();
    const old = (this.status.conditions ?? []).find((c) => c.type === type);
    const c: MachineCondition = { type, status, reason, message, lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now };
    const conditions = [...(this.status.conditions ?? []).filter((x) => x.type !== type), c];
    await this.write({ conditions });
  }
}
