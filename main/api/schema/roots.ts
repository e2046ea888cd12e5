// The schema type of every kind whose bodies we decode: "<apiVersion>/<kind>" → type name in the schema.
// Built-in type names are those of @kubernetes/client-node's models (scripts/gen-schema.ts walks from these).

export const BUILTIN_ROOTS: Readonly<Record<string, string>> = {
  'v1/Namespace': 'V1Namespace',
  'v1/Node': 'V1Node',
  'v1/Pod': 'V1Pod',
  'v1/Service': 'V1Service',
  'v1/Endpoints': 'V1Endpoints',
  'v1/Event': 'CoreV1Event',
  'v1/ConfigMap': 'V1ConfigMap',
  'v1/Secret': 'V1Secret',
  'v1/Binding': 'V1Binding',
  'apps/v1/Deployment': 'V1Deployment',
  'apps/v1/ReplicaSet': 'V1ReplicaSet',
  'apps/v1/DaemonSet': 'V1DaemonSet',
  'batch/v1/Job': 'V1Job',
  'batch/v1/CronJob': 'V1CronJob',
  'discovery.k8s.io/v1/EndpointSlice': 'V1EndpointSlice',
  'coordination.k8s.io/v1/Lease': 'V1Lease',
  'policy/v1/Eviction': 'V1Eviction',
  'policy/v1/PodDisruptionBudget': 'V1PodDisruptionBudget',
  'autoscaling/v1/Scale': 'V1Scale',
  'autoscaling/v2/HorizontalPodAutoscaler': 'V2HorizontalPodAutoscaler',
  'scheduling.k8s.io/v1/PriorityClass': 'V1PriorityClass',
  'networking.k8s.io/v1/NetworkPolicy': 'V1NetworkPolicy',
  'meta.k8s.io/v1/DeleteOptions': 'V1DeleteOptions',
  'v1/DeleteOptions': 'V1DeleteOptions',
  'v1/ServiceAccount': 'V1ServiceAccount',
  'rbac.authorization.k8s.io/v1/Role': 'V1Role',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'V1ClusterRole',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'V1RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'V1ClusterRoleBinding',
  'authentication.k8s.io/v1/TokenRequest': 'AuthenticationV1TokenRequest',
  'v1/PersistentVolume': 'V1PersistentVolume',
  'v1/PersistentVolumeClaim': 'V1PersistentVolumeClaim',
  'storage.k8s.io/v1/StorageClass': 'V1StorageClass',
};

export const FLOTILLA_ROOTS: Readonly<Record<string, string>> = {
  'flotilla.dev/v1alpha1/Machine': 'Machine',
};
