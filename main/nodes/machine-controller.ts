// The machine controller: drives the providers from Machine objects. Pending → Provisioning →
// Bootstrapping → Running (or Failed, with the reason in plain words and the half-made machine
// cleaned up). A provisioning that fails for a transient reason (a timeout under load) is retried
// with backoff — each attempt in status.attempts, the status message and a Warning event — before it
// ends Failed; permanent errors fail at once. spec.running false/true stops and starts; deletion (finalizer flotilla.dev/machine)
// drains the node, deletes the Node, destroys the machine, then lets the object go. After a
// control-plane restart, Running machines are re-attached (tunnels reopened, bootstrap re-checked)
// without touching their pods. Runs on the client library's reconciler: machines by name through a
// rate-limited work queue (an error retries the machine with per-machine exponential backoff).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { KObject, Machine, MachineAttempt, MachineProvider } from '../api/types';
import type { ApiClient } from '../client/types';
import { isNotFound } from '../client/types';
import type { MachineInfo, Provider } from './types';
import { MACHINE_FINALIZER, FIELD_MANAGER } from './resources';
import { R } from '../client/refs';
import { MachineStatusWriter } from './machine-status';
import { NodeConnection } from './tunnels';
import { agentExits, agentLogTail, bootstrapNode, BOOTSTRAP_STEPS, type FileSpec } from './bootstrap';
import { kubeletServingCert } from './kubelet-serving';
import type { ServingSigner } from '../protocol/kubelet-serving';
import { syncRegistryFiles } from './registry/sync';
import { deleteNodeObject, drainNode, forgetPodsOf } from './drain';
import { errorMessage } from './exec';
import { isTransient, PermanentError, ReasonedError, TransientError } from './provision-errors';
import { EventRecorder } from '../client/record/recorder';
import { SharedInformers } from '../client/cache/shared-informers';
import { newReconciler, startController } from '../client/reconciler';
import type { ReconcileResult, ReconcilerBuilder } from '../client/reconciler';

export interface MachineControllerOptions {
  client: ApiClient;
  dataDir: string;
  providers: Map<MachineProvider, Provider>;
  apiPort: number;
  caCertPem: string;
  /** false: agents record no journey spans. */
  tracing?: boolean;
  nodeToken(name: string): string;
  /** Signs a node's kubelet serving certificate (the cluster CA); without it agents serve no secure port. */
  kubeletServing?: ServingSigner;
  agentBundle: () => string;
  imageTarballs: () => Promise<string[]>;
  /** How long a node may take from agent start to Ready, ms (default: 60 s sandbox, 300 s VMs). */
  readyTimeoutMs?: number;
  /** The agents' Lease renewal period (default: the agent's 10 s). */
  leaseRenewSeconds?: number;
  /** The cluster's pod network, for the agents (default 10.244.0.0/16). */
  clusterCIDR?: string;
  drainTimeoutMs?: number;
  /** Attempts at provisioning a machine before it ends Failed on transient errors (default 4). */
  maxAttempts?: number;
  /** Wait before the second attempt, doubling for each further one (default 2 s: 2, 4, 8 s). */
  retryBackoffMs?: number;
  log?: (line: string) => void;
  /** The registry files (containerd's certs.d, credentials) the machine should have; written before bootstrap and by syncRegistries(). */
  registryFiles?: (machine: MachineInfo) => Promise<FileSpec[]>;
}

export const DEFAULT_MAX_ATTEMPTS = 4;

/** Overall steps: 1 machine, 2 SSH, 3–7 bootstrap, 8 Ready. */
export const MACHINE_STEPS = 2 + BOOTSTRAP_STEPS + 1;

type Mode = 'create' | 'start' | 'reattach';

/** A machine whose re-attach failed is tried again after this long. */
const REATTACH_RETRY_MS = 5000;
/** Machines provisioned at once (each waits minutes on its VM and agent). */
const WORKERS = 16;

export class MachineController {
  private readonly conns = new Map<string, NodeConnection>();
  /** The machines bootstrapped over their connection, for syncRegistries(). */
  private readonly attached = new Map<string, MachineInfo>();
  /** Machines waiting out a backoff before their next provisioning attempt: not before this time. */
  private readonly backoffUntil = new Map<string, number>();
  private readonly events: EventRecorder;
  private readonly informers: SharedInformers;
  private readonly reconciler: ReconcilerBuilder;
  private stopController?: () => void;

