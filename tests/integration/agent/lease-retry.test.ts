// The agent's Lease renewal after its API server went away and came back (a control plane restart): retried with
// the kubelet lease controller's back-off (200 ms doubling to 7 s), not only at the next 10 s period. Real API
// server over HTTPS, stopped and started again on the same data dir and port. And, as the agent wires it, the Lease renewed
// as soon as the pods' watch is taken again after the outage (Reflector onRecover → renewNow), with no renewal failing.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCore, type Core } from '../../../main/core';
import { HttpClient } from '../../../main/client/http';
import { readKubeconfig } from '../../../main/apiserver/kubeconfig';
import { freePort } from '../../../main/protocol/free-port';
import { R } from '../../../main/client/refs';
import type { Lease } from '../../../main/api/types';
import { startLeaseRenewer, type LeaseRenewer } from '../../../vm-images/agent/node/lease';
import { agentInformer } from '../../../vm-images/agent/sync/informers';
import { waitFor } from '../../helpers/wait';

describe('lease renewal across an API server restart', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-lease-retry-'));
  let core: Core | undefined;
  let renewer: LeaseRenewer | undefined;
  let stopInformer: (() => void) | undefined;
  let client: HttpClient | undefined;
  afterAll(async () => {
    renewer?.stop();
    stopInformer?.();
    client?.close();
    await core?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('renews within a few seconds of the server coming back, though the period is a minute', async () => {
    const port = await freePort();
    const start = () => startCore({ dataDir: dir, apiPort: port, log: () => undefined, controllers: false });
    core = await start();
    client = new HttpClient(readKubeconfig(core.kubeconfigPath));
    const renewed: Lease[] = [];
    const errors: unknown[] = [];
    renewer = startLeaseRenewer({ client, nodeName: 'n1', periodMs: 60_000, onRenew: (l) => renewed.push(l), onError: (e) => errors.push(e) });
    await waitFor(() => renewed.length >= 1, 'the first renewal');
    await core.stop();
    core = undefined;
    // The next renewal is a minute away: make it fail now, as a renewal during the outage would (the period's timer
    // is not what is tested; the retry after a failure is).
    renewer.stop();
    renewer = startLeaseRenewer({ client, nodeName: 'n1', periodMs: 60_000, onRenew: (l) => renewed.push(l), onError: (e) => errors.push(e) });
    await waitFor(() => errors.length >= 1, 'a failed renewal while the server is down');
    core = await start();
    const t0 = Date.now();
    await waitFor(() => renewed.length >= 2, 'a renewal after the server came back', 10_000);
    expect(Date.now() - t0).toBeLessThan(8000); // at most the 7 s back-off cap, far below the 60 s period
    const lease = await core.client.get<Lease>(R.leases, 'n1', 'kube-node-lease');
    expect(lease.spec?.holderIdentity).toBe('n1');
    expect(errors).toHaveLength(1); // one report per outage, not one per retry
  });

  it('renews as soon as the pods\' watch is back after a restart, though no renewal failed and the period is a minute', async () => {
    renewer?.stop();
    const port = await freePort();
    const start = () => startCore({ dataDir: dir, apiPort: port, log: () => undefined, controllers: false });
    await core?.stop();
    core = await start();
    client?.close();
    client = new HttpClient(readKubeconfig(core.kubeconfigPath));
    const renewed: Lease[] = [];
    const errors: unknown[] = [];
    const watchErrors: unknown[] = [];
    const r = startLeaseRenewer({ client, nodeName: 'n2', periodMs: 60_000, onRenew: (l) => renewed.push(l), onError: (e) => errors.push(e) });
    renewer = r;
    const pods = agentInformer(client, R.pods, { backoffMs: 100, onError: (e) => watchErrors.push(e), onRecover: () => r.renewNow() });
    stopInformer = pods.start();
    await pods.hasSynced;
    await waitFor(() => renewed.length >= 1, 'the first renewal');
    await core.stop();
    core = undefined;
    await waitFor(() => watchErrors.length >= 1, 'the pods\' watch broken by the outage');
    core = await start();
    await waitFor(() => renewed.length >= 2, 'a renewal once the watch is back (the period is a minute)', 15_000);
    expect(errors).toEqual([]); // the renewer itself never failed: the watch coming back is what renewed it
    const lease = await core.client.get<Lease>(R.leases, 'n2', 'kube-node-lease');
    expect(Date.parse(lease.spec?.renewTime ?? '')).toBeGreaterThan(Date.parse(renewed[0].spec?.renewTime ?? ''));
  });
});
