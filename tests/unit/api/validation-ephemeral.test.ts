// Ephemeral containers as Kubernetes validates them: never on create, names unique across all of a pod's
// containers, a target that is a regular or init container, no ports/probes/resources/lifecycle/restart
// policy/subPath, and through pods/ephemeralcontainers only additions (existing ones neither removed nor
// changed). A plain pod update may not touch them at all.
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../../main/api/defaults';
import { validateCreate, validateObject, validateUpdate } from '../../../main/api/validation';
import type { KObject } from '../../../main/api/types';

type Spec = Record<string, unknown>;

function pod(ephemeral: Array<Record<string, unknown>> = []): KObject {
  const p: KObject = {
    metadata: { name: 'p', namespace: 'default', uid: 'u' },
    spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'img:1' }], initContainers: [{ name: 'init', image: 'img:1' }], ephemeralContainers: ephemeral },
  };
  if (!ephemeral.length) delete (p.spec as Spec).ephemeralContainers;
  applyDefaults('Pod', p);
  return p;
}
const debug = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name: 'debugger', image: 'busybox:1', command: ['sh'], ...extra });
const fields = (causes: Array<{ field: string; message: string }>): Array<[string, string]> => causes.map((c) => [c.field, c.message]);

describe('ephemeral containers', () => {
  it('may not be set on create, but a pod holding them is valid', () => {
    expect(fields(validateCreate('Pod', pod([debug()])))).toEqual([['spec.ephemeralContainers', 'Forbidden: cannot be set on create']]);
    expect(validateObject('Pod', pod([debug()]))).toEqual([]);
  });

  it('are defaulted like containers', () => {
    const spec = pod([debug()]).spec as { ephemeralContainers: Array<Record<string, unknown>> };
    expect(spec.ephemeralContainers[0]).toMatchObject({ imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
  });

  it('need an image, a name unique across all containers and an existing non-ephemeral target', () => {
    expect(fields(validateObject('Pod', pod([{ name: 'app', image: 'x' }, { name: 'init', image: 'x' }, { name: 'e', image: 'x' }, { name: 'e', image: 'x' }])))).toEqual([
      ['spec.ephemeralContainers[0].name', 'Duplicate value: "app"'],
      ['spec.ephemeralContainers[1].name', 'Duplicate value: "init"'],
      ['spec.ephemeralContainers[3].name', 'Duplicate value: "e"'],
    ]);
    expect(fields(validateObject('Pod', pod([{ name: 'e' }])))).toEqual([['spec.ephemeralContainers[0].image', 'Required value']]);
    expect(fields(validateObject('Pod', pod([debug({ targetContainerName: 'nope' })])))).toEqual([['spec.ephemeralContainers[0].targetContainerName', 'Not found: "nope"']]);
    expect(validateObject('Pod', pod([debug({ targetContainerName: 'app' })]))).toEqual([]);
    expect(validateObject('Pod', pod([debug({ name: 'e1' }), debug({ name: 'e2', targetContainerName: 'init' })]))).toEqual([]);
    const targetingEphemeral = pod([debug({ name: 'e1' }), debug({ name: 'e2', targetContainerName: 'e1' })]);
    expect(fields(validateObject('Pod', targetingEphemeral))).toEqual([['spec.ephemeralContainers[1].targetContainerName', 'Not found: "e1"']]);
  });

  it('may not have ports, resources, probes, lifecycle, a restart policy or subPath mounts', () => {
    const bad = debug({
      ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } }, resizePolicy: [], restartPolicy: 'Always',
      livenessProbe: { exec: { command: ['true'] } }, readinessProbe: { tcpSocket: { port: 80 } }, startupProbe: { exec: { command: ['true'] } },
      lifecycle: {}, volumeMounts: [{ name: 'v', mountPath: '/v', subPath: 'x' }, { name: 'v', mountPath: '/w', subPathExpr: '$(X)' }],
    });
    const forbidden = 'Forbidden: cannot be set for an Ephemeral Container';
    expect(fields(validateObject('Pod', pod([bad])))).toEqual([
      ['spec.ephemeralContainers[0].ports', forbidden], ['spec.ephemeralContainers[0].resources', forbidden],
      ['spec.ephemeralContainers[0].resizePolicy', forbidden], ['spec.ephemeralContainers[0].restartPolicy', forbidden],
      ['spec.ephemeralContainers[0].livenessProbe', forbidden], ['spec.ephemeralContainers[0].readinessProbe', forbidden],
      ['spec.ephemeralContainers[0].startupProbe', forbidden], ['spec.ephemeralContainers[0].lifecycle', forbidden],
      ['spec.ephemeralContainers[0].volumeMounts[0].subPath', forbidden], ['spec.ephemeralContainers[0].volumeMounts[1].subPathExpr', forbidden],
    ]);
    // kubectl debug sends `resources: {}` (Go's zero struct): that is not "set".
    expect(validateObject('Pod', pod([debug({ resources: {} })]))).toEqual([]);
  });

  it('through the subresource: additions only; existing ones may not be removed or changed', () => {
    const one = pod([debug({ name: 'e1' })]);
    expect(validateUpdate('Pod', pod([debug({ name: 'e1' }), debug({ name: 'e2' })]), one, 'ephemeralcontainers')).toEqual([]);
    expect(fields(validateUpdate('Pod', pod(), one, 'ephemeralcontainers'))).toEqual([['spec.ephemeralContainers', 'Forbidden: existing ephemeral containers "e1" may not be removed\n']]);
    const changed = validateUpdate('Pod', pod([debug({ name: 'e1', image: 'busybox:2' })]), one, 'ephemeralcontainers');
    expect(changed.map((c) => c.field)).toEqual(['spec.ephemeralContainers[e1]']);
    expect(changed[0].message).toMatch(/^Forbidden: existing ephemeral containers "e1" may not be changed\n.*busybox:1[^]*busybox:2/);
  });

  it('a plain update may not add them', () => {
    const causes = validateUpdate('Pod', pod([debug()]), pod());
    expect(causes.map((c) => [c.field, c.reason])).toEqual([['spec', 'FieldValueForbidden']]);
  });
});
