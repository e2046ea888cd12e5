// The top-level kinds we serve, by `group/version` and kind, built from the shared type descriptions.
import {
  dataMap, endpointsSubsets, labelSelector, namespaceSpec, namespaceStatus, nodeSpec, nodeStatus, objectMeta,
  podSpec, podStatus, podTemplateSpec, serviceSpec, serviceStatus,
} from './schema-core';
import { atomicList, conditions, embedded, primitiveSet, stringMap, struct, type NodeDef } from './schema-dsl';

function kind(fields: Record<string, NodeDef>): NodeDef {
  return struct({ metadata: objectMeta, ...fields });
}

const workloadStatus = embedded(struct({ conditions: conditions() }));

const deployment = kind({
  spec: embedded(struct({
    selector: labelSelector,
    template: podTemplateSpec,
    strategy: embedded(struct({}, { strategy: 'retainKeys' })),
  })),
  status: workloadStatus,
});

const replicaSet = kind({ spec: embedded(struct({ selector: labelSelector, template: podTemplateSpec })), status: workloadStatus });

const daemonSet = kind({
  spec: embedded(struct({ selector: labelSelector, template: podTemplateSpec, updateStrategy: embedded(struct({})) })),
  status: workloadStatus,
});

const statefulSet = kind({
  spec: embedded(struct({
    selector: labelSelector, template: podTemplateSpec, updateStrategy: embedded(struct({})),
    volumeClaimTemplates: atomicList(struct({})), persistentVolumeClaimRetentionPolicy: embedded(struct({})),
  })),
  status: workloadStatus,
});

const endpointSlice = kind({
  endpoints: atomicList(struct({ addresses: primitiveSet(), deprecatedTopology: stringMap() })),
  ports: atomicList(struct({}, { atomic: true })),
});

const machine = kind({
  spec: embedded(struct({})),
  status: embedded(struct({ conditions: conditions(), addresses: atomicList(struct({})) })),
});

const KINDS: Readonly<Record<string, NodeDef>> = {
  'v1/Pod': kind({ spec: embedded(podSpec), status: podStatus }),
  'v1/PodTemplate': kind({ template: podTemplateSpec }),
  'v1/ReplicationController': kind({ spec: embedded(struct({ selector: stringMap(), template: podTemplateSpec })), status: workloadStatus }),
  'v1/Service': kind({ spec: serviceSpec, status: serviceStatus }),
  'v1/Endpoints': kind({ subsets: endpointsSubsets }),
  'v1/Node': kind({ spec: nodeSpec, status: nodeStatus }),
  'v1/Namespace': kind({ spec: namespaceSpec, status: namespaceStatus }),
  'v1/ConfigMap': kind({ data: dataMap, binaryData: dataMap }),
  'v1/Secret': kind({ data: dataMap, stringData: dataMap }),
  'v1/Event': kind({ involvedObject: embedded(struct({}, { atomic: true })), related: struct({}, { atomic: true }), source: embedded(struct({})) }),
  'apps/v1/Deployment': deployment,
  'apps/v1/ReplicaSet': replicaSet,
  'apps/v1/DaemonSet': daemonSet,
  'apps/v1/StatefulSet': statefulSet,
  'apps/v1/ControllerRevision': kind({ data: struct({}, { atomic: true }) }),
  'discovery.k8s.io/v1/EndpointSlice': endpointSlice,
  'coordination.k8s.io/v1/Lease': kind({ spec: embedded(struct({})) }),
  'autoscaling/v1/Scale': kind({ spec: embedded(struct({})), status: embedded(struct({})) }),
  'flotilla.dev/v1alpha1/Machine': machine,
};

/** The description of a served kind, or undefined for kinds we know nothing about. */
export function kindSchema(apiVersion: string, kindName: string): NodeDef | undefined {
  return KINDS[`${apiVersion}/${kindName}`];
}
