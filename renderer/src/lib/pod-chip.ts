// What a pod's chip on the map shows (pure): its state and status, its app and the app's colour, the tooltip and the
// accessible label. Made once per pod object and app grouping: the informers replace a pod's object when it changes,
// so a map of 10,000 pods where one changed computes one chip, not 10,000.
import type { Pod } from '../../../main/api/types';
import { podDisplay, podSummaryText, type PodState } from './pods';
import { APP_PALETTE, appLabel, STANDALONE_COLOUR, type AppRef } from './app-groups';

export interface PodChip {
  /** The pod's uid (its name when it has none). */
  key: string;
  name: string;
  namespace: string;
  state: PodState;
  /** kubectl's STATUS. */
  status: string;
  /** The app's key (namespace/Kind/name), for selection. */
  app: string;
  appName: string;
  /** The app's colour as an index into `CHIP_COLOURS`; undefined: the state's own colour. */
  colour?: number;
  /** The tooltip: "name — status", then the app on a second line when grouped. */
  tip: string;
  /** The accessible label: "Pod name — status, Deployment web". */
  label: string;
}

/** The colours chips take by index: the app palette, then the standalone grey. */
export const CHIP_COLOURS: readonly string[] = [...APP_PALETTE, STANDALONE_COLOUR];

/** How a map groups and colours pods (the map's AppMap). */
export interface ChipGrouping {
  appOf(pod: Pod): AppRef;
  colour(app: AppRef): string | undefined;
}

const cache = new WeakMap<object, { grouping: ChipGrouping; generation: number; chip: PodChip }>();

/** The chip of a pod under a grouping as it is at `generation` (which changes whenever its answers may). */
export function podChip(p: Pod, grouping: ChipGrouping, generation: number): PodChip {
  const hit = cache.get(p);
  if (hit && hit.generation === generation && hit.grouping === grouping) return hit.chip;
  const d = podDisplay(p);
  const name = p.metadata?.name ?? '';
  const app = grouping.appOf(p);
  const summary = podSummaryText(d);
  const colour = grouping.colour(app);
  const index = colour ? CHIP_COLOURS.indexOf(colour) : -1;
  const chip: PodChip = {
    key: p.metadata?.uid ?? name, name, namespace: p.metadata?.namespace ?? 'default', state: d.state, status: d.status,
    app: app.key, appName: app.name, colour: index >= 0 ? index : undefined,
    tip: `${name} — ${summary}${colour ? `\n${appLabel(app)}` : ''}`, label: `${name} — ${summary}${colour ? `, ${appLabel(app)}` : ''}`,
  };
  cache.set(p, { grouping, generation, chip });
  return chip;
}
