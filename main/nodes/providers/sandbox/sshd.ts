// The sshd of a sandbox node: config, host key and authorised client key under the node's
// /etc/flotilla/ssh (a per-node directory bound there, so StrictModes is satisfied: no
// world-writable directory on the path as sshd sees it).
import * as fs from 'node:fs';
import * as path from 'node:path';

export const NODE_SSH_DIR = '/etc/flotilla/ssh';
export const NODE_SSHD_CONFIG = `${NODE_SSH_DIR}/sshd_config`;

export function sshdConfig(listenIP: string): string {
  return `# Flotilla sandbox node sshd (generated)
ListenAddress ${listenIP}:22
HostKey ${NODE_SSH_DIR}/ssh_host_ed25519_key
AuthorizedKeysFile ${NODE_SSH_DIR}/authorized_keys
PidFile /var/lib/flotilla/run/sshd.pid
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes yes
AllowTcpForwarding yes
GatewayPorts clientspecified
AllowStreamLocalForwarding yes
UseDNS no
PrintMotd no
PrintLastLog no
MaxSessions 64
MaxStartups 64
ClientAliveInterval 15
ClientAliveCountMax 3
Subsystem sftp internal-sftp
`;
}

/** Writes the node's sshd files into the host directory bound over /etc/flotilla. */
export function writeSshdFiles(etcFlotillaHostDir: string, listenIP: string, hostPrivateKey: string, clientPublicKey: string): void {
  const dir = path.join(etcFlotillaHostDir, 'ssh');
  fs.mkdirSync(etcFlotillaHostDir, { recursive: true, mode: 0o755 });
  fs.chmodSync(etcFlotillaHostDir, 0o755);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  fs.writeFileSync(path.join(dir, 'ssh_host_ed25519_key'), hostPrivateKey, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'authorized_keys'), `${clientPublicKey}\n`, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'sshd_config'), sshdConfig(listenIP), { mode: 0o600 });
}
