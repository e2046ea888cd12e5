// Pod Security admission with real kubectl: a namespace's enforce label refuses a pod with kube's message listing each
// violation, warn admits with kubectl's "Warning: would violate PodSecurity …", a Deployment's template only warns,
// a pod meeting the level is admitted, an image change of a running pod is checked and a label change is not, a stricter
// enforce label warns about the namespace's pods that break it, and a namespace with an invalid label is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';
import { podSecurityViolations } from '../../../main/api/pod-security/checks';

let c: TestCluster;

beforeAll(async () => {
  // Admission runs with the ServiceAccount controller (a pod needs its namespace's default ServiceAccount).
  c = await startTestCluster({ controllers: { controllers: ['serviceaccount'] } });
  await c.kubectlOk(['create', 'namespace', 'locked']);
  await c.kubectlOk(['label', 'namespace', 'locked', 'pod-security.kubernetes.io/enforce=restricted']);
  await c.kubectlOk(['create', 'namespace', 'watched']);
  await c.kubectlOk(['label', 'namespace', 'watched', 'pod-security.kubernetes.io/enforce=baseline', 'pod-security.kubernetes.io/warn=restricted']);
});
afterAll(async () => {
  await c?.stop();
});

const RESTRICTED_OK = `apiVersion: v1
kind: Pod
metadata: { name: good, namespace: locked }
spec:
  securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: RuntimeDefault } }
  containers:
  - name: app
    image: docker.io/flotilla/hello:1
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }
`;

describe('Pod Security admission', () => {
  it('refuses a pod that breaks the enforce level, naming every violation as kube does', async () => {
    const r = await c.kubectl(['run', 'plain', '-n', 'locked', '--image=docker.io/flotilla/hello:1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe('Error from server (Forbidden): pods "plain" is forbidden: violates PodSecurity "restricted:latest": '
      + 'allowPrivilegeEscalation != false (container "plain" must set securityContext.allowPrivilegeEscalation=false), '
      + 'unrestricted capabilities (container "plain" must set securityContext.capabilities.drop=["ALL"]), '
      + 'runAsNonRoot != true (pod or container "plain" must set securityContext.runAsNonRoot=true), '
      + 'seccompProfile (pod or container "plain" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")');
    const host = await c.kubectl(['run', 'host', '-n', 'locked', '--image=docker.io/flotilla/hello:1', '--overrides',
      JSON.stringify({ spec: { hostNetwork: true, volumes: [{ name: 'h', hostPath: { path: '/tmp' } }] } })]);
    expect(host.stderr).toContain('violates PodSecurity "restricted:latest": host namespaces (hostNetwork=true), allowPrivilegeEscalation != false');
    expect(host.stderr).toContain('restricted volume types (volume "h" uses restricted volume type "hostPath")');
  });

  it('admits a pod that meets the level, and checks an image change but not a label change', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: RESTRICTED_OK });
    await c.kubectlOk(['label', 'pod', 'good', '-n', 'locked', 'touched=yes']);
    const r = await c.kubectl(['set', 'image', 'pod/good', '-n', 'locked', 'app=docker.io/flotilla/counter:1']);
    expect(r.code).toBe(0);
  });

  it('warns at the warn level, enforces only the enforce level, and only warns for a workload\'s template', async () => {
    const pod = await c.kubectl(['run', 'loose', '-n', 'watched', '--image=docker.io/flotilla/hello:1']);
    expect(pod.code).toBe(0);
    expect(pod.stderr).toContain('Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "loose" must set');
    const privileged = await c.kubectl(['run', 'root', '-n', 'watched', '--image=docker.io/flotilla/hello:1', '--overrides',
      JSON.stringify({ spec: { containers: [{ name: 'root', image: 'docker.io/flotilla/hello:1', securityContext: { privileged: true } }] } })]);
    expect(privileged.stderr).toContain('pods "root" is forbidden: violates PodSecurity "baseline:latest": privileged (container "root" must not set securityContext.privileged=true)');
    const deploy = await c.kubectl(['create', 'deployment', 'web', '-n', 'locked', '--image=docker.io/flotilla/hello:1']);
    expect(deploy.code).toBe(0);
    expect(deploy.stderr).toContain('Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "hello" must set');
  });

  it('warns, when a namespace\'s enforce level gets stricter, about the pods already there that break it', async () => {
    await c.kubectlOk(['create', 'namespace', 'open']);
    for (const name of ['web-1', 'web-2', 'web-3']) await c.kubectlOk(['run', name, '-n', 'open', '--image=docker.io/flotilla/hello:1']);
    await c.kubectlOk(['run', 'net', '-n', 'open', '--image=docker.io/flotilla/hello:1', '--overrides', JSON.stringify({ spec: { hostNetwork: true } })]);
    const baseline = await c.kubectl(['label', 'namespace', 'open', 'pod-security.kubernetes.io/enforce=baseline']);
    expect(baseline.code).toBe(0);
    expect(baseline.stderr.trim()).toBe('Warning: existing pods in namespace "open" violate the new PodSecurity enforce level "baseline:latest"\n'
      + 'Warning: net: host namespaces');
    // Stricter again: every pod now; the same set of reasons once, with the first pod by name and how many others.
    const restricted = await c.kubectl(['label', 'namespace', 'open', '--overwrite', 'pod-security.kubernetes.io/enforce=restricted']);
    expect(restricted.stderr.trim()).toBe('Warning: existing pods in namespace "open" violate the new PodSecurity enforce level "restricted:latest"\n'
      + 'Warning: net: host namespaces, allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile\n'
      + 'Warning: web-1 (and 2 other pods): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile');
    // Relaxing it warns about nothing.
    const relaxed = await c.kubectl(['label', 'namespace', 'open', '--overwrite', 'pod-security.kubernetes.io/enforce=baseline']);
    expect(relaxed.stderr.trim()).toBe('');
  });

  it('refuses a namespace whose pod-security labels are invalid', async () => {
    const r = await c.kubectl(['label', 'namespace', 'watched', '--overwrite', 'pod-security.kubernetes.io/enforce=strict', 'pod-security.kubernetes.io/warn-version=1.30']);
    expect(r.code).not.toBe(0);
    // kubectl prints the Invalid Status (NewInvalid of the Namespace kind) cause by cause.
    expect(r.stderr.trim()).toBe('The Namespace "watched" is invalid: \n'
      + '* metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted\n'
      + '* metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "1.30": must be "latest" or "v1.x"');
    expect(await c.kubectlOk(['get', 'namespace', 'watched', '-o', 'jsonpath={.metadata.labels.pod-security\\.kubernetes\\.io/enforce}'])).toBe('baseline');
  });
});

