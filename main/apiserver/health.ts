// /healthz, /livez and /readyz as kube-apiserver's healthz package answers them: "ok" (200) when every check passes;
// with ?verbose one line per check ("[+]etcd ok") and "<name> check passed"; ?exclude=<check> (repeatable) skips one
// ("[+]etcd excluded: ok", and a warning line naming what matched no check); a failing check makes it 500 with
// "[-]<check> failed: reason withheld" lines (the endpoints are public: the reason goes to the log only) and
// "<name> check failed". /<endpoint>/<check> runs one check: "ok", or 500 "internal server error: <reason>".
import type { Store } from '../store/types';

export type HealthEndpoint = 'healthz' | 'livez' | 'readyz';

export interface HealthCheck {
  name: string;
  /** Throws when unhealthy. */
  check(): void;
}

export interface HealthAnswer {
  status: number;
  body: string;
  /** The failed checks with their reasons (for the server's log; never sent). */
  failures: string[];
}

/** The etcd check reads a key, as kube-apiserver's Get of "health" from etcd: the store answers reads. */
function etcdCheck(name: string, store: Store): HealthCheck {
  return { name, check: () => { store.get('/registry/health'); } };
}

const ok = (name: string): HealthCheck => ({ name, check: () => undefined });

/**
 * Each endpoint's checks, in kube-apiserver's order. Only checks that mean something here: the post-start hooks named
 * are work this API server does before it serves (bootstrap RBAC policy, informers started), done once it listens.
 * readyz's shutdown check fails from the moment the server begins to stop (`stopping`).
 */
export function healthChecks(store: Store, stopping: () => boolean = () => false): Record<HealthEndpoint, HealthCheck[]> {
  const common = [ok('ping'), ok('log'), etcdCheck('etcd', store)];
  const hooks = [ok('poststarthook/generic-apiserver-start-informers'), ok('poststarthook/rbac/bootstrap-roles')];
  const shutdown: HealthCheck = { name: 'shutdown', check: () => { if (stopping()) throw new Error('process is shutting down'); } };
  return {
    healthz: [...common, ...hooks],
    livez: [...common, ...hooks],
    readyz: [...common, etcdCheck('etcd-readiness', store), ok('informer-sync'), ...hooks, shutdown],
  };
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** GET /<endpoint>?<query>: every check, as handleRootHealth. */
export function answerHealth(endpoint: HealthEndpoint, checks: readonly HealthCheck[], query: URLSearchParams): HealthAnswer {
  const excluded = new Set(query.getAll('exclude').map((x) => x.trim()).filter(Boolean));
  let lines = '';
  const failures: string[] = [];
  for (const c of checks) {
    if (excluded.delete(c.name)) {
      lines += `[+]${c.name} excluded: ok\n`;
      continue;
    }
    try {
      c.check();
      lines += `[+]${c.name} ok\n`;
    } catch (e) {
      lines += `[-]${c.name} failed: reason withheld\n`;
      failures.push(`${c.name}: ${reason(e)}`);
    }
  }
  if (excluded.size) lines += `warn: some health checks cannot be excluded: no matches for ${[...excluded].sort().map((x) => `"${x}"`).join(',')}\n`;
  if (failures.length) return { status: 500, body: `${lines}${endpoint} check failed\n`, failures };
  return { status: 200, body: query.has('verbose') ? `${lines}${endpoint} check passed\n` : 'ok', failures };
}

/** GET /<endpoint>/<check>: that check alone; undefined when there is no such check (404). */
export function answerHealthCheck(checks: readonly HealthCheck[], name: string): HealthAnswer | undefined {
  const c = checks.find((x) => x.name === name);
  if (!c) return undefined;
  try {
    c.check();
    return { status: 200, body: 'ok', failures: [] };
  } catch (e) {
    return { status: 500, body: `internal server error: ${reason(e)}\n`, failures: [`${name}: ${reason(e)}`] };
  }
}
