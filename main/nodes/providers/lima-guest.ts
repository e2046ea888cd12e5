// What the provider asks a Lima guest, in one `limactl shell` round trip, and what it makes of the
// answer: the boot id, the identity provisioning stored on the disk, how provisioning went this boot
// (the template's provision script keeps it in /run/flotilla-provision, cleared on every boot), the
// SSH host key, the inter-VM address (the interface of the default route: on Lima's user-v2
// network the guest's only NIC is eth0 in 192.168.104.0/24) and the gateway, the host as the guest
// reaches it (Lima's usernet.GatewayIP). And the host-key pin that follows.
import { BlockList, isIPv4 } from 'node:net';
import type { HostPin } from './known-hosts';
import { isPodAddress } from './addresses';

/** Files the template's provisioning writes in the guest (vm-images/lima/worker.yaml). */
export const GUEST_FILES = {
  instanceId: '/etc/flotilla/instance-id',
  provisionState: '/run/flotilla-provision/state',
  provisionError: '/run/flotilla-provision/error',
  hostKey: '/etc/ssh/ssh_host_ed25519_key.pub',
  bootId: '/proc/sys/kernel/random/boot_id',
} as const;

const SECTIONS: Array<[string, string]> = [
  ['boot_id', `cat ${GUEST_FILES.bootId}`],
  ['instance_id', `cat ${GUEST_FILES.instanceId} 2>/dev/null`],
  ['provision', `cat ${GUEST_FILES.provisionState} 2>/dev/null`],
  ['provision_error', `cat ${GUEST_FILES.provisionError} 2>/dev/null`],
  ['host_key', `cat ${GUEST_FILES.hostKey} 2>/dev/null`],
  ['route', 'ip -4 -j route show default'],
  ['addr', 'ip -4 -j addr show'],
];

/** The command run as `limactl shell --workdir=/ NAME <argv>` (as the Lima user: everything it reads is world-readable). */
export const GUEST_STATE_ARGV = ['sh', '-c', `${SECTIONS.map(([k, cmd]) => `echo @@${k}; ${cmd}`).join('; ')}; true`];

export type ProvisionState = 'pending' | 'running' | 'done' | 'failed';

export interface GuestState {
  bootId: string;
  instanceId: string;
  /** pending: this boot's provisioning has not started (or the instance predates the state file). */
  provision: ProvisionState;
  provisionError: string;
  /** "ssh-ed25519 AAAA…" without the comment; empty when the guest has no ed25519 host key. */
  hostKey: string;
  ip?: string;
  /** The default route's gateway: Lima's usernet gateway (192.168.104.2 on user-v2, 192.168.5.2 otherwise), NATed to the host's 127.0.0.1. */
  gateway?: string;
}

function sections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let key = '';
  for (const line of text.split('\n')) {
    const m = /^@@(\w+)$/.exec(line.trim());
    if (m) { key = m[1]; out.set(key, ''); continue; }
    if (key) out.set(key, `${out.get(key) ?? ''}${line}\n`);
  }
  return out;
}

interface IpAddrInfo { family?: string; local?: string; scope?: string }
interface IpLink { ifname?: string; addr_info?: IpAddrInfo[] }
interface IpRoute { dst?: string; dev?: string; prefsrc?: string; gateway?: string }

function json<T>(text: string | undefined): T[] {
  try {
    const v = JSON.parse(text ?? '') as unknown;
    return Array.isArray(v) ? v as T[] : [];
  } catch {
    return [];
  }
}

/** Lima's default user-mode network (not reachable from other VMs); only present without user-v2. */
const slirp = new BlockList();
slirp.addSubnet('192.168.5.0', 24, 'ipv4');

/**
 * The guest's inter-VM address from `ip -4 -j route show default` and `ip -4 -j addr show`: the
 * global address of the default route's interface; else the first global address that is neither
 * a pod bridge's (cni0, in the cluster CIDR) nor Lima's host-only 192.168.5.0/24.
 */
