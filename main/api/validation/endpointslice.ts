// discovery.k8s.io/v1 EndpointSlice validation (ValidateEndpointSlice).
import type { KObject } from '../types';
import type { Cause } from './cause';
import { duplicate, invalid, notSupported, required } from './cause';
import { PROTOCOLS, dns1123Label } from './container';
import { ipFamilyOf, isDNS1123Subdomain, isValidPortNum } from './names';
import { checkType, list, num, obj, str } from './read';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

export function validateEndpointSlice(es: KObject): Cause[] {
  const causes: Cause[] = [];
  checkType(causes, 'endpoints', es.endpoints, 'array');
  checkType(causes, 'ports', es.ports, 'array');
  const type = str(es.addressType);
  if (!type) causes.push(required('addressType'));
  else if (!ADDRESS_TYPES.includes(type)) causes.push(notSupported('addressType', type, ADDRESS_TYPES));
  list(es.endpoints).forEach((raw, i) => {
    const ep = obj(raw);
    const p = `endpoints[${i}].addresses`;
    const addrs = list(ep.addresses).map(str);
    if (addrs.length === 0) causes.push(required(p, 'must contain at least 1 address'));
    else if (addrs.length > 100) causes.push(invalid(p, addrs.length, 'must have at most 100 items'));
    addrs.forEach((a, j) => {
      const ap = `${p}[${j}]`;
      if (type === 'IPv4' && ipFamilyOf(a) !== 'IPv4') causes.push(invalid(ap, a, 'must be a valid IPv4 address'));
      if (type === 'IPv6' && ipFamilyOf(a) !== 'IPv6') causes.push(invalid(ap, a, 'must be a valid IPv6 address'));
      if (type === 'FQDN') for (const m of isDNS1123Subdomain(a)) causes.push(invalid(ap, a, m));
    });
    if (str(ep.hostname)) causes.push(...dns1123Label(str(ep.hostname), `endpoints[${i}].hostname`));
  });
  const names = new Set<string>();
  list(es.ports).forEach((raw, i) => {
    const port = obj(raw);
    const p = `ports[${i}]`;
    const name = str(port.name);
    if (name) causes.push(...dns1123Label(name, `${p}.name`));
    if (names.has(name)) causes.push(duplicate(`${p}.name`, name));
    names.add(name);
    if (port.port !== undefined && port.port !== null) {
      const n = num(port.port) ?? 0;
      for (const m of isValidPortNum(n)) causes.push(invalid(`${p}.port`, n, m));
    }
    const proto = str(port.protocol);
    if (proto && !PROTOCOLS.includes(proto)) causes.push(notSupported(`${p}.protocol`, proto, PROTOCOLS));
  });
  return causes;
}
