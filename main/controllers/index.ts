// Starts the control loops on a core: shared informers, one work queue per controller.
// startControlLoops returns a disposer and registers itself with core.own(). The scheduler is
// started separately (main/core.ts), on the same shared informers.
import { newCrdEstablishingController } from './crd-establishing';
import { newCrdFinalizerController } from './crd-finalizer';
import type { ApiClient } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import { newDeploymentController } from './deployment';
import { EventRecorder } from '../client/record/recorder';
import { SharedInformers } from '../client/cache/shared-informers';
import { newReplicaSetController } from './replicaset';
import { newReplicationControllerController } from './replication-controller';
import { newEndpointsController } from './endpoints';
import { newEndpointSliceController } from './endpointslices';
import { newNodeLifecycleController } from './node-lifecycle';
import { newTaintEvictionController } from './taint-eviction';
import { newPodGCController } from './pod-gc';
import { newNodeIpamController } from './node-ipam';
import { newGarbageCollector } from './garbage-collector';
import { newNamespaceController } from './namespace';
import { newDaemonSetController } from './daemonset';
import { newStatefulSetController } from './statefulset';
import { newServiceAccountsController } from './serviceaccounts';
import { newRootCaPublisher } from './root-ca-publisher';
import { newKubernetesServiceController } from './kubernetes-service';
import { newClusterRoleAggregationController } from './clusterrole-aggregation';
import { newKubeDnsBootstrap } from './kube-dns';
import { newPersistentVolumeBinder, newPersistentVolumeReclaimer } from './persistentvolume';
import { newPvcProtectionController, newPvProtectionController } from './storage-protection';
import { newEphemeralVolumeController } from './ephemeral-volume';
import { newDefaultStorageClassBootstrap } from './default-storage-class';
import { newDisruptionController } from './disruption';
import { newHpaController } from './hpa';
import { newJobController } from './job';
import { newCronJobController } from './cronjob';
import { newTTLAfterFinishedController } from './ttl-after-finished';
import { newResourceQuotaController } from './resource-quota';
import { newServiceLoadBalancerController } from './service-lb';
import type { LoadBalancerMode } from '../api/load-balancer';
import { newIngressClassBootstrap } from './ingress-class';
import type { CsrSigner } from './csr-signing';
import { newCsrSigningController } from './csr-signing';
import type { QueueMetricsProvider } from '../protocol/queue-metrics';
import type { LegacyTokenSigner } from './serviceaccount-token';
import { newServiceAccountTokenController } from './serviceaccount-token';
import { newAPIServiceRegistrationController } from './apiservice-registration';
import type { DiscoveryCheck } from './apiservice-available';
import { newAPIServiceAvailabilityController } from './apiservice-available';
import type { AuthenticationTrust } from './authentication-trust';
import { newAuthenticationTrustController } from './authentication-trust';

export interface ControlLoopOptions {
  /** Which loops to run (default: all). */
  controllers?: string[];
  /** Node lifecycle: how long a node's Lease may go unrenewed (default 40 s). */
  nodeMonitorGracePeriodSeconds?: number;
  /** How often node health is checked (ms); default min(5 s, grace / 8). */
  nodeMonitorPeriodMs?: number;
  log?: (line: string) => void;
  /** How often each HorizontalPodAutoscaler is synced (ms; default 15 s). */
  hpaSyncPeriodMs?: number;
  /** The cluster CA (PEM) the root-CA publisher puts in every namespace; without it that loop does not run. */
  rootCaPem?: string;
  /** Disruption: how long a DisruptionTarget=True condition may stay on a pod not deleted (ms; default 2 min). */
  stalePodDisruptionTimeoutMs?: number;
  /** Signs the long-lived tokens of `kubernetes.io/service-account-token` Secrets; without it (or rootCaPem) the serviceaccount-token loop does not run. */
  legacyTokenSigner?: LegacyTokenSigner;
  /** Signs approved CertificateSigningRequests with the cluster CA; without it the csrsigning loop does not run. */
  signCertificate?: CsrSigner;
  /** 'localhost': LoadBalancer Services are served by the core's localhost load balancer, so service-lb does not run. */
  loadBalancer?: LoadBalancerMode;
  /** The clock of the time-driven batch loops (job, cronjob, ttl-after-finished), ms since the epoch; tests pass a controllable one. */
  now?: () => number;
  /** Where the controllers' work queues report (the control plane's /metrics). */
  queueMetrics?: QueueMetricsProvider;
  /** Node IPAM: the pods' network nodes get their /24s of (--cluster-cidr; default 10.244.0.0/16). */
  clusterCIDR?: string;
  /** The aggregator's discovery call to an APIService's server; without it the apiservice-availability loop does not run. */
  checkAPIServiceDiscovery?: DiscoveryCheck;
  /** The CAs aggregated API servers trust (extension-apiserver-authentication); without them that loop does not run. */
  authenticationTrust?: AuthenticationTrust;
}

export interface CoreLike {
  client: ApiClient;
  own(c: { name: string; stop(): Promise<void> | void }): void;
}

export type ControllerFactory = (ctx: ControllerContext, opts: ControlLoopOptions) => Controller;

