// Pod volume and volume mount validation with Kubernetes' field paths and messages (ValidateVolumes,
// validateVolumeSource, ValidateVolumeMounts).
import { describe, expect, it } from 'vitest';
import { invalidMessage, validateObject } from '../../../main/api/validation';
import { c, pod, podCauses as pick } from './pod-fixture';

const MODE = 'must be a number between 0 and 0777 (octal), both inclusive';

describe('pod volumes', () => {
  it('a mount naming no volume is 422 with Kubernetes\' message', () => {
    const p = pod({ containers: [c({ volumeMounts: [{ name: 'x', mountPath: '/x' }] })] });
    expect(invalidMessage('Pod', '', 'web', validateObject('Pod', p))).toBe('Pod "web" is invalid: spec.containers[0].volumeMounts[0].name: Not found: "x"');
    expect(pick({ containers: [c()], initContainers: [c({ name: 'i', volumeMounts: [{ name: 'y', mountPath: '/y' }] })] }))
      .toEqual([['spec.initContainers[0].volumeMounts[0].name', 'Not found: "y"']]);
  });

  it('a valid pod with every volume type the agent mounts passes', () => {
    expect(pick({
      volumes: [
        { name: 'cfg', configMap: { name: 'cm', items: [{ key: 'k', path: 'a/b', mode: 0o400 }], defaultMode: 0o644 } },
        { name: 'sec', secret: { secretName: 's', defaultMode: 0o400 } },
        { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'cpu', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu' } }] } },
        { name: 'all', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }, { configMap: { name: 'cm' } }] } },
        { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
        { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
      ],
      containers: [c({ volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }, { name: 'tmp', mountPath: '/tmp', subPathExpr: '$(POD)' }, { name: 'host', mountPath: '/h', mountPropagation: 'HostToContainer' }] })],
    })).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, Array<[string, string]>]>([
    ['two volume types', { volumes: [{ name: 'v', emptyDir: {}, hostPath: { path: '/x' } }] }, [['spec.volumes[0].emptyDir', 'Forbidden: may not specify more than 1 volume type']]],
    ['duplicate names', { volumes: [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }] }, [['spec.volumes[1].name', 'Duplicate value: "v"']]],
    ['configMap without name, bad modes, bad item path', { volumes: [{ name: 'v', configMap: { defaultMode: 0o1000, items: [{ key: 'k', path: '../x', mode: -1 }] } }] }, [
      ['spec.volumes[0].configMap.name', 'Required value'], ['spec.volumes[0].configMap.defaultMode', `Invalid value: 512: ${MODE}`],
      ['spec.volumes[0].configMap.items[0].path', 'Invalid value: "../x": must not contain \'..\''],
      ['spec.volumes[0].configMap.items[0].path', 'Invalid value: "../x": must not start with \'..\''],
      ['spec.volumes[0].configMap.items[0].mode', `Invalid value: -1: ${MODE}`],
    ]],
    ['secret without secretName, item without key', { volumes: [{ name: 'v', secret: { items: [{ path: 'p' }] } }] }, [
      ['spec.volumes[0].secret.secretName', 'Required value'], ['spec.volumes[0].secret.items[0].key', 'Required value'],
    ]],
    ['hostPath type', { volumes: [{ name: 'v', hostPath: { path: '/x', type: 'Dir' } }] }, [
      ['spec.volumes[0].hostPath.type', 'Unsupported value: "Dir": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"'],
    ]],
    ['downwardAPI field not for volumes', { volumes: [{ name: 'v', downwardAPI: { items: [{ path: 'ip', fieldRef: { fieldPath: 'status.podIP' } }] } }] }, [
      ['spec.volumes[0].downwardAPI.items[0].fieldRef.fieldPath', 'Unsupported value: "status.podIP": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"'],
    ]],
    ['projected token too short, duplicate paths', { volumes: [{ name: 'v', projected: { sources: [{ serviceAccountToken: { path: 't', expirationSeconds: 60 } }, { configMap: { name: 'cm', items: [{ key: 'k', path: 't' }] } }] } }] }, [
      ['spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds', 'Invalid value: 60: may not specify a duration less than 10 minutes'],
      ['spec.volumes[0].projected', 'Invalid value: "cm": conflicting duplicate paths'],
    ]],
    ['claim without name', { volumes: [{ name: 'v', persistentVolumeClaim: {} }] }, [['spec.volumes[0].persistentVolumeClaim.claimName', 'Required value']]],
    ['ephemeral volume without a claim template', { volumes: [{ name: 'v', ephemeral: {} }] }, [['spec.volumes[0].ephemeral.volumeClaimTemplate', 'Required value']]],
    ['ephemeral volume whose claim template has no access mode or size', { volumes: [{ name: 'v', ephemeral: { volumeClaimTemplate: { spec: {} } } }] }, [
      ['spec.volumes[0].ephemeral.volumeClaimTemplate.spec.accessModes', 'Required value: at least 1 access mode is required'],
      ['spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources[storage]', 'Required value'],
    ]],
  ])('volume: %s', (_name, spec, want) => {
    expect(pick({ containers: [c()], ...spec })).toEqual(want);
  });

  it.each<[string, Array<Record<string, unknown>>, Record<string, unknown>, Array<[string, string]>]>([
    ['mountPath twice', [{ name: 'v', mountPath: '/a' }, { name: 'v', mountPath: '/a' }], {}, [['spec.containers[0].volumeMounts[1].mountPath', 'Invalid value: "/a": must be unique']]],
    ['absolute subPath', [{ name: 'v', mountPath: '/a', subPath: '/etc' }], {}, [['spec.containers[0].volumeMounts.subPath', 'Invalid value: "/etc": must be a relative path']]],
    ['subPath and subPathExpr', [{ name: 'v', mountPath: '/a', subPath: 'x', subPathExpr: 'y' }], {}, [['spec.containers[0].volumeMounts[0].subPathExpr', 'Invalid value: "y": subPathExpr and subPath are mutually exclusive']]],
    ['subPathExpr with ..', [{ name: 'v', mountPath: '/a', subPathExpr: '$(X)/../..' }], {}, [['spec.containers[0].volumeMounts.subPathExpr', 'Invalid value: "$(X)/../..": must not contain \'..\'']]],
    ['unknown propagation', [{ name: 'v', mountPath: '/a', mountPropagation: 'Sideways' }], {}, [['spec.containers[0].volumeMounts.mountPropagation', 'Unsupported value: "Sideways": supported values: "Bidirectional", "HostToContainer", "None"']]],
    ['Bidirectional unprivileged', [{ name: 'v', mountPath: '/a', mountPropagation: 'Bidirectional' }], {}, [['spec.containers[0].volumeMounts.mountPropagation', 'Forbidden: Bidirectional mount propagation is available only to privileged containers']]],
    ['Bidirectional privileged', [{ name: 'v', mountPath: '/a', mountPropagation: 'Bidirectional' }], { securityContext: { privileged: true } }, []],
  ])('mount: %s', (_name, volumeMounts, extra, want) => {
    expect(pick({ volumes: [{ name: 'v', emptyDir: {} }], containers: [c({ volumeMounts, ...extra })] })).toEqual(want);
  });
});
