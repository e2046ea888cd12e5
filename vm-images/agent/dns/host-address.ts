// The host machine's address as this node sees it, for host.flotilla.internal: the configured one
// (AgentConfig.hostAddress), else Lima's host.lima.internal when the node resolves it, else the
// node's default gateway (a sandbox node's bridge address on the host; Multipass's gateway is the host).
import { lookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';

export const HOST_NAME = 'host.flotilla.internal';

/** The default route's gateway from /proc/net/route (this process's network namespace). */
export function defaultGateway(routeTable = readFileSync('/proc/net/route', 'utf8')): string | undefined {
  for (const line of routeTable.split('\n').slice(1)) {
    const [, dest, gw, flags] = line.trim().split(/\s+/);
    if (dest !== '00000000' || !gw || (parseInt(flags ?? '0', 16) & 2) === 0) continue; // RTF_GATEWAY
    const n = parseInt(gw, 16);
    return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255].join('.');
  }
  return undefined;
}

async function limaHost(timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((r) => { timer = setTimeout(() => r(undefined), timeoutMs); });
  const found = lookup('host.lima.internal', { family: 4 }).then((a) => a.address, () => undefined);
  try { return await Promise.race([found, timeout]); } finally { clearTimeout(timer); }
}

export async function hostAddress(configured: string | undefined, timeoutMs = 2000): Promise<string | undefined> {
  if (configured) return configured;
  return (await limaHost(timeoutMs)) ?? defaultGateway();
}
