// PreBind's wait for a pod's claims to be Bound, woken by the claims informer's events rather than polled:
// with hundreds of pods in PreBind at once (a Parallel StatefulSet), each is checked only when one of its
// own claims changes, and goes on the moment the last one is Bound.
import type { PersistentVolumeClaim } from '../../api/types';
import type { Informer } from '../../client/cache/informer';
import { keyOf } from '../../client/refs';

export class ClaimWaiters {
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(private readonly claims: Informer<PersistentVolumeClaim>) {}

  /** Wakes the waiters on this claim; the claims informer's handler calls it on every add and update. */
  changed(claim: PersistentVolumeClaim): void {
    const set = this.waiters.get(keyOf(claim));
    if (set) for (const check of [...set]) check();
  }

  private bound(key: string): boolean {
    return this.claims.get(key)?.status?.phase === 'Bound';
  }

  /** Resolves when every claim (namespace/name keys) is Bound; rejects after `timeoutMs` naming `what`. */
  waitBound(keys: string[], timeoutMs: number, what: string): Promise<void> {
    if (keys.every((k) => this.bound(k))) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const stop = () => {
        clearTimeout(timer);
        for (const k of keys) {
          const set = this.waiters.get(k);
          set?.delete(check);
          if (set?.size === 0) this.waiters.delete(k);
        }
      };
      const check = () => {
        if (!keys.every((k) => this.bound(k))) return;
        stop();
        resolve();
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`));
      }, timeoutMs);
      for (const k of keys) {
        let set = this.waiters.get(k);
        if (!set) this.waiters.set(k, (set = new Set()));
        set.add(check);
      }
    });
  }
}
