// The protobuf messages kubectl's typed clients send (kubectl create namespace|configmap|secret|
// deployment|service, kubectl run, evictions), by field number as in Kubernetes' generated.proto.
// Type codes: s string, i integer, b bool, y bytes (base64 in JSON), t Time, q Quantity,
// x IntOrString, m:Name message, ~ skipped (status, which the server sets itself).
// Suffixes: [] repeated, * pointer (a zero value is kept), and `{s}`/`{y}`/`{q}` maps of string keys.
// A field named with a leading '^' is embedded inline (Go struct embedding: its fields join the parent).

export type FieldSpec = [json: string, type: string];
export type MessageSpec = Record<number, FieldSpec>;

export const MESSAGES: Record<string, MessageSpec> = {
  Unknown: { 1: ['typeMeta', 'm:TypeMeta'], 2: ['raw', 'y'], 3: ['contentEncoding', 's'], 4: ['contentType', 's'] },
  TypeMeta: { 1: ['apiVersion', 's'], 2: ['kind', 's'] },
  ObjectMeta: {
    1: ['name', 's'], 2: ['generateName', 's'], 3: ['namespace', 's'], 4: ['selfLink', 's'], 5: ['uid', 's'], 6: ['resourceVersion', 's'],
    7: ['generation', 'i'], 8: ['creationTimestamp', 't'], 9: ['deletionTimestamp', 't'], 10: ['deletionGracePeriodSeconds', 'i*'],
    11: ['labels', '{s}'], 12: ['annotations', '{s}'], 13: ['ownerReferences', 'm:OwnerReference[]'], 14: ['finalizers', 's[]'], 17: ['managedFields', '~'],
  },
  OwnerReference: { 1: ['kind', 's'], 3: ['name', 's'], 4: ['uid', 's'], 5: ['apiVersion', 's'], 6: ['controller', 'b*'], 7: ['blockOwnerDeletion', 'b*'] },
  LabelSelector: { 1: ['matchLabels', '{s}'], 2: ['matchExpressions', 'm:LabelSelectorRequirement[]'] },
  LabelSelectorRequirement: { 1: ['key', 's'], 2: ['operator', 's'], 3: ['values', 's[]'] },
  Namespace: { 1: ['metadata', 'm:ObjectMeta'], 2: ['spec', 'm:NamespaceSpec'], 3: ['status', '~'] },
  NamespaceSpec: { 1: ['finalizers', 's[]'] },
  ConfigMap: { 1: ['metadata', 'm:ObjectMeta'], 2: ['data', '{s}'], 3: ['binaryData', '{y}'], 4: ['immutable', 'b*'] },
  Secret: { 1: ['metadata', 'm:ObjectMeta'], 2: ['data', '{y}'], 3: ['type', 's'], 4: ['stringData', '{s}'], 5: ['immutable', 'b*'] },
  Service: { 1: ['metadata', 'm:ObjectMeta'], 2: ['spec', 'm:ServiceSpec'], 3: ['status', '~'] },
  ServiceSpec: {
    1: ['ports', 'm:ServicePort[]'], 2: ['selector', '{s}'], 3: ['clusterIP', 's'], 4: ['type', 's'], 5: ['externalIPs', 's[]'], 7: ['sessionAffinity', 's'],
    8: ['loadBalancerIP', 's'], 9: ['loadBalancerSourceRanges', 's[]'], 10: ['externalName', 's'], 11: ['externalTrafficPolicy', 's'], 12: ['healthCheckNodePort', 'i'],
    13: ['publishNotReadyAddresses', 'b'], 14: ['sessionAffinityConfig', 'm:SessionAffinityConfig'], 17: ['ipFamilyPolicy', 's'], 18: ['clusterIPs', 's[]'],
    19: ['ipFamilies', 's[]'], 20: ['allocateLoadBalancerNodePorts', 'b*'], 21: ['loadBalancerClass', 's'], 22: ['internalTrafficPolicy', 's'],
  },
  ServicePort: { 1: ['name', 's'], 2: ['protocol', 's'], 3: ['port', 'i'], 4: ['targetPort', 'x'], 5: ['nodePort', 'i'], 6: ['appProtocol', 's'] },
  SessionAffinityConfig: { 1: ['clientIP', 'm:ClientIPConfig'] },
  ClientIPConfig: { 1: ['timeoutSeconds', 'i*'] },
  Pod: { 1: ['metadata', 'm:ObjectMeta'], 2: ['spec', 'm:PodSpec'], 3: ['status', '~'] },
  PodTemplateSpec: { 1: ['metadata', 'm:ObjectMeta'], 2: ['spec', 'm:PodSpec'] },
  PodSpec: {
    2: ['containers', 'm:Container[]'], 3: ['restartPolicy', 's'], 4: ['terminationGracePeriodSeconds', 'i*'], 5: ['activeDeadlineSeconds', 'i*'],
    6: ['dnsPolicy', 's'], 7: ['nodeSelector', '{s}'], 8: ['serviceAccountName', 's'], 9: ['serviceAccount', 's'], 10: ['nodeName', 's'], 11: ['hostNetwork', 'b'],
    14: ['securityContext', '~'], 15: ['imagePullSecrets', 'm:LocalObjectReference[]'], 16: ['hostname', 's'], 17: ['subdomain', 's'], 18: ['affinity', 'm:Affinity'],
    19: ['schedulerName', 's'], 20: ['initContainers', 'm:Container[]'], 22: ['tolerations', 'm:Toleration[]'], 24: ['priorityClassName', 's'], 25: ['priority', 'i*'],
    30: ['enableServiceLinks', 'b*'], 31: ['preemptionPolicy', 's'],
  },
  Container: {
    1: ['name', 's'], 2: ['image', 's'], 3: ['command', 's[]'], 4: ['args', 's[]'], 5: ['workingDir', 's'], 6: ['ports', 'm:ContainerPort[]'], 7: ['env', 'm:EnvVar[]'],
    8: ['resources', 'm:ResourceRequirements'], 9: ['volumeMounts', 'm:VolumeMount[]'], 10: ['livenessProbe', 'm:Probe'], 11: ['readinessProbe', 'm:Probe'],
    13: ['terminationMessagePath', 's'], 14: ['imagePullPolicy', 's'], 15: ['securityContext', '~'], 16: ['stdin', 'b'], 17: ['stdinOnce', 'b'], 18: ['tty', 'b'],
    20: ['terminationMessagePolicy', 's'], 22: ['startupProbe', 'm:Probe'], 24: ['restartPolicy', 's'],
  },
  ContainerPort: { 1: ['name', 's'], 2: ['hostPort', 'i'], 3: ['containerPort', 'i'], 4: ['protocol', 's'], 5: ['hostIP', 's'] },
  EnvVar: { 1: ['name', 's'], 2: ['value', 's'], 3: ['valueFrom', 'm:EnvVarSource'] },
  EnvVarSource: { 1: ['fieldRef', 'm:ObjectFieldSelector'], 3: ['configMapKeyRef', 'm:ConfigMapKeySelector'], 4: ['secretKeyRef', 'm:SecretKeySelector'] },
  ObjectFieldSelector: { 1: ['apiVersion', 's'], 2: ['fieldPath', 's'] },
  ConfigMapKeySelector: { 1: ['^localObjectReference', 'm:LocalObjectReference'], 2: ['key', 's'], 3: ['optional', 'b*'] },
  SecretKeySelector: { 1: ['^localObjectReference', 'm:LocalObjectReference'], 2: ['key', 's'], 3: ['optional', 'b*'] },
  LocalObjectReference: { 1: ['name', 's'] },
  ResourceRequirements: { 1: ['limits', '{q}'], 2: ['requests', '{q}'] },
  VolumeMount: { 1: ['name', 's'], 2: ['readOnly', 'b'], 3: ['mountPath', 's'], 4: ['subPath', 's'] },
  Probe: { 1: ['^handler', 'm:ProbeHandler'], 2: ['initialDelaySeconds', 'i'], 3: ['timeoutSeconds', 'i'], 4: ['periodSeconds', 'i'], 5: ['successThreshold', 'i'], 6: ['failureThreshold', 'i'] },
  ProbeHandler: { 1: ['exec', 'm:ExecAction'], 2: ['httpGet', 'm:HTTPGetAction'], 3: ['tcpSocket', 'm:TCPSocketAction'] },
  ExecAction: { 1: ['command', 's[]'] },
  HTTPGetAction: { 1: ['path', 's'], 2: ['port', 'x'], 3: ['host', 's'], 4: ['scheme', 's'] },
  TCPSocketAction: { 1: ['port', 'x'], 2: ['host', 's'] },
  Toleration: { 1: ['key', 's'], 2: ['operator', 's'], 3: ['value', 's'], 4: ['effect', 's'], 5: ['tolerationSeconds', 'i*'] },
  Affinity: { 1: ['nodeAffinity', 'm:NodeAffinity'] },
  NodeAffinity: { 1: ['requiredDuringSchedulingIgnoredDuringExecution', 'm:NodeSelector'], 2: ['preferredDuringSchedulingIgnoredDuringExecution', 'm:PreferredSchedulingTerm[]'] },
  NodeSelector: { 1: ['nodeSelectorTerms', 'm:NodeSelectorTerm[]'] },
  NodeSelectorTerm: { 1: ['matchExpressions', 'm:NodeSelectorRequirement[]'], 2: ['matchFields', 'm:NodeSelectorRequirement[]'] },
  NodeSelectorRequirement: { 1: ['key', 's'], 2: ['operator', 's'], 3: ['values', 's[]'] },
  PreferredSchedulingTerm: { 1: ['weight', 'i'], 2: ['preference', 'm:NodeSelectorTerm'] },
  Deployment: { 1: ['metadata', 'm:ObjectMeta'], 2: ['spec', 'm:DeploymentSpec'], 3: ['status', '~'] },
  DeploymentSpec: {
    1: ['replicas', 'i*'], 2: ['selector', 'm:LabelSelector'], 3: ['template', 'm:PodTemplateSpec'], 4: ['strategy', 'm:DeploymentStrategy'],
    5: ['minReadySeconds', 'i'], 6: ['revisionHistoryLimit', 'i*'], 7: ['paused', 'b'], 9: ['progressDeadlineSeconds', 'i*'],
  },
  DeploymentStrategy: { 1: ['type', 's'], 2: ['rollingUpdate', 'm:RollingUpdateDeployment'] },
  RollingUpdateDeployment: { 1: ['maxUnavailable', 'x'], 2: ['maxSurge', 'x'] },
  Binding: { 1: ['metadata', 'm:ObjectMeta'], 2: ['target', 'm:ObjectReference'] },
  ObjectReference: { 1: ['kind', 's'], 2: ['namespace', 's'], 3: ['name', 's'], 4: ['uid', 's'], 5: ['apiVersion', 's'], 6: ['resourceVersion', 's'], 7: ['fieldPath', 's'] },
  Eviction: { 1: ['metadata', 'm:ObjectMeta'], 2: ['deleteOptions', 'm:DeleteOptions'] },
  DeleteOptions: { 1: ['gracePeriodSeconds', 'i*'], 2: ['preconditions', 'm:Preconditions'], 3: ['orphanDependents', 'b*'], 4: ['propagationPolicy', 's'], 5: ['dryRun', 's[]'] },
  Preconditions: { 1: ['uid', 's'], 2: ['resourceVersion', 's'] },
};

/** Root messages by apiVersion/kind. */
export const ROOTS: Record<string, string> = {
  'v1/Namespace': 'Namespace', 'v1/ConfigMap': 'ConfigMap', 'v1/Secret': 'Secret', 'v1/Service': 'Service', 'v1/Pod': 'Pod',
  'v1/Binding': 'Binding', 'apps/v1/Deployment': 'Deployment', 'policy/v1/Eviction': 'Eviction', 'v1/DeleteOptions': 'DeleteOptions', 'meta.k8s.io/v1/DeleteOptions': 'DeleteOptions',
};
