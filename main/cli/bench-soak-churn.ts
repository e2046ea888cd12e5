// The soak's churn: a paced stream of API calls over HTTPS, as a busy cluster's users and controllers make them —
// Deployments of hollow pods scaled up and down, bare pods created and deleted, ConfigMaps updated, and reads (a GET,
// a paged LIST of pods) between them. Every call's latency is recorded as a write or a read with its end time, so
// the sampler can cut them into windows. Failed calls are counted (and the first few kept), not retried.
import type { ConfigMap, Deployment, KObject, Pod } from '../api/types';
import type { HttpClient } from '../client/http';
import { isConflict, isNotFound } from '../client/types';
import { R } from '../client/refs';
import { nowMs } from './bench-report';

export const SOAK_NAMESPACE = 'soak';
const DEPLOYMENTS = 10;
const MAX_REPLICAS = 12;
const CONFIGMAPS = 50;
/** Bare pods alive at once: the oldest is deleted when a new one is made beyond this. */
const BARE_PODS = 60;

export interface Call {
  /** End time (ms, nowMs clock). */
  at: number;
  ms: number;
  write: boolean;
}

export interface Churn {
  /** Calls finished since the last drain (the sampler takes them). */
  drain(): Call[];
  readonly failures: number;
  readonly firstFailures: string[];
  stop(): Promise<void>;
}

function deployment(i: number): Deployment {
  const labels = { app: `soak-${i}` };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `soak-${i}`, namespace: SOAK_NAMESPACE },
    spec: {
      replicas: 0, selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] } },
    },
  };
}

function configMap(i: number, round: number): ConfigMap {
  return {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `soak-${i}`, namespace: SOAK_NAMESPACE },
    data: { round: String(round), payload: 'x'.repeat(512 + (round % 7) * 64) },
  };
}

function barePod(n: number): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: `bare-${n}`, namespace: SOAK_NAMESPACE, labels: { soak: 'bare' } },
    spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] },
  };
}

/** Creates the namespace, the Deployments (at 0) and the ConfigMaps the churn works on. */
export async function prepareChurn(c: HttpClient): Promise<void> {
  await c.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SOAK_NAMESPACE } });
  for (let i = 0; i < DEPLOYMENTS; i++) await c.create(R.deployments, deployment(i), { namespace: SOAK_NAMESPACE });
  for (let i = 0; i < CONFIGMAPS; i++) await c.create(R.configmaps, configMap(i, 0), { namespace: SOAK_NAMESPACE });
}

/**
 * Starts `rate` calls a second (each started on its tick whether or not the previous ones finished, up to
 * `maxInFlight`): a rotation of ConfigMap updates, GETs, pod creates and deletes, LISTs and Deployment scales.
 */
export function startChurn(c: HttpClient, rate: number, maxInFlight = 32): Churn {
  let calls: Call[] = [];
  let failures = 0;
  const firstFailures: string[] = [];
  let inFlight = 0;
  let tick = 0;
  let podSeq = 0;
  const bare: string[] = [];
  const running = new Set<Promise<void>>();

  const timed = (write: boolean, call: () => Promise<unknown>): void => {
    if (inFlight >= maxInFlight) return;
    inFlight++;
    const t0 = nowMs();
    const p = call().then(
      () => { const at = nowMs(); calls.push({ at, ms: at - t0, write }); },
      (e: unknown) => {
        // A pod deleted twice or a ConfigMap raced: the churn's own overlap, not the server failing.
        if (isNotFound(e) || isConflict(e)) return;
        failures++;
        if (firstFailures.length < 5) firstFailures.push(e instanceof Error ? e.message : String(e));
      },
    ).finally(() => { inFlight--; running.delete(p); });
    running.add(p);
  };

  const step = (): void => {
    const n = tick++;
    const ns = { namespace: SOAK_NAMESPACE };
    switch (n % 8) {
      case 0: case 4:
        timed(true, () => c.update(R.configmaps, configMap(n % CONFIGMAPS, n) as KObject, ns));
        break;
      case 1: case 5:
        timed(false, () => c.get(R.configmaps, `soak-${(n * 7) % CONFIGMAPS}`, SOAK_NAMESPACE));
        break;
      case 2: {
        const name = `bare-${podSeq}`;
        timed(true, () => c.create(R.pods, barePod(podSeq++), ns));
        bare.push(name);
        break;
      }
      case 3:
        if (bare.length > BARE_PODS) {
          const name = bare.shift() ?? '';
          timed(true, () => c.delete(R.pods, name, ns));
        } else {
          timed(false, () => c.list(R.pods, { ...ns, labelSelector: 'soak=bare', limit: 50 }));
        }
        break;
      case 6:
        timed(false, () => c.list(R.pods, { ...ns, limit: 100 }));
        break;
      case 7:
        if (n % 40 === 7) {
          // Up or down by a few, between 0 and MAX_REPLICAS: new pods made, old ones deleted by the ReplicaSets.
          const d = (n / 8) % DEPLOYMENTS | 0;
          const replicas = (n * 5) % (MAX_REPLICAS + 1);
          timed(true, () => c.patch(R.deployments, `soak-${d}`, { spec: { replicas } }, 'merge', ns));
        } else {
          timed(false, () => c.get(R.deployments, `soak-${(n / 8) % DEPLOYMENTS | 0}`, SOAK_NAMESPACE));
        }
        break;
    }
  };
  const timer = setInterval(step, 1000 / rate);

  return {
    drain: () => { const out = calls; calls = []; return out; },
    get failures() { return failures; },
    firstFailures,
    async stop() {
      clearInterval(timer);
      await Promise.allSettled([...running]);
    },
  };
}