  constructor(private readonly o: MachineControllerOptions) {
    this.events = new EventRecorder(o.client, { component: 'machine-controller' });
    const log = (l: string): void => this.log(l);
    this.informers = new SharedInformers(o.client, log);
    this.reconciler = newReconciler({ informers: this.informers, log }, 'machine', { workers: WORKERS, queue: { baseDelayMs: 1000, maxDelayMs: 60_000 } });
  }

  private log(line: string): void {
    this.o.log?.(`machines: ${line}`);
  }

  start(): () => void {
    this.stopController = startController(this.reconciler.for('machines').complete((name) => this.reconcile(name)), this.informers);
    return () => this.stop();
  }

  stop(): void {
    this.stopController?.();
    for (const c of this.conns.values()) c.close();
    this.conns.clear();
    this.events.stop();
  }

  /** Waits for every queued reconcile to finish (tests, shutdown); retries waiting out a delay do not count. */
  async idle(): Promise<void> {
    await this.reconciler.queue.drained();
    await this.events.flush();
  }

  /** Writes the registry files to every attached machine (registries.yaml changed); failures are logged and returned. */
  async syncRegistries(): Promise<Array<{ node: string; error: string }>> {
    const files = this.o.registryFiles;
    if (!files) return [];
    const failures: Array<{ node: string; error: string }> = [];
    await Promise.all([...this.attached].map(async ([name, info]) => {
      const conn = this.conns.get(name);
      if (!conn) return;
      try {
        const changed = await syncRegistryFiles(await conn.ready(), await files(info));
        if (changed.length) this.log(`${name}: registry settings applied (${changed.length} file${changed.length === 1 ? '' : 's'} changed)`);
      } catch (e) {
        failures.push({ node: name, error: errorMessage(e) });
        this.log(`${name}: applying the registry settings failed: ${errorMessage(e)}`);
      }
    }));
    return failures;
  }

  /**
   * Connects to a running machine afresh and runs its bootstrap again (the one-click failures' heal): the provider boots it
   * if it is down, containerd and the agent are started if they are not running, then the node must be Ready.
   */
  reattach(name: string): void {
    this.conns.get(name)?.close();
    this.conns.delete(name);
    this.reconciler.queue.add(name);
  }

  connection(node: string): NodeConnection | undefined {
    return this.conns.get(node);
  }

  /** The token the control plane presents to the node's agent server (D/machines/<name>/server-token). */
  serverToken(name: string): string {
    const file = path.join(this.o.dataDir, 'machines', name, 'server-token');
    try {
      return fs.readFileSync(file, 'utf8').trim();
    } catch {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      const t = randomBytes(24).toString('hex');
      fs.writeFileSync(file, t, { mode: 0o600 });
      return t;
    }
  }

  private async reconcile(name: string): Promise<ReconcileResult | undefined> {
    let m: Machine & KObject;
    try {
      m = await this.o.client.get<Machine & KObject>(R.machines, name);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.conns.get(name)?.close();
      this.conns.delete(name);
      this.attached.delete(name);
      this.backoffUntil.delete(name);
      return;
    }
    if (m.metadata?.deletionTimestamp) {
      if ((m.metadata.finalizers ?? []).includes(MACHINE_FINALIZER)) await this.remove(m);
      return;
    }
    if (!(m.metadata?.finalizers ?? []).includes(MACHINE_FINALIZER)) {
      await this.o.client.patch(R.machines, name, { metadata: { finalizers: [...(m.metadata?.finalizers ?? []), MACHINE_FINALIZER], resourceVersion: m.metadata?.resourceVersion } }, 'merge', { fieldManager: FIELD_MANAGER });
      return; // the update comes back as a watch event
    }
    const w = new MachineStatusWriter(this.o.client, name, m.status);
    const provider = this.o.providers.get(m.spec?.provider ?? 'sandbox');
    const phase = m.status?.phase;
    if (!provider) {
      if (phase !== 'Failed') await w.phaseTo('Failed', `unknown provider "${m.spec?.provider ?? ''}"`);
      return;
    }
    if (phase === 'Failed') return;
    if (m.spec?.running === false) {
      if (phase !== 'Stopped') await this.stopMachine(m, provider, w);
      return;
    }
    if (phase === 'Running' && this.conns.has(name)) return;
    const mode: Mode = phase === 'Running' ? 'reattach' : phase === 'Stopped' ? 'start' : 'create';
    const wait = (this.backoffUntil.get(name) ?? 0) - Date.now();
    if (mode === 'create' && wait > 0) return { requeueAfter: wait }; // a change during the backoff does not cut it short
    this.backoffUntil.delete(name);
    return this.bringUp(m, provider, w, mode);
  }

