// Which strategy each resource has. A resource without one here is written by the generic rules
// alone. Strategies are made per Registry: the service allocators hold state.
import type { ResourceInfo } from '../../../api/resources';
import { RESOURCES, resourceKey } from '../../../api/resources';
import type { Strategy } from '../strategy';
import { eventStrategy } from './event';
import { generationStrategy } from './generation';
import { namespaceStrategy } from './namespace';
import { nodeStrategy } from './node';
import { podStrategy } from './pod';
import { secretStrategy } from './secret';
import { ServiceAllocation } from './service';

/** The strategy of a resource: its own, or the empty one (generic rules only). */
export type StrategyLookup = (r: Pick<ResourceInfo, 'group' | 'plural'>) => Strategy;

const GENERIC: Strategy = Object.freeze({});

/** `[group, plural, strategy]` rows; a row naming no stored resource is a bug, reported at once. */
function lookup(rows: ReadonlyArray<readonly [group: string, plural: string, strategy: Strategy]>): StrategyLookup {
  const table = new Map<string, Strategy>();
  for (const [group, plural, strategy] of rows) {
    if (!RESOURCES.some((r) => r.group === group && r.plural === plural && !r.virtual)) throw new Error(`strategy for ${group}/${plural}, which is not a stored resource`);
    table.set(resourceKey({ group, plural }), strategy);
  }
  return (r) => table.get(resourceKey(r)) ?? GENERIC;
}

export function makeStrategies(): StrategyLookup {
  return lookup([
    ['', 'pods', podStrategy],
    ['', 'nodes', nodeStrategy],
    ['', 'services', new ServiceAllocation()],
    ['', 'namespaces', namespaceStrategy],
    ['', 'events', eventStrategy],
    ['', 'secrets', secretStrategy],
    ['apps', 'deployments', generationStrategy],
    ['apps', 'replicasets', generationStrategy],
    ['apps', 'daemonsets', generationStrategy],
    ['flotilla.dev', 'machines', generationStrategy],
  ]);
}
