// A QEMU node's seed: what its first-boot unit (guest-files.ts) applies on every boot, handed in
// through fw_cfg. One key=base64(value) per line, so keys and values need no quoting in the guest.
import { isIPv4 } from 'node:net';

export interface NodeSeed {
  hostname: string;
  instanceId: string;
  /** The MAC of the node's NIC on the cluster bridge (lower case, colon-separated). */
  mac: string;
  /** The node's address with its prefix length, e.g. 10.251.3.5/24. */
  address: string;
  gateway: string;
  dns: string[];
  /** OpenSSH public key line authorised for root. */
  authorizedKey: string;
  /** The node's SSH host key: OpenSSH private key text and its public line. */
  hostKey: string;
  hostKeyPub: string;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

export function renderSeed(s: NodeSeed): string {
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(s.hostname)) throw new Error(`"${s.hostname}" is not a valid host name`);
  if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(s.mac)) throw new Error(`"${s.mac}" is not a MAC address`);
  const [ip, bits] = s.address.split('/');
  if (!isIPv4(ip ?? '') || !/^\d+$/.test(bits ?? '') || Number(bits) > 32) throw new Error(`"${s.address}" is not an IPv4 address with a prefix length`);
  for (const a of [s.gateway, ...s.dns]) if (!isIPv4(a)) throw new Error(`"${a}" is not an IPv4 address`);
  if (/\n/.test(s.authorizedKey.trim()) || /\n/.test(s.hostKeyPub.trim())) throw new Error('public keys must be one line');
  const lines: Array<[string, string]> = [
    ['hostname', s.hostname], ['instance_id', s.instanceId], ['mac', s.mac], ['address', s.address], ['gateway', s.gateway],
    ['dns', s.dns.join(' ')], ['authorized_key', `${s.authorizedKey.trim()}\n`], ['host_key', s.hostKey], ['host_key_pub', `${s.hostKeyPub.trim()}\n`],
  ];
  return lines.map(([k, v]) => `${k}=${b64(v)}\n`).join('');
}

/** The inverse of renderSeed (what the guest's script reads), for tests and diagnosis. */
export function parseSeed(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = Buffer.from(line.slice(i + 1), 'base64').toString('utf8');
  }
  return out;
}
