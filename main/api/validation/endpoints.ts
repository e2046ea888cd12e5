// core/v1 Endpoints validation (ValidateEndpoints).
import type { KObject } from '../types';
import type { Cause } from './cause';
import { invalid, notSupported, required } from './cause';
import { PROTOCOLS, dns1123Label } from './container';
import { isDNS1123Subdomain, isValidIP, isValidPortNum } from './names';
import { checkType, list, num, obj, str } from './read';

function validateAddress(a: unknown, path: string): Cause[] {
  const addr = obj(a);
  const ip = str(addr.ip);
  const causes = isValidIP(ip).map((m) => invalid(`${path}.ip`, ip, m));
  if (str(addr.hostname)) causes.push(...dns1123Label(str(addr.hostname), `${path}.hostname`));
  const nodeName = str(addr.nodeName);
  if (nodeName) for (const m of isDNS1123Subdomain(nodeName)) causes.push(invalid(`${path}.nodeName`, nodeName, m));
  return causes;
}

export function validateEndpoints(ep: KObject): Cause[] {
  const causes: Cause[] = [];
  checkType(causes, 'subsets', ep.subsets, 'array');
  list(ep.subsets).forEach((raw, i) => {
    const ss = obj(raw);
    const p = `subsets[${i}]`;
    const addrs = list(ss.addresses);
    const notReady = list(ss.notReadyAddresses);
    if (addrs.length === 0 && notReady.length === 0) causes.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    addrs.forEach((a, j) => causes.push(...validateAddress(a, `${p}.addresses[${j}]`)));
    notReady.forEach((a, j) => causes.push(...validateAddress(a, `${p}.notReadyAddresses[${j}]`)));
    const ports = list(ss.ports);
    ports.forEach((pr, j) => {
      const port = obj(pr);
      const pp = `${p}.ports[${j}]`;
      const name = str(port.name);
      if (ports.length > 1 && !name) causes.push(required(`${pp}.name`));
      else if (name) causes.push(...dns1123Label(name, `${pp}.name`));
      const n = num(port.port) ?? 0;
      for (const m of isValidPortNum(n)) causes.push(invalid(`${pp}.port`, n, m));
      const proto = str(port.protocol);
      if (!proto) causes.push(required(`${pp}.protocol`));
      else if (!PROTOCOLS.includes(proto)) causes.push(notSupported(`${pp}.protocol`, proto, PROTOCOLS));
    });
  });
  return causes;
}