const FACTORIES: Record<string, ControllerFactory> = {
  deployment: (ctx) => newDeploymentController(ctx),
  replicaset: (ctx) => newReplicaSetController(ctx),
  replicationcontroller: (ctx) => newReplicationControllerController(ctx),
  daemonset: (ctx) => newDaemonSetController(ctx),
  statefulset: (ctx) => newStatefulSetController(ctx),
  endpoints: (ctx) => newEndpointsController(ctx),
  endpointslice: (ctx) => newEndpointSliceController(ctx),
  'node-lifecycle': (ctx, o) => newNodeLifecycleController(ctx, { gracePeriodSeconds: o.nodeMonitorGracePeriodSeconds, monitorPeriodMs: o.nodeMonitorPeriodMs }),
  'taint-eviction': (ctx) => newTaintEvictionController(ctx),
  'pod-gc': (ctx) => newPodGCController(ctx),
  'node-ipam': (ctx, o) => newNodeIpamController(ctx, o.clusterCIDR),
  'garbage-collector': (ctx) => newGarbageCollector(ctx),
  namespace: (ctx) => newNamespaceController(ctx),
  serviceaccount: (ctx) => newServiceAccountsController(ctx),
  'root-ca-cert-publisher': (ctx, o) => newRootCaPublisher(ctx, o.rootCaPem ?? ''),
  'serviceaccount-token': (ctx, o) => newServiceAccountTokenController(ctx, o.legacyTokenSigner!, o.rootCaPem ?? ''),
  'kubernetes-service': (ctx) => newKubernetesServiceController(ctx),
  'clusterrole-aggregation': (ctx) => newClusterRoleAggregationController(ctx),
  'kube-dns': (ctx) => newKubeDnsBootstrap(ctx),
  'persistentvolume-binder': (ctx) => newPersistentVolumeBinder(ctx),
  'persistentvolume-reclaimer': (ctx) => newPersistentVolumeReclaimer(ctx),
  'pvc-protection': (ctx) => newPvcProtectionController(ctx),
  'pv-protection': (ctx) => newPvProtectionController(ctx),
  'ephemeral-volume': (ctx) => newEphemeralVolumeController(ctx),
  'default-storage-class': (ctx) => newDefaultStorageClassBootstrap(ctx),
  disruption: (ctx, o) => newDisruptionController(ctx, { timeoutMs: o.stalePodDisruptionTimeoutMs }),
  'horizontal-pod-autoscaler': (ctx, o) => newHpaController(ctx, o.hpaSyncPeriodMs),
  job: (ctx, o) => newJobController(ctx, { now: o.now }),
  cronjob: (ctx, o) => newCronJobController(ctx, { now: o.now }),
  'crd-establishing': (ctx) => newCrdEstablishingController(ctx),
  'crd-finalizer': (ctx) => newCrdFinalizerController(ctx),
  'ttl-after-finished': (ctx, o) => newTTLAfterFinishedController(ctx, { now: o.now }),
  resourcequota: (ctx) => newResourceQuotaController(ctx),
  'service-lb': (ctx) => newServiceLoadBalancerController(ctx),
  'ingress-class': (ctx) => newIngressClassBootstrap(ctx),
  csrsigning: (ctx, o) => newCsrSigningController(ctx, o.signCertificate!),
  'apiservice-registration': (ctx) => newAPIServiceRegistrationController(ctx),
  'apiservice-availability': (ctx, o) => newAPIServiceAvailabilityController(ctx, o.checkAPIServiceDiscovery!),
  'cluster-authentication-trust': (ctx, o) => newAuthenticationTrustController(ctx, o.authenticationTrust!),
};

export function registerController(name: string, f: ControllerFactory): void {
  FACTORIES[name] = f;
}

export interface ControlLoops {
  informers: SharedInformers;
  stop(): void;
}

/** Starts the loops on `informers` (made here unless given, to share them with the scheduler) and starts the informers. */
export function startControlLoops(core: CoreLike, opts: ControlLoopOptions = {}, shared?: SharedInformers): ControlLoops {
  const log = opts.log ?? ((l: string) => console.error(l));
  const informers = shared ?? new SharedInformers(core.client, log);
  const recorders = new Map<string, EventRecorder>();
  const ctx: ControllerContext = {
    client: core.client, informers, log, queueMetrics: opts.queueMetrics,
    recorder: (component) => {
      let r = recorders.get(component);
      if (!r) recorders.set(component, (r = new EventRecorder(core.client, { component })));
      return r;
    },
  };
  const names = (opts.controllers ?? Object.keys(FACTORIES))
    .filter((n) => (n !== 'root-ca-cert-publisher' || opts.rootCaPem) && (n !== 'csrsigning' || opts.signCertificate)
      && (n !== 'apiservice-availability' || opts.checkAPIServiceDiscovery) && (n !== 'cluster-authentication-trust' || opts.authenticationTrust)
      && (n !== 'serviceaccount-token' || (opts.legacyTokenSigner && opts.rootCaPem))
      && (n !== 'service-lb' || opts.loadBalancer !== 'localhost'));
  const controllers = names.filter((n) => FACTORIES[n]).map((n) => FACTORIES[n](ctx, opts));
  const disposers: Array<() => void> = controllers.map((c) => c.register());
  disposers.push(informers.start());
  let stopped = false;
  void informers.waitForSync().then(() => {
    if (!stopped) for (const c of controllers) disposers.push(c.run());
  });
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const d of disposers.reverse()) d();
    for (const r of recorders.values()) r.stop();
  };
  core.own({ name: 'control-loops', stop });
  return { informers, stop };
}
