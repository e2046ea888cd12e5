// The files the QEMU node image carries beyond its packages: the first-boot unit and script that
// read the node's seed from QEMU's fw_cfg (seed.ts writes it), sshd's settings, and the shared
// first-boot steps of guest-setup.ts. Paths are inside the guest.
import { modulesLoadConf, MODULES_LOAD_FILE, sysctlConf, SYSCTL_FILE } from '../guest-setup';

/** The fw_cfg item the seed is handed in as (-fw_cfg name=…,file=…); "opt/" names are the ones left to users. */
export const SEED_FW_CFG_NAME = 'opt/flotilla/seed';
/** The guest's root device: the node's disk is the first virtio disk, one ext4 file system, no partition table. */
export const ROOT_DEVICE = '/dev/vda';
export const SEED_SCRIPT = '/usr/local/sbin/flotilla-seed';
export const SEED_UNIT = 'flotilla-seed.service';
/** Where the agent's Node.js binary (the host's own) goes in the image. */
export const GUEST_NODE_BINARY = '/usr/local/bin/node';

export const SEED_SCRIPT_TEXT = `#!/bin/sh
# Flotilla node configuration, applied on every boot from the seed QEMU hands in through fw_cfg
# (${SEED_FW_CFG_NAME}): one key=base64(value) per line. Hostname, identity, authorised key,
# SSH host key, the address on the cluster's bridge (found by MAC), the root file system grown
# to the disk's size.
set -eu
seed=/sys/firmware/qemu_fw_cfg/by_name/${SEED_FW_CFG_NAME}/raw
[ -r "$seed" ] || modprobe qemu_fw_cfg || true
[ -r "$seed" ] || { echo "flotilla-seed: no seed at $seed" >&2; exit 1; }
cp "$seed" /run/flotilla-seed
chmod 0600 /run/flotilla-seed
val() { sed -n "s/^$1=//p" /run/flotilla-seed | base64 -d; }
name=$(val hostname)
echo "$name" > /etc/hostname
hostname "$name"
printf '127.0.0.1 localhost\\n127.0.1.1 %s\\n' "$name" > /etc/hosts
install -d -m 0755 /etc/flotilla
val instance_id > /etc/flotilla/instance-id
install -d -m 0700 /root/.ssh
val authorized_key > /root/.ssh/authorized_keys
chmod 0600 /root/.ssh/authorized_keys
(umask 077; val host_key > /etc/ssh/ssh_host_ed25519_key)
val host_key_pub > /etc/ssh/ssh_host_ed25519_key.pub
mac=$(val mac)
dev=
i=0
while [ -z "$dev" ] && [ $i -lt 300 ]; do
  for d in /sys/class/net/*; do
    if [ "$(cat "$d/address")" = "$mac" ]; then dev=\${d##*/}; fi
  done
  if [ -z "$dev" ]; then sleep 0.1; i=$((i+1)); fi
done
[ -n "$dev" ] || { echo "flotilla-seed: no interface with MAC $mac" >&2; exit 1; }
ip link set lo up
ip link set "$dev" up
ip addr replace "$(val address)" dev "$dev"
ip route replace default via "$(val gateway)" dev "$dev"
: > /etc/resolv.conf.part
for ns in $(val dns); do echo "nameserver $ns" >> /etc/resolv.conf.part; done
mv -f /etc/resolv.conf.part /etc/resolv.conf
resize2fs ${ROOT_DEVICE} >/dev/null 2>&1 || echo "flotilla-seed: could not grow ${ROOT_DEVICE}" >&2
echo "flotilla-seed: $name at $(val address) on $dev"
`;

export const SEED_UNIT_TEXT = `[Unit]
Description=Flotilla node configuration from the QEMU seed
After=local-fs.target systemd-udev-trigger.service systemd-modules-load.service
Before=ssh.service network.target network-online.target
Wants=network.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${SEED_SCRIPT}
StandardOutput=journal+console
StandardError=journal+console

[Install]
WantedBy=multi-user.target
`;

/** sshd's settings for a node: root by key only, the node's one ed25519 host key, room for the control plane's channels. */
export const SSHD_DROP_IN_TEXT = `# Flotilla node (QEMU image)
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
UseDNS no
MaxSessions 64
MaxStartups 64
ClientAliveInterval 15
ClientAliveCountMax 3
`;

export interface GuestFile { path: string; content: string; mode: number }

/**
 * Files in place before the packages are installed (mmdebstrap's setup hook): the initramfs gets
 * only what a direct boot on virtio needs (MODULES=list plus this hook) instead of Debian's
 * MODULES=most, which makes the image build minutes shorter and the initrd a fraction of the size.
 */
export function setupFiles(): GuestFile[] {
  const hook = `#!/bin/sh
# Flotilla: the modules a QEMU node needs to mount its root file system (virtio disk, ext4).
PREREQ=""
prereqs() { echo "$PREREQ"; }
case "$1" in prereqs) prereqs; exit 0 ;; esac
. /usr/share/initramfs-tools/hook-functions
for m in virtio_pci virtio_blk; do force_load "$m"; done
for m in ext4 crc32c_generic crc32c_intel; do manual_add_modules "$m"; done
`;
  return [
    { path: '/etc/initramfs-tools/conf.d/flotilla.conf', content: 'MODULES=list\n', mode: 0o644 },
    { path: '/etc/initramfs-tools/hooks/flotilla', content: hook, mode: 0o755 },
  ];
}

/** Every file the image build writes into the root file system (besides the Node.js binary). */
export function guestFiles(): GuestFile[] {
  return [
    { path: SEED_SCRIPT, content: SEED_SCRIPT_TEXT, mode: 0o755 },
    { path: `/etc/systemd/system/${SEED_UNIT}`, content: SEED_UNIT_TEXT, mode: 0o644 },
    { path: '/etc/ssh/sshd_config.d/flotilla.conf', content: SSHD_DROP_IN_TEXT, mode: 0o644 },
    { path: MODULES_LOAD_FILE, content: modulesLoadConf(), mode: 0o644 },
    { path: SYSCTL_FILE, content: sysctlConf(), mode: 0o644 },
    { path: '/etc/fstab', content: `${ROOT_DEVICE} / ext4 defaults,errors=remount-ro 0 1\n`, mode: 0o644 },
  ];
}
