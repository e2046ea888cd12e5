// What the reconciler builder (main/client/reconciler.ts) does not express, added to a controller
// it built: informer handlers of the controller's own — expectations, an ownership graph, delayed
// enqueues — registered before the builder's watches, and background work started with its
// workers (a health monitor). Also: several reconcilers run as one controller.
import type { Controller } from './controller';

export interface Extras {
  /** Registers handlers (before the controller's own, so their bookkeeping is current when it enqueues); returns a disposer. */
  register?: () => () => void;
  /** Starts with the workers; returns a disposer. */
  run?: () => () => void;
}

export function withExtras(c: Controller, extras: Extras): Controller {
  return {
    name: c.name,
    register: () => {
      const mine = extras.register?.();
      const theirs = c.register();
      return () => { theirs(); mine?.(); };
    },
    run: () => {
      const theirs = c.run();
      const mine = extras.run?.();
      return () => { mine?.(); theirs(); };
    },
  };
}

/** Controllers that run as one under `name` (e.g. the garbage collector's two queues). */
export function together(name: string, ...cs: Controller[]): Controller {
  const each = (f: (c: Controller) => () => void) => (): (() => void) => {
    const offs = cs.map(f);
    return () => { for (const off of offs.reverse()) off(); };
  };
  return { name, register: each((c) => c.register()), run: each((c) => c.run()) };
}
