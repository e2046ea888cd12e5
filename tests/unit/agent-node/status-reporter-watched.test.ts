import { describe, expect, it } from 'vitest';
import { NodeStatusReporter } from '../../../vm-images/agent/node/status-reporter';
import type { CriClient } from '../../../vm-images/agent/cri/client';
import type { ApiClient } from '../../../main/client/types';
import type { Node } from '../../../main/api/types';

function fakes(): { client: ApiClient; gets: () => number; writes: Node[]; cri: CriClient } {
  let gets = 0;
  const writes: Node[] = [];
  const stored: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', resourceVersion: '5' } };
  const client = {
    get: async () => { gets++; return structuredClone(stored); },
    update: async (_r: unknown, obj: Node) => { writes.push(obj); return obj; },
  } as unknown as ApiClient;
  const cri = {
    version: async () => ({ version: '0.1.0', runtime_name: 'containerd', runtime_version: 'v1.7.0', runtime_api_version: 'v1' }),
    listImages: async () => [],
  } as unknown as CriClient;
  return { client, gets: () => gets, writes, cri };
}

describe('node status reporter', () => {
  it('reads the node from the agent\'s node watch when it has it, instead of a GET every period', async () => {
    const f = fakes();
    let watched: Node | undefined;
    const reporter = new NodeStatusReporter({
      client: f.client, periodMs: 3_600_000, heartbeatMs: 3_600_000, watched: () => watched,
      source: { nodeName: 'n1', nodeIP: '10.0.0.1', port: 10250, fsPath: '/', cri: f.cri, networkReady: () => true },
    });
    await reporter.kick(); // the watch has not listed yet: a GET
    expect(f.gets()).toBe(1);
    expect(f.writes).toHaveLength(1);
    watched = { ...f.writes[0], metadata: { name: 'n1', resourceVersion: '6' } };
    await reporter.kick();
    await reporter.kick();
    expect(f.gets()).toBe(1); // no more GETs
    watched = { ...watched, spec: { unschedulable: true }, status: { ...watched.status, conditions: [] } }; // conditions overwritten
    await reporter.kick();
    expect(f.gets()).toBe(1);
    expect(f.writes).toHaveLength(2); // seen in the watched copy: written back
  });
});
