// The agent server's URL space (the kubelet's): which handler a path goes to.
export type AgentRoute =
  | { kind: 'logs'; namespace: string; pod: string; container: string }
  | { kind: 'exec'; namespace: string; pod: string; container: string }
  | { kind: 'attach'; namespace: string; pod: string; container: string }
  | { kind: 'portForward'; namespace: string; pod: string }
  | { kind: 'stats' }
  | { kind: 'metrics' }
  | { kind: 'resourceMetrics' }
  | { kind: 'probeMetrics' }
  | { kind: 'cadvisorMetrics' }
  | { kind: 'pods' }
  | { kind: 'configz' }
  | { kind: 'images'; action: 'list' | 'pull' | 'remove' | 'prune' }
  | { kind: 'traces'; podUID: string }
  | { kind: 'readinessFault'; podUID: string; container: string }
  | { kind: 'healthz' };

export function parseRoute(pathname: string): AgentRoute | undefined {
  let parts: string[];
  try { parts = pathname.split('/').filter(Boolean).map(decodeURIComponent); } catch { return undefined; }
  const [head, a, b, c] = parts;
  if (head === 'containerLogs' && parts.length === 4 && a && b && c) return { kind: 'logs', namespace: a, pod: b, container: c };
  if (head === 'exec' && parts.length === 4 && a && b && c) return { kind: 'exec', namespace: a, pod: b, container: c };
  if (head === 'attach' && parts.length === 4 && a && b && c) return { kind: 'attach', namespace: a, pod: b, container: c };
  if (head === 'portForward' && parts.length === 3 && a && b) return { kind: 'portForward', namespace: a, pod: b };
  if (pathname === '/stats/summary' || pathname === '/stats/summary/') return { kind: 'stats' };
  if (pathname === '/images') return { kind: 'images', action: 'list' };
  if (head === 'images' && parts.length === 2 && (a === 'pull' || a === 'remove' || a === 'prune')) return { kind: 'images', action: a };
  if (head === 'traces' && parts.length === 2 && a) return { kind: 'traces', podUID: a };
  if (head === 'faults' && a === 'readiness' && parts.length === 4 && b && c) return { kind: 'readinessFault', podUID: b, container: c };
  if (pathname === '/healthz') return { kind: 'healthz' };
  if (pathname === '/metrics') return { kind: 'metrics' };
  if (pathname === '/metrics/resource') return { kind: 'resourceMetrics' };
  if (pathname === '/metrics/probes') return { kind: 'probeMetrics' };
  if (pathname === '/metrics/cadvisor') return { kind: 'cadvisorMetrics' };
  if (pathname === '/pods' || pathname === '/pods/') return { kind: 'pods' };
  if (pathname === '/configz') return { kind: 'configz' };
  return undefined;
}
