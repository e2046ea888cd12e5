// Controller expectations (client-go's ControllerExpectations): after a controller creates or
// deletes pods it waits until the informer has seen them before acting on the same owner again,
// so a lagging cache never causes double creates. Expectations expire after a timeout.
import type { Pod } from '../api/types';
import type { EventHandler } from '../client/cache/informer';

const TTL_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  at: number;
}

export class Expectations {
  private readonly m = new Map<string, Expectation>();

  expect(key: string, add: number, del: number): void {
    this.m.set(key, { add, del, at: Date.now() });
  }

  observedAdd(key: string): void {
    const e = this.m.get(key);
    if (e) e.add--;
  }

  observedDel(key: string): void {
    const e = this.m.get(key);
    if (e) e.del--;
  }

  satisfied(key: string): boolean {
    const e = this.m.get(key);
    if (!e) return true;
    return (e.add <= 0 && e.del <= 0) || Date.now() - e.at > TTL_MS;
  }

  delete(key: string): void {
    this.m.delete(key);
  }
}

/**
 * Lowers an owner's expectations from the pod informer (as client-go's controllers do in their
 * pod handlers): a pod seen added was a create, a pod seen going (its deletion started, or
 * deleted outright) was a delete. `ownerKey` names the pod's owner, or undefined.
 */
export function podObserver(exp: Expectations, ownerKey: (p: Pod) => string | undefined): EventHandler<Pod> {
  const observe = (p: Pod, deleted: boolean) => {
    const k = ownerKey(p);
    if (!k) return;
    if (deleted) exp.observedDel(k);
    else exp.observedAdd(k);
  };
  return {
    add: (p) => observe(p, !!p.metadata?.deletionTimestamp),
    update: (o, p) => { if (p.metadata?.deletionTimestamp && !o.metadata?.deletionTimestamp) observe(p, true); },
    delete: (p) => { if (!p.metadata?.deletionTimestamp) observe(p, true); },
  };
}
