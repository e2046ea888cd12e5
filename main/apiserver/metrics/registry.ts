// The control plane's Prometheus metrics, one registry per core, served at the API server's
// /metrics (as kube-apiserver serves its own; here the scheduler's, the controllers' queues and
// the store's are in the same process, so on the same page) in Prometheus' text format.
import { Registry } from 'prom-client';
import type { RequestMetrics } from './requests';
import { requestMetrics } from './requests';
import { processCollectors } from './process';
import type { FlowControlMetrics } from './flowcontrol';
import { flowControlMetrics } from './flowcontrol';

export interface ControlPlaneMetrics {
  registry: Registry;
  requests: RequestMetrics;
  /** API Priority and Fairness (flowcontrol/filter.ts). */
  flowControl: FlowControlMetrics;
}

export function createControlPlaneMetrics(): ControlPlaneMetrics {
  const registry = new Registry();
  processCollectors(registry);
  return { registry, requests: requestMetrics(registry), flowControl: flowControlMetrics(registry) };
}
