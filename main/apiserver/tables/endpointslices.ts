// EndpointSlices: NAME ADDRESSTYPE PORTS ENDPOINTS AGE.
import type { EndpointSlice, KObject } from '../../api/types';
import { ageColumn, column, nameColumn } from './columns';
import { translateTimestampSince } from './duration';
import { view } from './view';
import type { KindPrinter, TableCell } from './types';

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

export const endpointSlicePrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    column('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn(),
  ],
  cells(obj: KObject, now: Date): TableCell[] {
    const slice = view<EndpointSlice>(obj);
    return [
      slice.metadata?.name ?? '',
      slice.addressType ?? '',
      formatSlicePorts(slice),
      formatSliceEndpoints(slice),
      translateTimestampSince(slice.metadata?.creationTimestamp, now),
    ];
  },
};
