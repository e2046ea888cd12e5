// Endpoints: NAME ENDPOINTS AGE, where ENDPOINTS lists at most three ip:port and then "+ N more...".
import type { Endpoints } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';

const MAX_SHOWN = 3;

/** net.JoinHostPort: IPv6 addresses get brackets. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function formatEndpoints(ep: Partial<Endpoints>): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  const add = (text: string): void => {
    if (list.length < MAX_SHOWN) list.push(text);
    count++;
  };
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      for (const a of addresses) add(a.ip);
    } else {
      for (const p of ports) for (const a of addresses) add(joinHostPort(a.ip, p.port));
    }
  }
  const text = list.join(',');
  return count > MAX_SHOWN ? `${text} + ${count - MAX_SHOWN} more...` : text;
}

export const endpointsTable = defineTable<Endpoints>({
  columns: [
    nameColumn,
    { name: 'Endpoints', type: 'string', description: 'The set of all endpoints is the union of all subsets.', cell: formatEndpoints },
    ageColumn,
  ],
});
