// Bootstrap: one code path for every provider, over SSH (ssh2). Uploads the agent bundle and the
// image tarballs, writes containerd's config, the AgentConfig and (VMs) the host's name in /etc/hosts, starts containerd and the agent
// (systemd units on VMs, supervised processes on sandbox nodes). Every step is idempotent, so
// bootstrapping a half-bootstrapped node finishes it, and re-running on a healthy node changes nothing.
// A node whose architecture (uname -m) some image has no build for fails before anything is uploaded.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AgentConfig } from '../protocol/agent-config';
import { containerdConfig, SANDBOX_IMAGE } from '../protocol/containerd-config';
import type { MachineInfo } from './types';
import type { SshSession } from './ssh';
import type { SFTPWrapper } from 'ssh2';
import { AGENT_ENV, AGENT_NODE_FLAGS, NODE, NODE_CONTAINERD, SERVICE_CIDR } from './node-paths';
import { DEFAULT_CLUSTER_CIDR } from '../api/cluster-cidr';
import { isRunningCmd, startCmd, stopCmd, SUPERVISE_SCRIPT } from './node-services';
import { sha256File } from './artifacts';
import { checkImagesForArch } from './node-arch';
import { createHash } from 'node:crypto';
import { etcHostsCmd } from './etc-hosts';
import type { ServingCert } from '../protocol/kubelet-serving';

export interface BootstrapInput {
  machine: MachineInfo;
  /** Local path of the agent bundle (out/agent/agent.js). */
  agentBundle: string;
  imageTarballs: string[];
  /** The node's API token and the CA that signed the API server's certificate. */
  token: string;
  caCertPem: string;
  /** Token the control plane presents to the agent's server. */
  serverToken: string;
  /** The kubelet serving certificate (kubelet-serving.ts): the agent serves the kubelet's secure port with it. */
  serving?: ServingCert;
  labels?: Record<string, string>;
  /** Called at the start of each step: (step 1-based of BOOTSTRAP_STEPS, message). */
  progress: (step: number, message: string) => void;
  /** Whether to start the agent (false: stop after containerd, for provider-level tests). */
  startAgent?: boolean;
  /** The agent's Lease renewal period (default 10 s; shorter for a short node-monitor grace period). */
  leaseRenewSeconds?: number;
  /** false: the agent records no journey spans (`flotilla serve --tracing=false`). */
  tracing?: boolean;
  /** The cluster's pod network (default 10.244.0.0/16): the agent's routes and masquerade stay inside it. */
  clusterCIDR?: string;
  /** Work on the node going on beside the bootstrap (the registry files) that must be done before containerd starts. */
  beforeStart?: Promise<unknown>;
}

export const BOOTSTRAP_STEPS = 4;

const sq = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

export function agentConfigFor(input: BootstrapInput): AgentConfig {
  const m = input.machine;
  if (!m.internalIP) throw new Error(`machine ${m.name} has no internal IP`);
  return {
    nodeName: m.name,
    apiServer: `https://127.0.0.1:${NODE.apiPort}`,
    token: input.token,
    caCertPem: input.caCertPem,
    nodeIP: m.internalIP,
    listenAddress: `127.0.0.1:${NODE.agentPort}`,
    serverToken: input.serverToken,
    ...(input.serving ? { servingCertPem: input.serving.certPem, servingKeyPem: input.serving.keyPem } : {}),
    containerdSocket: NODE.containerdSocket,
    stateDir: NODE.agentStateDir,
    logDir: NODE.podLogDir,
    cniConfDir: NODE.cniConfDir,
    cniBinDir: NODE.cniBinDir,
    cniDataDir: NODE.cniDataDir,
    bridgeName: m.cniBridge,
    clusterCIDR: input.clusterCIDR ?? DEFAULT_CLUSTER_CIDR,
    serviceCIDR: SERVICE_CIDR,
    cgroupParent: m.cgroupParent,
    imageTarballs: input.imageTarballs.map((f) => `${NODE.imagesDir}/${path.basename(f)}`),
    nodeLabels: { 'flotilla.dev/provider': m.provider, ...input.labels },
    ...(m.hostAddress ? { hostAddress: m.hostAddress } : {}),
    ...(input.leaseRenewSeconds !== undefined ? { leaseRenewSeconds: input.leaseRenewSeconds } : {}),
    ...(input.tracing === false ? { tracing: false } : {}),
  };
}

