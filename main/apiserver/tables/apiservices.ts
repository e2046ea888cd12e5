// apiregistration.k8s.io/v1 APIServices as kube-aggregator prints them: NAME SERVICE AVAILABLE AGE.
import { apiServiceAvailableText, apiServiceServiceText } from '../../api/apiservices';
import type { APIService } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';

export const apiServiceTable = defineTable<APIService>({
  columns: [
    nameColumn,
    { name: 'Service', type: 'string', description: 'The reference to the service that hosts this API endpoint.', cell: (a) => apiServiceServiceText(a as APIService) },
    { name: 'Available', type: 'string', description: 'Whether this service is available.', cell: (a) => apiServiceAvailableText(a) },
    ageColumn,
  ],
});
