// A resource's list as kubectl gets it: a meta.k8s.io/v1 Table from the server, so the columns are
// the server's (a CRD's additionalPrinterColumns included), with each row's object metadata.
import type { Table } from '../api/table';
import { TABLE_MEDIA_TYPE } from '../api/table';
import type { ResourceRef } from '../client/types';
import type { ApiEndpoint } from './api-http';
import { getJson } from './api-http';
import { BridgeFailure } from './errors';
import { collectionPath } from './resource-types';

export async function listTable(api: ApiEndpoint, ref: ResourceRef, namespace?: string, labelSelector?: string): Promise<Table> {
  const q = new URLSearchParams({ includeObject: 'Metadata' });
  if (labelSelector) q.set('labelSelector', labelSelector);
  const r = await getJson<Table>(api, `${collectionPath(ref, namespace)}?${q.toString()}`, `${TABLE_MEDIA_TYPE}, application/json`);
  if (!r.ok) throw new BridgeFailure(r.error.code, r.error.reason, r.error.message);
  if (r.value.kind !== 'Table') throw new BridgeFailure(406, 'NotAcceptable', `the server answered ${ref.plural} with a ${String(r.value.kind)}, not a Table`);
  return r.value;
}
