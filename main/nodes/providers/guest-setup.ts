// What every VM worker needs from its OS, in one place: the packages a node's fresh OS gets and
// the first-boot steps (kernel modules, sysctls, the distro's containerd unit turned off: Flotilla
// runs its own). The QEMU image is built from these (qemu/image-recipe.ts); the Lima template
// (vm-images/lima/worker.yaml) and the Multipass cloud-init (vm-images/multipass/cloud-init.yaml)
// are static files handed to limactl and multipass, and tests/unit/nodes/guest-setup.test.ts holds
// them to these same lists, so the three providers' nodes stay alike.

/** The node's runtime packages, by their Debian/Ubuntu names (Lima and Multipass also install `nodejs`). */
export const NODE_PACKAGES = ['containerd', 'runc', 'containernetworking-plugins', 'iptables'] as const;

/** Node.js from the distro: what Lima and Multipass guests run the agent with (the QEMU image carries the host's own binary). */
export const NODE_JS_PACKAGE = 'nodejs';

/** Kernel modules loaded at boot (/etc/modules-load.d/flotilla.conf). */
export const NODE_MODULES = ['br_netfilter'] as const;

/** Kernel settings (/etc/sysctl.d/90-flotilla.conf). */
export const NODE_SYSCTLS: ReadonlyArray<readonly [string, string]> = [
  ['net.ipv4.ip_forward', '1'],
  ['net.bridge.bridge-nf-call-iptables', '1'],
  ['net.ipv4.conf.all.route_localnet', '1'],
];

/** Units of the distro turned off: Flotilla runs its own containerd (flotilla-containerd.service) with its own config. */
export const NODE_DISABLED_UNITS = ['containerd.service'] as const;

export const MODULES_LOAD_FILE = '/etc/modules-load.d/flotilla.conf';
export const SYSCTL_FILE = '/etc/sysctl.d/90-flotilla.conf';

/** The text of /etc/modules-load.d/flotilla.conf. */
export function modulesLoadConf(): string {
  return NODE_MODULES.map((m) => `${m}\n`).join('');
}

/** The text of /etc/sysctl.d/90-flotilla.conf. */
export function sysctlConf(): string {
  return NODE_SYSCTLS.map(([k, v]) => `${k} = ${v}\n`).join('');
}
