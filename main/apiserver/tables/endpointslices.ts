// EndpointSlices: NAME ADDRESSTYPE PORTS ENDPOINTS AGE.
import type { EndpointSlice } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';

const MAX_SHOWN = 3;

function listWithMore(all: string[]): string {
  const text = all.slice(0, MAX_SHOWN).join(',');
  if (all.length > MAX_SHOWN) return `${text} + ${all.length - MAX_SHOWN} more...`;
  return text || '<unset>';
}

export function formatSlicePorts(slice: Partial<EndpointSlice>): string {
  return listWithMore((slice.ports ?? []).map((p) => (p.port != null ? String(p.port) : p.name != null ? p.name : '*')));
}

export function formatSliceEndpoints(slice: Partial<EndpointSlice>): string {
  return listWithMore((slice.endpoints ?? []).flatMap((e) => e.addresses ?? []));
}

export const endpointSliceTable = defineTable<EndpointSlice>({
  columns: [
    nameColumn,
    { name: 'AddressType', type: 'string', description: 'addressType specifies the type of address carried by this EndpointSlice.', cell: (slice) => slice.addressType ?? '' },
    { name: 'Ports', type: 'string', description: 'ports specifies the list of network ports exposed by each endpoint in this slice.', cell: formatSlicePorts },
    { name: 'Endpoints', type: 'string', description: 'endpoints is a list of unique endpoints in this slice.', cell: formatSliceEndpoints },
    ageColumn,
  ],
});
