// Which printer renders which resource (by API group and plural); everything else gets the default NAME AGE.
import type { ResourceInfo } from '../../api/resources';
import { configMapPrinter } from './configmaps';
import { daemonSetPrinter } from './daemonsets';
import { defaultPrinter } from './default';
import { deploymentPrinter } from './deployments';
import { endpointsPrinter } from './endpoints';
import { endpointSlicePrinter } from './endpointslices';
import { eventPrinter } from './events';
import { leasePrinter } from './leases';
import { machinePrinter } from './machines';
import { namespacePrinter } from './namespaces';
import { nodePrinter } from './nodes';
import { podPrinter } from './pods';
import { replicaSetPrinter } from './replicasets';
import { secretPrinter } from './secrets';
import { servicePrinter } from './services';
import type { KindPrinter } from './types';

const PRINTERS = new Map<string, KindPrinter>([
  ['/pods', podPrinter],
  ['/nodes', nodePrinter],
  ['/services', servicePrinter],
  ['/endpoints', endpointsPrinter],
  ['/namespaces', namespacePrinter],
  ['/configmaps', configMapPrinter],
  ['/secrets', secretPrinter],
  ['/events', eventPrinter],
  ['apps/deployments', deploymentPrinter],
  ['apps/replicasets', replicaSetPrinter],
  ['apps/daemonsets', daemonSetPrinter],
  ['discovery.k8s.io/endpointslices', endpointSlicePrinter],
  ['coordination.k8s.io/leases', leasePrinter],
  ['flotilla.dev/machines', machinePrinter],
]);

export function printerFor(r: Pick<ResourceInfo, 'group' | 'plural'>): KindPrinter {
  return PRINTERS.get(`${r.group}/${r.plural}`) ?? defaultPrinter;
}
