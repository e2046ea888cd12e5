// Which table each resource has (by API group and plural); everything else gets NAME AGE.
import type { ResourceInfo } from '../../api/resources';
import { perResource } from '../../api/resources';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';
import { endpointsTable } from './endpoints';
import { endpointSliceTable } from './endpointslices';
import { csiDriverTable, csiNodeTable, csiStorageCapacityTable, podTemplateTable, runtimeClassTable, volumeAttachmentTable } from './node-kinds';
import { certificateSigningRequestTable } from './certificates';
import { webhookConfigurationTable } from './webhooks';
import { componentStatusTable } from './component-statuses';
import { eventTable } from './events';
import { machineTable } from './machines';
import { nodeTable } from './nodes';
import { configMapTable, leaseTable, namespaceTable, secretTable } from './plain';
import { podTable } from './pods';
import { clusterRoleBindingTable, roleBindingTable, roleTable, serviceAccountTable } from './rbac';
import { serviceTable } from './services';
import { persistentVolumeClaimTable, persistentVolumeTable, storageClassTable } from './storage';
import type { KindTable } from './types';
import { daemonSetTable, deploymentTable, replicaSetTable } from './workloads';
import { replicationControllerTable } from './replication-controllers';
import { podDisruptionBudgetTable } from './policy';
import { horizontalPodAutoscalerTable } from './autoscaling';
import { priorityClassTable } from './scheduling';
import { networkPolicyTable } from './networkpolicy';
import { cronJobTable, jobTable } from './batch';
import { controllerRevisionTable, statefulSetTable } from './apps-history';
import { limitRangeTable, resourceQuotaTable } from './quota';
import { customResourceDefinitionTable } from './customresourcedefinitions';
import { ingressClassTable, ingressTable } from './networking';
import { validatingAdmissionPolicyBindingTable, validatingAdmissionPolicyTable } from './admission-policies';
import { apiServiceTable } from './apiservices';
import { flowSchemaTable, priorityLevelConfigurationTable } from './flowcontrol';

const defaultTable = defineTable({ columns: [nameColumn, ageColumn] });

const own = perResource<KindTable>([
  ['', 'pods', podTable],
  ['', 'nodes', nodeTable],
  ['', 'services', serviceTable],
  ['', 'endpoints', endpointsTable],
  ['', 'namespaces', namespaceTable],
  ['', 'componentstatuses', componentStatusTable],
  ['', 'configmaps', configMapTable],
  ['', 'secrets', secretTable],
  ['', 'events', eventTable],
  ['', 'serviceaccounts', serviceAccountTable],
  ['rbac.authorization.k8s.io', 'roles', roleTable],
  ['rbac.authorization.k8s.io', 'clusterroles', roleTable],
  ['rbac.authorization.k8s.io', 'rolebindings', roleBindingTable],
  ['rbac.authorization.k8s.io', 'clusterrolebindings', clusterRoleBindingTable],
  ['apps', 'deployments', deploymentTable],
  ['apps', 'replicasets', replicaSetTable],
  ['', 'replicationcontrollers', replicationControllerTable],
  ['apps', 'daemonsets', daemonSetTable],
  ['batch', 'jobs', jobTable],
  ['batch', 'cronjobs', cronJobTable],
  ['apps', 'statefulsets', statefulSetTable],
  ['apps', 'controllerrevisions', controllerRevisionTable],
  ['discovery.k8s.io', 'endpointslices', endpointSliceTable],
  ['coordination.k8s.io', 'leases', leaseTable],
  ['flotilla.dev', 'machines', machineTable],
  ['', 'persistentvolumes', persistentVolumeTable],
  ['', 'persistentvolumeclaims', persistentVolumeClaimTable],
  ['storage.k8s.io', 'storageclasses', storageClassTable],
  ['policy', 'poddisruptionbudgets', podDisruptionBudgetTable],
  ['autoscaling', 'horizontalpodautoscalers', horizontalPodAutoscalerTable],
  ['scheduling.k8s.io', 'priorityclasses', priorityClassTable],
  ['', 'limitranges', limitRangeTable],
  ['', 'resourcequotas', resourceQuotaTable],
  ['apiextensions.k8s.io', 'customresourcedefinitions', customResourceDefinitionTable],
  ['networking.k8s.io', 'networkpolicies', networkPolicyTable],
  ['networking.k8s.io', 'ingresses', ingressTable],
  ['networking.k8s.io', 'ingressclasses', ingressClassTable],
  ['certificates.k8s.io', 'certificatesigningrequests', certificateSigningRequestTable],
  ['', 'podtemplates', podTemplateTable],
  ['node.k8s.io', 'runtimeclasses', runtimeClassTable],
  ['storage.k8s.io', 'csidrivers', csiDriverTable],
  ['storage.k8s.io', 'csinodes', csiNodeTable],
  ['storage.k8s.io', 'volumeattachments', volumeAttachmentTable],
  ['storage.k8s.io', 'csistoragecapacities', csiStorageCapacityTable],
  ['admissionregistration.k8s.io', 'mutatingwebhookconfigurations', webhookConfigurationTable],
  ['admissionregistration.k8s.io', 'validatingwebhookconfigurations', webhookConfigurationTable],
  ['admissionregistration.k8s.io', 'validatingadmissionpolicies', validatingAdmissionPolicyTable],
  ['admissionregistration.k8s.io', 'validatingadmissionpolicybindings', validatingAdmissionPolicyBindingTable],
  ['apiregistration.k8s.io', 'apiservices', apiServiceTable],
  ['flowcontrol.apiserver.k8s.io', 'flowschemas', flowSchemaTable],
  ['flowcontrol.apiserver.k8s.io', 'prioritylevelconfigurations', priorityLevelConfigurationTable],
]);

export function tableFor(r: Pick<ResourceInfo, 'group' | 'plural'>): KindTable {
  return own(r) ?? defaultTable;
}
