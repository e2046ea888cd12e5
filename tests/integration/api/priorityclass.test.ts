// PriorityClasses with real kubectl: the built-in system classes, kubectl get pc columns, Priority
// admission (a pod gets its class's priority and preemptionPolicy, the globalDefault class when it
// names none, and is refused for a class that does not exist) and Kubernetes' validation messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => {
  await c?.stop();
});

const pc = (name: string, value: number, extra = '') => `apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: ${name}\nvalue: ${value}\n${extra}`;
const pod = (name: string, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n${extra}  containers:\n  - name: c\n    image: busybox\n`;

describe('PriorityClass and Priority admission', () => {
  it('serves the system classes and lists classes with their columns', async () => {
    const out = await c.kubectlOk(['get', 'pc']);
    expect(out.split('\n')[0]).toMatch(/^NAME\s+VALUE\s+GLOBAL-DEFAULT\s+AGE\s+PREEMPTIONPOLICY$/);
    expect(out).toMatch(/system-cluster-critical\s+2000000000\s+false\s+\S+\s+PreemptLowerPriority/);
    expect(out).toMatch(/system-node-critical\s+2000001000\s+false\s+\S+\s+PreemptLowerPriority/);
  });

  it('gives pods their class priority, the default class otherwise, and refuses unknown classes', async () => {
    // kubectl create sends protobuf.
    await c.kubectlOk(['create', 'priorityclass', 'high', '--value=1000', '--preemption-policy=Never', '--description=important']);
    expect(await c.kubectlOk(['get', 'pc', 'high', '-o', 'jsonpath={.value} {.preemptionPolicy} {.description}'])).toBe('1000 Never important');
    await c.kubectlOk(['apply', '-f', '-'], { input: pod('plain') });
    expect(await c.kubectlOk(['get', 'pod', 'plain', '-o', 'jsonpath={.spec.priority} {.spec.preemptionPolicy}'])).toBe('0 PreemptLowerPriority');
    await c.kubectlOk(['apply', '-f', '-'], { input: pod('important', '  priorityClassName: high\n') });
    expect(await c.kubectlOk(['get', 'pod', 'important', '-o', 'jsonpath={.spec.priority} {.spec.preemptionPolicy}'])).toBe('1000 Never');

    const unknown = await c.kubectl(['apply', '-f', '-'], { input: pod('lost', '  priorityClassName: nope\n') });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('pods "lost" is forbidden: no PriorityClass with name nope was found');

    await c.kubectlOk(['apply', '-f', '-'], { input: pc('usual', 10, 'globalDefault: true\n') });
    await c.kubectlOk(['apply', '-f', '-'], { input: pod('defaulted') });
    expect(await c.kubectlOk(['get', 'pod', 'defaulted', '-o', 'jsonpath={.spec.priorityClassName} {.spec.priority}'])).toBe('usual 10');
    const second = await c.kubectl(['apply', '-f', '-'], { input: pc('other', 5, 'globalDefault: true\n') });
    expect(second.stderr).toContain('PriorityClass usual is already marked as default. Only one default can exist');
  });

  it('validates as Kubernetes does', async () => {
    const sys = await c.kubectl(['apply', '-f', '-'], { input: pc('system-mine', 10) });
    expect(sys.stderr).toContain(
      "The PriorityClass \"system-mine\" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. "
      + 'error: system-mine is not a known system priority class',
    );
    const big = await c.kubectl(['apply', '-f', '-'], { input: pc('huge', 1_000_000_001) });
    expect(big.stderr).toContain('value: Forbidden: maximum allowed value of a user defined priority is 1000000000');
    await c.kubectlOk(['apply', '-f', '-'], { input: pc('steady', 7) });
    const changed = await c.kubectl(['apply', '-f', '-'], { input: pc('steady', 8) });
    expect(changed.stderr).toContain('value: Forbidden: may not be changed in an update.');
  });
});
