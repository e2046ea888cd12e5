// The agent's Lease renewal after its API server went away and came back (a control plane restart): retried with
// the kubelet lease controller's back-off (200 ms doubling to 7 s), not only at the next 10 s period. Real API
// server over HTTPS, stopped and started again on the same data dir and port.
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
import { startLeaseRenewer } from '../../../vm-images/agent/node/lease';
import { waitFor } from '../../helpers/wait';

describe('lease renewal across an API server restart', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-lease-retry-'));
  let core: Core | undefined;
  let stopRenewer: (() => void) | undefined;
  let client: HttpClient | undefined;
  afterAll(async () => {
    stopRenewer?.();
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
    stopRenewer = startLeaseRenewer({ client, nodeName: 'n1', periodMs: 60_000, onRenew: (l) => renewed.push(l), onError: (e) => errors.push(e) });
    await waitFor(() => renewed.length >= 1, 'the first renewal');
    await core.stop();
    core = undefined;
    // The next renewal is a minute away: make it fail now, as a renewal during the outage would (the period's timer
    // is not what is tested; the retry after a failure is).
    stopRenewer();
    stopRenewer = startLeaseRenewer({ client, nodeName: 'n1', periodMs: 60_000, onRenew: (l) => renewed.push(l), onError: (e) => errors.push(e) });
    await waitFor(() => errors.length >= 1, 'a failed renewal while the server is down');
    core = await start();
    const t0 = Date.now();
    await waitFor(() => renewed.length >= 2, 'a renewal after the server came back', 10_000);
    expect(Date.now() - t0).toBeLessThan(8000); // at most the 7 s back-off cap, far below the 60 s period
    const lease = await core.client.get<Lease>(R.leases, 'n1', 'kube-node-lease');
    expect(lease.spec?.holderIdentity).toBe('n1');
    expect(errors).toHaveLength(1); // one report per outage, not one per retry
  });
});
