// Sidecar (restartable init) containers and lifecycle hooks with Kubernetes' field paths and messages
// (validateInitContainers, validateContainers, validateLifecycle, validateHandler, validateSleepAction).
import { describe, expect, it } from 'vitest';
import { invalidMessage, validateObject } from '../../../main/api/validation';
import { c, pod, podCauses as pick } from './pod-fixture';

const PROBE = { exec: { command: ['true'] } };
const HOOKS = { postStart: { exec: { command: ['true'] } }, preStop: { httpGet: { port: 80 } } };
const NO_INIT = 'Forbidden: may not be set for init containers without restartPolicy=Always';

describe('sidecar containers', () => {
  it('a sidecar may have probes and lifecycle hooks; its httpGet hook is defaulted', () => {
    const p = pod({ initContainers: [c({ name: 'side', restartPolicy: 'Always', startupProbe: PROBE, readinessProbe: PROBE, lifecycle: HOOKS })], containers: [c()] });
    expect(validateObject('Pod', p)).toEqual([]);
    const spec = p.spec as { initContainers: Array<{ lifecycle: { preStop: { httpGet: Record<string, unknown> } } }> };
    expect(spec.initContainers[0]?.lifecycle.preStop.httpGet).toEqual({ port: 80, path: '/', scheme: 'HTTP' });
  });

  it('a plain init container may have neither probes nor lifecycle', () => {
    expect(pick({ initContainers: [c({ name: 'i', livenessProbe: PROBE, readinessProbe: PROBE, startupProbe: PROBE, lifecycle: HOOKS })], containers: [c()] })).toEqual([
      ['spec.initContainers[0].lifecycle', NO_INIT], ['spec.initContainers[0].livenessProbe', NO_INIT],
      ['spec.initContainers[0].readinessProbe', NO_INIT], ['spec.initContainers[0].startupProbe', NO_INIT],
    ]);
  });

  it('only Always is a container restartPolicy, and only on init containers', () => {
    const p = pod({ initContainers: [c({ name: 'i', restartPolicy: 'OnFailure' })], containers: [c({ restartPolicy: 'Always' })] });
    expect(invalidMessage('Pod', '', 'web', validateObject('Pod', p))).toBe(
      'Pod "web" is invalid: [spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers, '
      + 'spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"]');
  });

  it('a sidecar\'s probes are checked as an app container\'s', () => {
    expect(pick({ initContainers: [c({ name: 's', restartPolicy: 'Always', livenessProbe: { ...PROBE, successThreshold: 2 } })], containers: [c()] }))
      .toEqual([['spec.initContainers[0].livenessProbe.successThreshold', 'Invalid value: 2: must be 1']]);
  });
});

describe('lifecycle hooks', () => {
  it.each<[string, Record<string, unknown>, Array<[string, string]>]>([
    ['no handler', { postStart: {} }, [['spec.containers[0].lifecycle.postStart', 'Required value: must specify a handler type']]],
    ['two handlers', { preStop: { exec: { command: ['x'] }, sleep: { seconds: 1 } } }, [['spec.containers[0].lifecycle.preStop.sleep', 'Forbidden: may not specify more than 1 handler type']]],
    ['exec without command', { postStart: { exec: {} } }, [['spec.containers[0].lifecycle.postStart.exec.command', 'Required value']]],
    ['httpGet without port', { postStart: { httpGet: { path: '/x' } } }, [['spec.containers[0].lifecycle.postStart.httpGet.port', 'Required value']]],
    ['sleep beyond the grace period', { preStop: { sleep: { seconds: 31 } } },
      [['spec.containers[0].lifecycle.preStop.sleep', 'Invalid value: 31: must be greater than 0 and less than terminationGracePeriodSeconds (30)']]],
    ['sleep of 0', { preStop: { sleep: { seconds: 0 } } },
      [['spec.containers[0].lifecycle.preStop.sleep', 'Invalid value: 0: must be greater than 0 and less than terminationGracePeriodSeconds (30)']]],
    ['valid hooks', { postStart: { tcpSocket: { port: 'http' } }, preStop: { sleep: { seconds: 30 } } }, []],
  ])('%s', (_name, lifecycle, want) => {
    expect(pick({ containers: [c({ lifecycle })] })).toEqual(want);
  });

  it('sleep is bounded by the pod\'s own grace period', () => {
    expect(pick({ terminationGracePeriodSeconds: 5, containers: [c({ lifecycle: { preStop: { sleep: { seconds: 6 } } } })] }))
      .toEqual([['spec.containers[0].lifecycle.preStop.sleep', 'Invalid value: 6: must be greater than 0 and less than terminationGracePeriodSeconds (5)']]);
  });
});

describe('security contexts', () => {
  it('refuses allowPrivilegeEscalation false with privileged, and IDs out of range', () => {
    const got = pick({
      securityContext: { runAsUser: -1, fsGroup: 2147483648, supplementalGroups: [1, -2] },
      containers: [c({ securityContext: { privileged: true, allowPrivilegeEscalation: false, runAsGroup: -5 } })],
    });
    expect(got).toEqual([
      ['spec.containers[0].securityContext.runAsGroup', 'Invalid value: -5: must be between 0 and 2147483647, inclusive'],
      ['spec.containers[0].securityContext', expect.stringMatching(
        /^Invalid value: core\.SecurityContext\{Capabilities:\(\*core\.Capabilities\)\(nil\), Privileged:\(\*bool\)\(0x[0-9a-f]+\), .*AllowPrivilegeEscalation:\(\*bool\)\(0x[0-9a-f]+\), .*\}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true$/) as unknown as string],
      ['spec.securityContext.fsGroup', 'Invalid value: 2147483648: must be between 0 and 2147483647, inclusive'],
      ['spec.securityContext.runAsUser', 'Invalid value: -1: must be between 0 and 2147483647, inclusive'],
      ['spec.securityContext.supplementalGroups[1]', 'Invalid value: -2: must be between 0 and 2147483647, inclusive'],
    ]);
  });

  it('refuses CAP_SYS_ADMIN without privilege escalation, and shareProcessNamespace with hostPID', () => {
    expect(pick({
      shareProcessNamespace: true, hostPID: true,
      containers: [c({ securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['CAP_SYS_ADMIN'] } } })],
    }).map(([f, m]) => `${f}: ${m.replace(/core\.SecurityContext\{.*\}/, 'SC')}`)).toEqual([
      'spec.containers[0].securityContext: Invalid value: SC: cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN',
      'spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled',
    ]);
  });
});
