// The bridge's port-forward calls ("Open", "Forward port…", the list of forwards) over the control plane's
// forwards (main/tunnel/port-forwards.ts), which outlive every UI session; and the forward a catalog deploy makes
// for an app's Service, so its URL shows as soon as a pod is ready.
import type { ForwardTarget, PortForward } from '../api/port-forward';
import type { Service } from '../api/types';
import { ForwardRefused } from '../tunnel/local-port';
import type { PortForwards } from '../tunnel/port-forwards';
import { BridgeFailure } from './errors';

function need(forwards: PortForwards | undefined): PortForwards {
  if (!forwards) throw new BridgeFailure(501, 'NotImplemented', 'port forwards need the control plane\'s node connections, which this bridge was started without');
  return forwards;
}

/** A refusal as the bridge reports it (code, reason, sentence); anything else unchanged. */
async function reported<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw e instanceof ForwardRefused ? new BridgeFailure(e.code, e.reason, e.message) : e;
  }
}

export async function listForwards(forwards: PortForwards | undefined): Promise<PortForward[]> {
  return forwards?.list() ?? [];
}

export function openForward(forwards: PortForwards | undefined, req: { target: ForwardTarget; localPort?: number }): Promise<PortForward> {
  return reported(need(forwards).open({ target: req.target, ...(req.localPort !== undefined ? { localPort: req.localPort } : {}) }));
}

export async function stopForward(forwards: PortForwards | undefined, id: string): Promise<null> {
  const port = Number(id);
  if (!Number.isInteger(port) || !await need(forwards).stop(port)) throw new BridgeFailure(404, 'NotFound', `port forward "${id}" not found`);
  return null;
}

/** The forward made for a deployed app's Service; a forward that cannot be made leaves the deploy as it is. */
export async function forwardApp(forwards: PortForwards | undefined, svc: Service, log: (l: string) => void): Promise<void> {
  const port = svc.spec?.ports?.[0]?.port;
  const name = svc.metadata?.name ?? '';
  if (!forwards || !port) return;
  const target: ForwardTarget = { kind: 'service', namespace: svc.metadata?.namespace ?? 'default', name, port };
  await forwards.open({ target, app: name }).catch((e: unknown) => log(`no port forward for app ${name}: ${e instanceof Error ? e.message : String(e)}`));
}