  private async bringUp(m: Machine & KObject, provider: Provider, w: MachineStatusWriter, mode: Mode): Promise<ReconcileResult | undefined> {
    const name = m.metadata?.name ?? '';
    const T = MACHINE_STEPS;
    const max = this.o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const earlier = mode === 'create' ? (m.status?.attempts ?? []) : [];
    const attempt = earlier.length + 1;
    const ofAttempts = attempt > 1 ? ` (attempt ${attempt} of ${max})` : '';
    let step = 'checking the provider';
    let touched = false;
    const say = async (n: number, msg: string): Promise<void> => {
      step = msg;
      if (mode !== 'reattach') await w.progress(n, T, `${msg}${ofAttempts}`);
    };
    try {
      const avail = await provider.available();
      if (!avail.ok) throw new PermanentError(`${provider.name} is not available here: ${avail.reason}`);
      step = 'checking the agent bundle';
      const bundle = this.o.agentBundle();
      if (!fs.existsSync(bundle)) throw new PermanentError(`the agent bundle ${bundle} does not exist (build it with \`node scripts/build-agent.mjs\`)`);
      step = 'building the node images';
      const images = await this.imageTarballs();
      const last = earlier.at(-1);
      if (mode !== 'reattach') {
        await w.phaseTo('Provisioning', last ? `attempt ${attempt} of ${max} after: ${last.message}` : `creating ${provider.name} machine ${name}`);
      }
      await say(1, mode === 'create' ? `creating ${provider.name} machine` : `starting ${provider.name} machine`);
      touched = true;
      const size = { name, cpus: m.spec?.cpus ?? 2, memoryMiB: m.spec?.memoryMiB ?? 2048, diskGiB: m.spec?.diskGiB ?? 10 };
      const info: MachineInfo = mode === 'create'
        ? await provider.create(size, (msg) => void say(1, msg))
        : await provider.start(name, (msg) => void say(1, msg));
      if (!info.ssh) throw new PermanentError(`${provider.name} gave no SSH endpoint for ${name}`);
      const addresses = [
        ...(info.internalIP ? [{ type: 'InternalIP' as const, address: info.internalIP }] : []),
        { type: 'Hostname' as const, address: name },
        { type: 'SSH' as const, address: `${info.ssh.user}@${info.ssh.host}:${info.ssh.port}` },
      ];
      this.conns.get(name)?.close();
      const firstEndpoint = info.ssh;
      let first = true;
      const conn = new NodeConnection({
        name, apiPort: this.o.apiPort, log: this.o.log,
        endpoint: async () => {
          if (first) { first = false; return firstEndpoint; }
          // Reconnecting never boots anything: the endpoint as the provider sees it now (a VM's port may change).
          const again = (await provider.list()).find((x) => x.name === name);
          if (!again?.ssh) throw new Error(`machine ${name} is ${again?.state ?? 'gone'}`);
          return again.ssh;
        },
      });
      this.conns.set(name, conn);
      // The connection is made while the status says so (each status write is a round trip to the store).
      const connecting = conn.session();
      connecting.catch(() => undefined); // awaited below
      if (mode !== 'reattach') await w.phaseTo('Bootstrapping', `bootstrapping node ${name}`, { addresses, nodeName: name });
      await w.condition('Provisioned', 'True', 'MachineUp', `${provider.name} machine is up${info.message ? ` (${info.message})` : ''}`);
      await say(2, 'connecting over SSH');
      const s = await connecting;
      if (!firstEndpoint.hostKey && s.hostKey) provider.rememberHostKey?.(name, s.hostKey);
      // Side by side on the connection (each exec is a round trip): the registry files go while the bootstrap
      // prepares and uploads, and are in before containerd and the agent start; the agent's exits so far before that.
      const registryFiles = this.o.registryFiles;
      const registry = registryFiles ? registryFiles(info).then((files) => syncRegistryFiles(s, files)) : Promise.resolve([]);
      registry.catch(() => undefined); // awaited by the bootstrap
      const exitsBefore = await agentExits(s);
      this.attached.set(name, info);
      const serving = this.o.kubeletServing && info.internalIP
        ? await kubeletServingCert(path.join(this.o.dataDir, 'machines', name), { node: name, ips: [info.internalIP], dns: [name] }, this.o.caCertPem, this.o.kubeletServing)
        : undefined;
      await bootstrapNode(s, {
        machine: info, agentBundle: this.o.agentBundle(), imageTarballs: images, serving,
        token: this.o.nodeToken(name), caCertPem: this.o.caCertPem, serverToken: this.serverToken(name),
        labels: { 'flotilla.dev/machine': name }, leaseRenewSeconds: this.o.leaseRenewSeconds, tracing: this.o.tracing, clusterCIDR: this.o.clusterCIDR,
        progress: (n, msg) => void say(2 + n, msg), beforeStart: registry,
      });
      await w.condition('Bootstrapped', 'True', 'AgentStarted', 'containerd and the agent are running');
      await say(T, 'waiting for the node to be Ready');
      await this.waitReady(name, conn, exitsBefore, info);
      await w.condition('NodeReady', 'True', 'NodeReady', `node ${name} is Ready`);
      if (m.status?.conditions?.some((c) => c.type === 'Reachable' && c.status === 'False')) await w.condition('Reachable', 'True', 'Reattached', 'connected over SSH again');
      await w.phaseTo('Running', `node ${name} is Ready`, { nodeName: name, addresses, ...(mode !== 'reattach' ? { progress: { step: T, total: T, message: 'ready' } } : {}) });
    } catch (e) {
      const reason = `${step}: ${errorMessage(e)}`;
      this.conns.get(name)?.close();
      this.conns.delete(name);
      this.attached.delete(name);
      if (mode === 'reattach') {
        // Never destroy a machine that was running: its pods may still be serving. Try again later.
        this.log(`${name}: re-attaching failed (${reason}); retrying`);
        await w.condition('Reachable', 'False', 'ReattachFailed', reason);
        return { requeueAfter: REATTACH_RETRY_MS };
      }
      let cleanup = '';
      if (mode === 'create' && touched) {
        try {
          await provider.delete(name);
          await deleteNodeObject(this.o.client, name);
          cleanup = '; the half-made machine was removed';
        } catch (ce) {
          cleanup = `; cleaning up also failed: ${errorMessage(ce)}`;
        }
      }
      const attempts: MachineAttempt[] | undefined = mode === 'create'
        ? [...earlier, { attempt, time: new Date().toISOString(), message: `${reason}${cleanup}` }]
        : undefined;
      if (mode === 'create' && isTransient(e) && attempt < max && !cleanup.startsWith('; cleaning up also failed')) {
        const waitMs = (this.o.retryBackoffMs ?? 2000) * 2 ** (attempt - 1);
        const retry = `attempt ${attempt} of ${max} failed, retrying in ${formatSeconds(waitMs)}: ${reason}${cleanup}`;
        this.log(`${name}: ${retry}`);
        this.backoffUntil.set(name, Date.now() + waitMs);
        await w.write({ phase: 'Provisioning', message: retry, attempts, progress: null });
        await w.condition('Provisioned', 'False', 'ProvisioningRetry', retry);
        this.events.event(m, 'Warning', 'ProvisioningFailed', retry);
        return { requeueAfter: waitMs };
      }
      const gaveUp = attempt > 1 ? ` (gave up after ${attempt} attempts)` : '';
      this.log(`${name}: failed: ${reason}${cleanup}${gaveUp}`);
      await w.phaseTo('Failed', `${reason}${cleanup}${gaveUp}`, attempts ? { attempts } : {});
      const why = e instanceof ReasonedError ? e.reason : undefined;
      await w.condition('Ready', 'False', why ?? 'Failed', reason);
      this.events.event(m, 'Warning', why ?? 'ProvisioningFailed', attempt > 1 ? `attempt ${attempt} of ${max} failed, giving up: ${reason}${cleanup}` : `${reason}${cleanup}`);
    }
  }

