// A CRD with several versions (conversion None) with real kubectl: served versions in discovery with the
// preferred one by Kubernetes' version priority, objects stored in the storage version and read in any
// served one, deprecation warnings (default and declared), status.storedVersions.
import { describe, expect, it } from 'vitest';
import { testClusterAll, waitFor } from '../../helpers/cluster';
import { crdManifest, defineCrd } from '../../helpers/crd';

const c = testClusterAll();

const SCHEMA = '    schema:\n      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}\n';
const crd = (storage: 'v1beta1' | 'v1', alphaWarning = '') => crdManifest({ group: 'versions.example.com', plural: 'robots', kind: 'Robot' }, `  - name: v1beta1
    served: true
    storage: ${storage === 'v1beta1'}
    deprecated: true
${SCHEMA}  - name: v1
    served: true
    storage: ${storage === 'v1'}
${SCHEMA}  - name: v1alpha1
    served: true
    storage: false
    deprecated: true
${alphaWarning}${SCHEMA}  - name: v2alpha1
    served: false
    storage: false
${SCHEMA}`);

const robot = (version: string, name: string) => `apiVersion: versions.example.com/${version}\nkind: Robot\nmetadata: {name: ${name}, namespace: default}\nspec: {arms: 2}\n`;
const storedApiVersion = (name: string) => (JSON.parse(c.core.store.get(`/registry/versions.example.com/robots/default/${name}`)!.value) as { apiVersion: string }).apiVersion;

describe('custom resources in several versions', () => {
  it('serves every served version, prefers the highest, stores in the storage version and reads in any', async () => {
    await defineCrd(c, crd('v1beta1', '    deprecationWarning: "v1alpha1 is gone soon"\n'), 'robots.versions.example.com');
    const versions = (await c.kubectlOk(['api-versions'])).split('\n').filter((l) => l.startsWith('versions.example.com/'));
    expect(versions.sort()).toEqual(['versions.example.com/v1', 'versions.example.com/v1alpha1', 'versions.example.com/v1beta1']);
    const group = JSON.parse(await c.kubectlOk(['get', '--raw', '/apis/versions.example.com'])) as { preferredVersion: { version: string }; versions: Array<{ version: string }> };
    expect(group.preferredVersion.version).toBe('v1');
    expect(group.versions.map((v) => v.version)).toEqual(['v1', 'v1beta1', 'v1alpha1']);
    const unserved = await c.kubectl(['get', '--raw', '/apis/versions.example.com/v2alpha1/robots']);
    expect(unserved.code).not.toBe(0);

    const created = await c.kubectl(['apply', '-f', '-'], { input: robot('v1beta1', 'r1') });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toContain('Warning: versions.example.com/v1beta1 Robot is deprecated; use versions.example.com/v1 Robot');
    expect(storedApiVersion('r1')).toBe('versions.example.com/v1beta1');
    await c.kubectlOk(['apply', '-f', '-'], { input: robot('v1', 'r2') });
    expect(storedApiVersion('r2')).toBe('versions.example.com/v1beta1');

    expect(await c.kubectlOk(['get', 'robots.v1.versions.example.com', 'r1', '-o', 'jsonpath={.apiVersion} {.spec.arms}'])).toBe('versions.example.com/v1 2');
    const old = await c.kubectl(['get', 'robots.v1beta1.versions.example.com', '-o', 'jsonpath={.items[*].apiVersion}']);
    expect(old.stdout).toBe('versions.example.com/v1beta1 versions.example.com/v1beta1');
    expect(old.stderr).toContain('Warning: versions.example.com/v1beta1 Robot is deprecated; use versions.example.com/v1 Robot');
    const alpha = await c.kubectl(['get', 'robots.v1alpha1.versions.example.com', 'r2', '-o', 'jsonpath={.apiVersion}']);
    expect(alpha.stdout).toBe('versions.example.com/v1alpha1');
    expect(alpha.stderr).toContain('Warning: v1alpha1 is gone soon');
    const current = await c.kubectl(['get', 'robots.v1.versions.example.com', 'r2']);
    expect(current.stderr).not.toContain('Warning');
  });

  it('records every storage version in status.storedVersions and stores new writes in the new one', async () => {
    expect(await c.kubectlOk(['get', 'crd', 'robots.versions.example.com', '-o', 'jsonpath={.status.storedVersions}'])).toBe('["v1beta1"]');
    await c.kubectlOk(['apply', '-f', '-'], { input: crd('v1') });
    await waitFor(async () => (await c.kubectlOk(['get', 'crd', 'robots.versions.example.com', '-o', 'jsonpath={.status.storedVersions}'])) === '["v1beta1","v1"]',
      'status.storedVersions to list v1', 10_000);
    await c.kubectlOk(['label', 'robots.v1beta1.versions.example.com', 'r1', 'moved=yes']);
    expect(storedApiVersion('r1')).toBe('versions.example.com/v1');
    expect(storedApiVersion('r2')).toBe('versions.example.com/v1beta1');
  });
});
