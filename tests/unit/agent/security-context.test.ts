// The kubelet's security-context rules the agent follows: the effective context (the container's fields over
// the pod's), the CRI security context it sends, and verifyRunAsNonRoot's messages.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../main/api/types';
import { containerConfig, sandboxConfig } from '../../../vm-images/agent/pods/runtime-config';
import { criSecurityContext, runAsNonRootError } from '../../../vm-images/agent/pods/security-context';

const pod = (spec: Partial<NonNullable<Pod['spec']>>): Pod => ({
  metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
  spec: { containers: [{ name: 'c', image: 'img' }], ...spec },
});

describe('security context', () => {
  it('takes the pod\'s user, group and non-root setting unless the container sets its own; groups are fsGroup then supplementalGroups', () => {
    const p = pod({ securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000] } });
    expect(criSecurityContext(p, { name: 'c', securityContext: { runAsUser: 1001 } })).toEqual({
      privileged: false, run_as_user: { value: 1001 }, run_as_group: { value: 3000 }, supplemental_groups: [2000, 4000],
    });
  });

  it('maps capabilities, read-only root and allowPrivilegeEscalation false (no_new_privs)', () => {
    expect(criSecurityContext(pod({}), {
      name: 'c', securityContext: { capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] }, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
    })).toEqual({ privileged: false, capabilities: { add_capabilities: ['NET_ADMIN'], drop_capabilities: ['ALL'] }, readonly_rootfs: true, no_new_privs: true });
  });

  it('makes the sandbox privileged when a container is', () => {
    const p = pod({ containers: [{ name: 'c', image: 'img', securityContext: { privileged: true } }] });
    expect(sandboxConfig(p, 0, { logDir: '/tmp/x', resolvConf: '' }).linux?.security_context?.privileged).toBe(true);
    expect(containerConfig(p, p.spec!.containers[0], 'app', 0, 'img', []).linux?.security_context?.privileged).toBe(true);
    expect(sandboxConfig(pod({}), 0, { logDir: '/tmp/x', resolvConf: '' }).linux?.security_context?.privileged).toBeUndefined();
  });

  it('checks runAsNonRoot against the runAsUser or the image\'s user as the kubelet words it', () => {
    const nonRoot = pod({ securityContext: { runAsNonRoot: true } });
    const c = { name: 'c', image: 'img' };
    expect(runAsNonRootError(nonRoot, c, { username: '' })).toBe('container has runAsNonRoot and image will run as root (pod: "p_ns(u1)", container: c)');
    expect(runAsNonRootError(nonRoot, c, { uid: 0, username: '' })).toBe('container has runAsNonRoot and image will run as root (pod: "p_ns(u1)", container: c)');
    expect(runAsNonRootError(nonRoot, c, { username: 'nobody' }))
      .toBe('container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user is non-root (pod: "p_ns(u1)", container: c)');
    expect(runAsNonRootError(nonRoot, c, { uid: 65534, username: '' })).toBeUndefined();
    expect(runAsNonRootError(nonRoot, { ...c, securityContext: { runAsUser: 0 } }, { uid: 1, username: '' }))
      .toBe('container\'s runAsUser breaks non-root policy (pod: "p_ns(u1)", container: c)');
    expect(runAsNonRootError(nonRoot, { ...c, securityContext: { runAsUser: 5 } }, { username: '' })).toBeUndefined();
    expect(runAsNonRootError(pod({}), c, { username: '' })).toBeUndefined();
  });
});