describe('the checks', () => {
  it('lists several containers, and baseline violations before restricted ones', () => {
    const spec = {
      hostPID: true,
      securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }] },
      containers: [
        { name: 'a', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }], securityContext: { capabilities: { add: ['NET_ADMIN', 'CHOWN'] } } },
        { name: 'b', image: 'x', ports: [{ containerPort: 81, hostPort: 8081 }], securityContext: { runAsUser: 0, procMount: 'Unmasked' } },
      ],
    };
    expect(podSecurityViolations('baseline', undefined, spec)).toBe('non-default capabilities (container "a" must not include "NET_ADMIN" in securityContext.capabilities.add), '
      + 'host namespaces (hostPID=true), hostPort (containers "a", "b" use hostPorts 8080, 8081), procMount (container "b" must not set securityContext.procMount to "Unmasked"), '
      + 'forbidden sysctls (kernel.msgmax)');
    expect(podSecurityViolations('restricted', undefined, spec)).toMatch(/^host namespaces \(hostPID=true\), hostPort .*, allowPrivilegeEscalation != false \(containers "a", "b" must set .*\), unrestricted capabilities \(containers "a", "b" must set securityContext\.capabilities\.drop=\["ALL"\]; container "a" must not include "CHOWN", "NET_ADMIN" in securityContext\.capabilities\.add\), runAsNonRoot != true \(pod or containers "a", "b" must set securityContext\.runAsNonRoot=true\), runAsUser=0 \(container "b" must not set runAsUser=0\), seccompProfile/);
    expect(podSecurityViolations('privileged', undefined, spec)).toBeUndefined();
  });

  it('words the AppArmor and seccomp profiles as kube does', () => {
    const spec = {
      securityContext: { seccompProfile: { type: 'Unconfined' } },
      containers: [{ name: 'a', image: 'x', securityContext: { appArmorProfile: { type: 'Unconfined' } } }],
    };
    expect(podSecurityViolations('baseline', undefined, spec)).toBe('forbidden AppArmor profile (container "a" must not set AppArmor profile type to "Unconfined"), '
      + 'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")');
    const some = {
      containers: [
        { name: 'a', image: 'x', securityContext: { seccompProfile: { type: 'RuntimeDefault' } } },
        { name: 'b', image: 'x' },
      ],
    };
    expect(podSecurityViolations('restricted', undefined, some))
      .toMatch(/, seccompProfile \(pod or container "b" must set securityContext\.seccompProfile\.type to "RuntimeDefault" or "Localhost"\)$/);
    expect(podSecurityViolations('restricted', undefined, { ...some, securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } }))
      .not.toContain('seccompProfile');
  });
});
