// A readiness probe failed on purpose: the agent's route, the registry of failed containers, and the prober reporting the
// forced failure through the kubelet's thresholds without running the probe (whatever its type).
import { describe, expect, it } from 'vitest';
import type { CriClient } from '../../../vm-images/agent/cri/client';
import { ContainerProber, type ProbeKind, type ProbeResult } from '../../../vm-images/agent/pods/prober';
import { FORCED_READINESS_MESSAGE, ProbeFaults } from '../../../vm-images/agent/pods/probe-faults';
import { parseRoute } from '../../../vm-images/agent/server/routes';
import { waitFor } from '../../helpers/wait';

describe('readiness probes failed on purpose', () => {
  it('routes /faults/readiness/<uid>/<container> and nothing shorter', () => {
    expect(parseRoute('/faults/readiness/u-1/app')).toEqual({ kind: 'readinessFault', podUID: 'u-1', container: 'app' });
    expect(parseRoute('/faults/readiness/u-1')).toBeUndefined();
    expect(parseRoute('/faults/liveness/u-1/app')).toBeUndefined();
  });

  it('keeps failures by pod UID and container until healed or the pod is forgotten', () => {
    const f = new ProbeFaults();
    f.fail('u-1', 'app');
    f.fail('u-1', 'side');
    f.fail('u-2', 'app');
    expect(f.forcedReadiness('u-1', 'app')).toBe(FORCED_READINESS_MESSAGE);
    expect(f.heal('u-1', 'app')).toBe(true);
    expect(f.heal('u-1', 'app')).toBe(false);
    expect(f.forcedReadiness('u-1', 'app')).toBeUndefined();
    f.forget('u-1');
    expect(f.forcedReadiness('u-1', 'side')).toBeUndefined();
    expect(f.forcedReadiness('u-2', 'app')).toBe(FORCED_READINESS_MESSAGE);
  });

  it('fails readiness attempts without running the probe, through the failure threshold', async () => {
    const cri = { execSync: () => { throw new Error('the probe must not run'); } } as unknown as CriClient;
    const changes: Array<[ProbeKind, ProbeResult, string]> = [];
    const failures: string[] = [];
    const prober = new ContainerProber({ podIP: '127.0.0.1', containerId: 'c', container: { name: 'app' }, cri },
      { readiness: { exec: { command: ['true'] }, periodSeconds: 0, failureThreshold: 2 } },
      (kind, result, message) => changes.push([kind, result, message]), (_kind, message) => failures.push(message), undefined,
      (kind) => (kind === 'readiness' ? FORCED_READINESS_MESSAGE : undefined));
    try {
      await waitFor(() => prober.result('readiness') === 'failure', 'readiness failed', 5000);
      expect(failures.length).toBeGreaterThanOrEqual(2);
      expect(changes[0]).toEqual(['readiness', 'failure', FORCED_READINESS_MESSAGE]);
    } finally {
      prober.stop();
    }
  });
});