  /** The image tarballs, with a failure to build them (a missing compiler or busybox) said as that. */
  private async imageTarballs(): Promise<string[]> {
    try {
      return await this.o.imageTarballs();
    } catch (e) {
      throw new ReasonedError('ImageBuildFailed', errorMessage(e));
    }
  }

  private async waitReady(name: string, conn: NodeConnection, exitsBefore: number, info: MachineInfo): Promise<void> {
    const timeout = this.o.readyTimeoutMs ?? (info.provider === 'sandbox' ? 60_000 : 300_000);
    const deadline = Date.now() + timeout;
    let nextCheck = Date.now() + 1000;
    for (;;) {
      try {
        const node = await this.o.client.get<KObject>(R.nodes, name);
        const conds = ((node.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions) ?? [];
        if (conds.some((c) => c.type === 'Ready' && c.status === 'True')) return;
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      if (Date.now() > nextCheck) {
        nextCheck = Date.now() + 1000;
        const s = await conn.ready();
        if ((await agentExits(s)) - exitsBefore >= 2) {
          throw new PermanentError(`the agent keeps exiting on the node; its log ends with:\n${await agentLogTail(s)}`);
        }
      }
      if (Date.now() > deadline) {
        const s = await conn.ready().catch(() => undefined);
        const tail = s ? await agentLogTail(s).catch(() => '') : '';
        throw new TransientError(`the node did not become Ready within ${Math.round(timeout / 1000)} s${tail ? `; the agent's log ends with:\n${tail}` : ''}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async stopMachine(m: Machine & KObject, provider: Provider, w: MachineStatusWriter): Promise<void> {
    const name = m.metadata?.name ?? '';
    await w.write({ message: `stopping machine ${name}` });
    this.conns.get(name)?.close();
    this.conns.delete(name);
    this.attached.delete(name);
    await provider.stop(name);
    await w.phaseTo('Stopped', `machine ${name} is stopped`);
  }

  private async remove(m: Machine & KObject): Promise<void> {
    const name = m.metadata?.name ?? '';
    const w = new MachineStatusWriter(this.o.client, name, m.status);
    const provider = this.o.providers.get(m.spec?.provider ?? 'sandbox');
    await w.phaseTo('Deleting', `draining node ${name}`);
    const connected = this.conns.has(name);
    await drainNode(this.o.client, name, {
      timeoutMs: connected ? (this.o.drainTimeoutMs ?? 30_000) : 0, log: (l) => this.log(l),
      onWait: (waiting) => { void w.write({ message: `draining node ${name}: waiting on a disruption budget: ${waiting.join('; ')}` }).catch(() => undefined); },
    });
    await w.write({ message: `deleting node ${name}` });
    await deleteNodeObject(this.o.client, name);
    await forgetPodsOf(this.o.client, name);
    this.conns.get(name)?.close();
    this.conns.delete(name);
    this.attached.delete(name);
    if (provider) {
      const avail = await provider.available();
      if (!avail.ok) {
        // Nothing can be destroyed through a provider that cannot run here; do not keep the object forever.
        this.log(`${name}: cannot destroy the ${provider.name} machine (${avail.reason}); letting the object go`);
      } else {
        await w.write({ message: `destroying ${provider.name} machine ${name}` });
        try {
          await provider.delete(name);
        } catch (e) {
          await w.write({ message: `destroying ${provider.name} machine ${name} failed (retrying): ${errorMessage(e)}` });
          throw e;
        }
      }
    }
    fs.rmSync(path.join(this.o.dataDir, 'machines', name), { recursive: true, force: true });
    const fresh = await this.o.client.get<Machine & KObject>(R.machines, name).catch(() => undefined);
    if (!fresh) return;
    const finalizers = (fresh.metadata?.finalizers ?? []).filter((f) => f !== MACHINE_FINALIZER);
    await this.o.client.patch(R.machines, name, { metadata: { finalizers, resourceVersion: fresh.metadata?.resourceVersion } }, 'merge', { fieldManager: FIELD_MANAGER });
  }
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