export function parseHashes(out: string): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const line of out.split('\n')) {
    const m = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line.trim());
    if (m) hashes.set(m[2], m[1]);
  }
  return hashes;
}

export interface FileSpec { remote: string; local?: string; content?: string; mode?: string }

const part = (remote: string): string => `${remote}.part`;

/** Writes one file's new version next to it (remote.part) over the session's one SFTP channel. */
function putPart(sftp: SFTPWrapper, f: FileSpec): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error | null): void => (err ? reject(new Error(`uploading ${f.local ? path.basename(f.local) : f.remote}: ${err.message}`)) : resolve());
    if (f.local) { sftp.fastPut(f.local, part(f.remote), done); return; }
    // A stale .part would keep its old mode when truncated: remove it, then create it with the mode.
    sftp.unlink(part(f.remote), () => sftp.writeFile(part(f.remote), f.content ?? '', { mode: parseInt(f.mode ?? '0644', 8) }, done));
  });
}

/**
 * Makes the node's files match (uploading only what is missing or different; one round trip to
 * compare hashes happened before) and returns the remote paths that changed. However many files,
 * this uses one SFTP channel (uploads in parallel inside it) and then one exec to move them into
 * place: every exec or SFTP channel is an SSH session, and sshd allows only MaxSessions (10 on
 * Ubuntu, OpenSSH's default) open at once on a connection, which the tunnels share.
 */
export async function syncFiles(
  s: SshSession, have: Map<string, string>, files: FileSpec[], hostPath?: (nodePath: string) => string | undefined,
): Promise<Set<string>> {
  const todo = files.filter((f) => have.get(f.remote) !== (f.local ? sha256File(f.local) : sha(f.content ?? '')));
  if (!todo.length) return new Set();
  // A node whose directories are on this host (sandbox) gets its files copied there: no SFTP, no encryption.
  const remote: FileSpec[] = [];
  for (const f of todo) {
    const onHost = hostPath?.(part(f.remote));
    if (!onHost) { remote.push(f); continue; }
    fs.rmSync(onHost, { force: true });
    if (f.local) fs.copyFileSync(f.local, onHost);
    else fs.writeFileSync(onHost, f.content ?? '', { mode: parseInt(f.mode ?? '0644', 8) });
  }
  if (remote.length) {
    const sftp = await s.sftp();
    try {
      await Promise.all(remote.map((f) => putPart(sftp, f)));
    } finally {
      sftp.end();
    }
  }
  await s.run(todo.map((f) => `${f.local ? '' : `chmod ${f.mode ?? '0644'} ${sq(part(f.remote))} && `}mv -f ${sq(part(f.remote))} ${sq(f.remote)}`).join(' && '));
  return new Set(todo.map((f) => f.remote));
}

