// The status and scale subresources of custom resources with real kubectl: status ignored on main-resource
// writes and everything but status ignored on /status; generation counting non-status changes (every
// non-metadata change without a status subresource); `kubectl scale` through the version's scale paths.
import { describe, expect, it } from 'vitest';
import { testClusterAll } from '../../helpers/cluster';
import { crdManifest, defineCrd, PRESERVE_UNKNOWN_FIELDS, storedVersion } from '../../helpers/crd';

const c = testClusterAll();

const crd = (plural: string, kind: string, subresources: string) =>
  crdManifest({ group: 'sub.example.com', plural, kind }, storedVersion(PRESERVE_UNKNOWN_FIELDS, subresources));

const SCALED = `    subresources:
      status: {}
      scale: {specReplicasPath: .spec.size.replicas, statusReplicasPath: .status.ready, labelSelectorPath: .status.selector}
`;

const get = (kind: string, name: string, path: string) => c.kubectlOk(['get', kind, name, '-o', `jsonpath=${path}`]);

describe('status and scale subresources of custom resources', () => {
  it('keeps status to /status and spec to the main resource, counting generations of spec changes', async () => {
    await defineCrd(c, crd('pools', 'Pool', SCALED), 'pools.sub.example.com');
    await c.kubectlOk(['create', '-f', '-'], {
      input: 'apiVersion: sub.example.com/v1\nkind: Pool\nmetadata: {name: p, namespace: default}\nspec: {size: {replicas: 2}}\nstatus: {ready: 9}\n',
    });
    expect(await get('pool', 'p', '{.status} {.metadata.generation}')).toBe(' 1');
    await c.kubectlOk(['patch', 'pool', 'p', '--type=merge', '-p', '{"status":{"ready":1}}']);
    expect(await get('pool', 'p', '{.status} {.metadata.generation}')).toBe(' 1');
    await c.kubectlOk(['patch', 'pool', 'p', '--subresource=status', '--type=merge', '-p', '{"spec":{"size":{"replicas":7}},"status":{"ready":1,"selector":"app=p"}}']);
    expect(await get('pool', 'p', '{.spec.size.replicas} {.status.ready} {.status.selector} {.metadata.generation}')).toBe('2 1 app=p 1');
    await c.kubectlOk(['label', 'pool', 'p', 'tier=a']);
    expect(await get('pool', 'p', '{.metadata.generation}')).toBe('1');
    await c.kubectlOk(['patch', 'pool', 'p', '--type=merge', '-p', '{"spec":{"paused":true}}']);
    expect(await get('pool', 'p', '{.metadata.generation}')).toBe('2');
  });

  it('scales through the scale paths with kubectl scale, and refuses negative replicas', async () => {
    const scale = JSON.parse(await c.kubectlOk(['get', 'pool', 'p', '--subresource=scale', '-o', 'json'])) as Record<string, unknown>;
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { replicas: 1, selector: 'app=p' } });
    expect(await c.kubectlOk(['scale', 'pool', 'p', '--replicas=5'])).toContain('pool.sub.example.com/p scaled');
    expect(await get('pool', 'p', '{.spec.size.replicas} {.metadata.generation} {.status.ready}')).toBe('5 3 1');
    const bad = await c.kubectl(['patch', 'pool', 'p', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":-1}}']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  });

  it('counts status changes in the generation when there is no status subresource', async () => {
    await defineCrd(c, crd('tanks', 'Tank', ''), 'tanks.sub.example.com');
    await c.kubectlOk(['create', '-f', '-'], { input: 'apiVersion: sub.example.com/v1\nkind: Tank\nmetadata: {name: t, namespace: default}\nstatus: {level: 1}\n' });
    expect(await get('tank', 't', '{.status.level} {.metadata.generation}')).toBe('1 1');
    await c.kubectlOk(['patch', 'tank', 't', '--type=merge', '-p', '{"status":{"level":2}}']);
    expect(await get('tank', 't', '{.status.level} {.metadata.generation}')).toBe('2 2');
    const noScale = await c.kubectl(['scale', 'tank', 't', '--replicas=2']);
    expect(noScale.code).not.toBe(0);
    expect(noScale.stderr).toContain('NotFound');
  });

  it('refuses scale paths outside spec and status', async () => {
    const r = await c.kubectl(['apply', '-f', '-'], {
      input: crd('bads', 'Bad', '    subresources:\n      scale: {specReplicasPath: .replicas, statusReplicasPath: status.ready, labelSelectorPath: .sel}\n'),
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('spec.versions[0].subresources.scale.specReplicasPath: Invalid value: ".replicas": should be a json path under .spec');
    expect(r.stderr).toContain('spec.versions[0].subresources.scale.statusReplicasPath: Invalid value: "status.ready": must be a simple json path starting with .');
    expect(r.stderr).toContain('spec.versions[0].subresources.scale.labelSelectorPath: Invalid value: ".sel": should be a json path under either .spec or .status');
    const missing = await c.kubectl(['apply', '-f', '-'], { input: crd('bads', 'Bad', '    subresources:\n      scale: {statusReplicasPath: .status.ready}\n') });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('spec.versions[0].subresources.scale.specReplicasPath: Required value');
  });
});