export function guestIP(routeJson: string, addrJson: string, clusterCIDR?: string): string | undefined {
  const links = json<IpLink>(addrJson);
  const v4 = (l: IpLink | undefined): string | undefined => l?.addr_info?.find((a) => a.family === 'inet' && a.local && a.scope !== 'host')?.local;
  const usable = (ip: string | undefined): ip is string => !!ip && !isPodAddress(ip, clusterCIDR) && !slirp.check(ip, 'ipv4');
  const def = json<IpRoute>(routeJson).find((r) => r.dst === 'default' && r.dev);
  const viaDefault = def ? v4(links.find((l) => l.ifname === def.dev)) : undefined;
  if (usable(viaDefault)) return viaDefault;
  return links.filter((l) => l.ifname !== 'lo').map(v4).find(usable);
}

/** The IPv4 gateway of the default route in `ip -4 -j route show default`. */
export function defaultGateway(routeJson: string): string | undefined {
  const gw = json<IpRoute>(routeJson).find((r) => r.dst === 'default' && r.gateway)?.gateway;
  return gw && isIPv4(gw) ? gw : undefined;
}

/** Parses the output of GUEST_STATE_ARGV. */
export function parseGuestState(text: string, clusterCIDR?: string): GuestState {
  const s = sections(text);
  const one = (k: string): string => (s.get(k) ?? '').trim();
  const state = one('provision').split('\n')[0] ?? '';
  const key = one('host_key').split(/\s+/);
  return {
    bootId: one('boot_id'),
    instanceId: one('instance_id'),
    provision: state === 'running' || state === 'done' || state === 'failed' ? state : 'pending',
    provisionError: one('provision_error'),
    hostKey: key.length >= 2 ? `${key[0]} ${key[1]}` : '',
    ip: guestIP(s.get('route') ?? '', s.get('addr') ?? '', clusterCIDR),
    gateway: defaultGateway(s.get('route') ?? ''),
  };
}

export type PinDecision =
  | { ok: true; pin: HostPin; changed: boolean; repinned: boolean }
  | { ok: false; reason: string };

/**
 * The host key to pin for a guest, given the current pin and what the guest itself reports through
 * Lima's channel. Nothing pinned: pin the guest's key (if the instance carries the identity Flotilla
 * gave it). Same key: keep it (noting the boot). A different key is accepted only as the same
 * instance after a reboot: the guest carries the identity recorded at creation and its boot id
 * differs from the one seen with the old key (cloud-init regenerates host keys when Lima gives it a
 * new instance-id on a boot, lima-vm/lima#678, for instances made before the template kept them).
 * Anything else is refused.
 */
export function decideHostPin(pin: HostPin, g: GuestState): PinDecision {
  if (!g.hostKey) return { ok: true, pin, changed: false, repinned: false };
  const sameInstance = !pin.instanceId || pin.instanceId === g.instanceId;
  if (!sameInstance) {
    return { ok: false, reason: `the guest is not the instance Flotilla created (its identity ${g.instanceId || '(none)'} is not the recorded ${pin.instanceId ?? ''}); refusing to trust its SSH host key` };
  }
  const next: HostPin = { ...pin, hostKey: g.hostKey, bootId: g.bootId || pin.bootId };
  if (!pin.hostKey) return { ok: true, pin: next, changed: true, repinned: false };
  if (pin.hostKey === g.hostKey) return { ok: true, pin: next, changed: next.bootId !== pin.bootId, repinned: false };
  if (pin.instanceId && pin.bootId && g.bootId && pin.bootId !== g.bootId) return { ok: true, pin: next, changed: true, repinned: true };
  return {
    ok: false,
    reason: pin.instanceId && pin.bootId
      ? 'its SSH host key changed without a reboot; refusing to connect'
      : 'its SSH host key changed and the instance cannot be shown to be the one Flotilla pinned (made by an older Flotilla); delete and re-create the machine',
  };
}
