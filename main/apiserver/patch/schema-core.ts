// Merge semantics of the core/v1 types we serve, from the struct tags of k8s.io/api core/v1 types.go.
import { atomicList, conditions, embedded, keyedList, primitiveSet, stringMap, struct, type NodeDef } from './schema-dsl';

const atomicStruct = struct({}, { atomic: true });

export const labelSelector: NodeDef = struct({ matchLabels: stringMap(), matchExpressions: atomicList(struct({})) }, { atomic: true });

export const objectMeta: NodeDef = embedded(struct({
  labels: stringMap(),
  annotations: stringMap(),
  ownerReferences: keyedList('uid', atomicStruct),
  finalizers: primitiveSet({ strategy: 'merge' }),
  managedFields: atomicList(struct({})),
}));

const portKeys = { mapKeys: ['containerPort', 'protocol'], keyDefaults: { protocol: 'TCP' } };

const resources = struct({ limits: stringMap(), requests: stringMap(), claims: keyedList('name', struct({}), { strategy: undefined }) });

const envVar = struct({
  valueFrom: struct({
    fieldRef: atomicStruct, resourceFieldRef: atomicStruct, configMapKeyRef: atomicStruct, secretKeyRef: atomicStruct, fileKeyRef: atomicStruct,
  }),
});

const containerFields: Record<string, NodeDef> = {
  command: atomicList(),
  args: atomicList(),
  ports: keyedList('containerPort', struct({}), portKeys),
  envFrom: atomicList(struct({})),
  env: keyedList('name', envVar),
  resources: embedded(resources),
  volumeMounts: keyedList('mountPath', struct({ bindMountOptions: primitiveSet() })),
  volumeDevices: keyedList('devicePath', struct({})),
};

export const container: NodeDef = struct(containerFields);

const volume: NodeDef = struct({
  configMap: struct({ items: atomicList(struct({})) }),
  secret: struct({ items: atomicList(struct({})) }),
  projected: struct({ sources: atomicList(struct({})) }),
  downwardAPI: struct({ items: atomicList(struct({})) }),
});

export const podSpec: NodeDef = struct({
  volumes: keyedList('name', volume, { strategy: 'merge,retainKeys' }),
  initContainers: keyedList('name', container),
  containers: keyedList('name', container),
  ephemeralContainers: keyedList('name', struct({ ...containerFields })),
  nodeSelector: stringMap({ atomic: true }),
  imagePullSecrets: keyedList('name', atomicStruct),
  tolerations: atomicList(struct({})),
  hostAliases: keyedList('ip', struct({ hostnames: atomicList() })),
  topologySpreadConstraints: keyedList('topologyKey', struct({ labelSelector }), { mapKeys: ['topologyKey', 'whenUnsatisfiable'] }),
  schedulingGates: keyedList('name', struct({})),
  resourceClaims: keyedList('name', struct({}), { strategy: 'merge,retainKeys' }),
  readinessGates: atomicList(struct({})),
  overhead: stringMap(),
  affinity: struct({
    nodeAffinity: struct({ requiredDuringSchedulingIgnoredDuringExecution: atomicStruct }),
    podAffinity: struct({}),
    podAntiAffinity: struct({}),
  }),
  resources,
});

export const podTemplateSpec: NodeDef = embedded(struct({ metadata: objectMeta, spec: embedded(podSpec) }));

export const podStatus: NodeDef = embedded(struct({
  conditions: conditions(),
  hostIPs: keyedList('ip', struct({}), { listType: 'atomic' }),
  podIPs: keyedList('ip', struct({})),
  initContainerStatuses: atomicList(struct({})),
  containerStatuses: atomicList(struct({})),
  ephemeralContainerStatuses: atomicList(struct({})),
  resourceClaimStatuses: keyedList('name', struct({}), { strategy: 'merge,retainKeys' }),
  allocatedResources: stringMap(),
}));

export const serviceSpec: NodeDef = embedded(struct({
  ports: keyedList('port', struct({}), { mapKeys: ['port', 'protocol'], keyDefaults: { protocol: 'TCP' } }),
  selector: stringMap({ atomic: true }),
}));

export const serviceStatus: NodeDef = embedded(struct({ conditions: conditions(), loadBalancer: embedded(struct({})) }));

export const nodeSpec: NodeDef = embedded(struct({ podCIDRs: primitiveSet({ strategy: 'merge' }), taints: atomicList(struct({})) }));

export const nodeStatus: NodeDef = embedded(struct({
  capacity: stringMap(),
  allocatable: stringMap(),
  conditions: conditions(),
  addresses: keyedList('type', struct({})),
  images: atomicList(struct({})),
  volumesInUse: atomicList(),
  volumesAttached: atomicList(struct({})),
  runtimeHandlers: atomicList(struct({})),
  daemonEndpoints: embedded(struct({})),
  nodeInfo: embedded(struct({})),
}));

export const namespaceSpec: NodeDef = embedded(struct({ finalizers: atomicList() }));
export const namespaceStatus: NodeDef = embedded(struct({ conditions: conditions() }));

export const endpointsSubsets: NodeDef = atomicList(struct({}));

export const dataMap: NodeDef = stringMap();