export async function bootstrapNode(s: SshSession, input: BootstrapInput): Promise<void> {
  const m = input.machine;
  const mgr = m.services;
  const env = `export PATH=${NODE.path};`;
  const withAgent = input.startAgent !== false;
  if (withAgent && !fs.existsSync(input.agentBundle)) throw new Error(`the agent bundle ${input.agentBundle} does not exist (build it with \`node scripts/build-agent.mjs\`)`);
  const uploads: FileSpec[] = [
    ...(withAgent ? [{ local: input.agentBundle, remote: NODE.agentBundle }] : []),
    ...input.imageTarballs.map((f) => ({ local: f, remote: `${NODE.imagesDir}/${path.basename(f)}` })),
  ];
  const configs: FileSpec[] = [
    ...(mgr === 'supervise' ? [{ remote: NODE.supervise, content: SUPERVISE_SCRIPT, mode: '0755' }] : []),
    { remote: NODE.containerdConfig, content: containerdConfig(NODE_CONTAINERD, { sandboxImage: SANDBOX_IMAGE, cniBinDir: NODE.cniBinDir }) },
    { remote: NODE.agentConfig, content: `${JSON.stringify(agentConfigFor(input), null, 2)}\n`, mode: '0600' },
  ];

  input.progress(1, 'preparing the node\'s directories');
  const dirs = [NODE.binDir, NODE.runDir, NODE.imagesDir, NODE.agentStateDir, NODE.etcDir, NODE.logDir, NODE.podLogDir, NODE.cniConfDir, NODE.cniDataDir, '/var/lib/containerd', '/run/containerd'];
  const prepared = await s.run(`${env} uname -m && mkdir -p ${dirs.join(' ')}`
    + (mgr === 'systemd' ? ' && { systemctl disable --now containerd.service >/dev/null 2>&1 || true; }' : '')
    + ` && { sha256sum ${[...uploads, ...configs].map((f) => sq(f.remote)).join(' ')} 2>/dev/null; true; }`);
  const have = parseHashes(prepared);
  input.progress(1, 'checking that the images have a build for the node\'s architecture');
  checkImagesForArch(m.name, prepared.split('\n')[0] ?? '', input.imageTarballs);

  // One sync for the uploads and the configuration (one exec moves them all into place): each exec is a round trip.
  input.progress(2, 'uploading the agent, the images and the containerd and agent configuration');
  const changed = await syncFiles(s, have, [...uploads, ...configs], m.hostPath);
  if (m.hostAddress) await s.run(etcHostsCmd(m.hostAddress));

  await input.beforeStart;
  input.progress(3, withAgent ? 'starting containerd and the agent' : 'starting containerd');
  const restartContainerd = changed.has(NODE.containerdConfig) ? `${stopCmd(mgr, 'containerd')}; ` : '';
  const launchContainerd = `${env} ${restartContainerd}${startCmd(mgr, { name: 'containerd', argv: ['containerd', '--config', NODE.containerdConfig] })}`;
  // ctr (a Go binary, some 30 ms of CPU a run, while containerd and the agent start) only once the socket is there.
  const answers = `end=$(($(date +%s) + 20)); until [ -S ${NODE.containerdSocket} ] && ctr --address ${NODE.containerdSocket} version >/dev/null 2>&1; do if [ $(date +%s) -gt $end ]; then echo "containerd did not answer within 20 s:" >&2; tail -n 5 ${NODE.logDir}/containerd.log >&2; exit 1; fi; sleep 0.05; done`;
  if (!withAgent) {
    await s.run(`${launchContainerd} && ${answers}`, { timeoutMs: 30_000 });
    return;
  }
  // The agent starts with containerd, in the same exec (it waits for the runtime itself): node's start and containerd's overlap.
  const restart = changed.has(NODE.agentBundle) || changed.has(NODE.agentConfig) ? `${stopCmd(mgr, 'agent')}; ` : '';
  const running = `end=$(($(date +%s) + 10)); until ${isRunningCmd(mgr, 'agent')}; do if [ $(date +%s) -gt $end ]; then echo "the agent's supervisor did not start" >&2; exit 1; fi; sleep 0.02; done`;
  await s.run(`${launchContainerd} && { ${restart}${startCmd(mgr, { name: 'agent', argv: [m.nodeBinary, ...AGENT_NODE_FLAGS, NODE.agentBundle, '--config', NODE.agentConfig], env: AGENT_ENV })} && ${running}; }`);
  input.progress(4, 'waiting for containerd to answer');
  await s.run(`${env} ${answers}`, { timeoutMs: 30_000 });
}

/** The last lines of the agent's log on the node, for failure messages. */
export async function agentLogTail(s: SshSession, lines = 5): Promise<string> {
  const r = await s.exec(`tail -n ${lines} ${NODE.logDir}/agent.log 2>/dev/null`);
  return r.stdout.trim();
}

/** How many times the agent has exited on the node (its supervisor logs each restart). */
export async function agentExits(s: SshSession): Promise<number> {
  const r = await s.exec(`grep -c 'agent exited with' ${NODE.logDir}/agent.log 2>/dev/null; true`);
  return Number(r.stdout.trim() || '0') || 0;
}
