// Which strategy each resource has. A custom resource without one here gets custom resources'
// (generation tracking); any other resource without one is written by the generic rules alone.
// Strategies are made per Registry: the service allocators hold state.
import type { ResourceInfo } from '../../../api/resources';
import { perResource } from '../../../api/resources';
import type { Strategy } from '../strategy';
import { eventStrategy } from './event';
import { generationStrategy } from './generation';
import { namespaceStrategy } from './namespace';
import { nodeStrategy } from './node';
import { podStrategy } from './pod';
import { RBAC_STRATEGIES } from './rbac';
import { priorityClassStrategy } from './priorityclass';
import { secretStrategy } from './secret';
import { persistentVolumeStrategy } from './persistentvolume';
import { persistentVolumeClaimStrategy } from './persistentvolumeclaim';
import { jobStrategy } from './job';
import { ServiceAllocation } from './service';
import { ingressStrategy } from './ingress';
import { customResourceDefinitionStrategy } from './customresourcedefinition';
import { csrStrategy } from './csr';
import { apiServiceStrategy } from './apiservice';

/** The strategy of a resource: its own, else custom resources' or the empty one (generic rules only). */
export type StrategyLookup = (r: Pick<ResourceInfo, 'group' | 'plural' | 'custom'>) => Strategy;

const GENERIC: Strategy = Object.freeze({});

export function makeStrategies(): StrategyLookup {
  const own = perResource<Strategy>([
    ['', 'pods', podStrategy],
    ['', 'nodes', nodeStrategy],
    ['', 'services', new ServiceAllocation()],
    ['', 'namespaces', namespaceStrategy],
    ['', 'events', eventStrategy],
    ['', 'secrets', secretStrategy],
    ['certificates.k8s.io', 'certificatesigningrequests', csrStrategy],
    ['apps', 'deployments', generationStrategy],
    ['apps', 'replicasets', generationStrategy],
    ['', 'replicationcontrollers', generationStrategy],
    ['apps', 'daemonsets', generationStrategy],
    ...RBAC_STRATEGIES,
    ['', 'persistentvolumes', persistentVolumeStrategy],
    ['', 'persistentvolumeclaims', persistentVolumeClaimStrategy],
    ['policy', 'poddisruptionbudgets', generationStrategy],
    ['autoscaling', 'horizontalpodautoscalers', generationStrategy],
    ['scheduling.k8s.io', 'priorityclasses', priorityClassStrategy],
    ['batch', 'jobs', jobStrategy],
    ['batch', 'cronjobs', generationStrategy],
    ['apps', 'statefulsets', generationStrategy],
    ['networking.k8s.io', 'ingresses', ingressStrategy],
    ['apiextensions.k8s.io', 'customresourcedefinitions', customResourceDefinitionStrategy],
    ['admissionregistration.k8s.io', 'mutatingwebhookconfigurations', generationStrategy],
    ['admissionregistration.k8s.io', 'validatingwebhookconfigurations', generationStrategy],
    ['admissionregistration.k8s.io', 'validatingadmissionpolicies', generationStrategy],
    ['admissionregistration.k8s.io', 'validatingadmissionpolicybindings', generationStrategy],
    ['apiregistration.k8s.io', 'apiservices', apiServiceStrategy],
    ['flowcontrol.apiserver.k8s.io', 'flowschemas', generationStrategy],
    ['flowcontrol.apiserver.k8s.io', 'prioritylevelconfigurations', generationStrategy],
  ]);
  return (r) => own(r) ?? (r.custom ? generationStrategy : GENERIC);
}
