// Mutating and validating webhook configurations as Kubernetes prints them: NAME WEBHOOKS AGE.
import type { MutatingWebhookConfiguration, ValidatingWebhookConfiguration } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';

export const webhookConfigurationTable = defineTable<MutatingWebhookConfiguration | ValidatingWebhookConfiguration>({
  columns: [
    nameColumn,
    { name: 'Webhooks', type: 'integer', description: 'Webhooks indicates the number of webhooks registered in this configuration', cell: (c) => c.webhooks?.length ?? 0 },
    ageColumn,
  ],
});
