// The resources CustomResourceDefinitions define, served at once with real kubectl: discovery, CRUD by
// plural and short name, merge and JSON patches, server-side apply, a strategic merge patch refused with
// 415, a watch of custom objects, cluster scope, the status subresource, and objects gone with their CRD.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { KUBECTL, testClusterAll, waitFor } from '../../helpers/cluster';
import { crdManifest, defineCrd, PRESERVE_UNKNOWN_FIELDS, storedVersion } from '../../helpers/crd';

const c = testClusterAll();

const crd = (plural: string, kind: string, scope: string, extra = '') => crdManifest(
  { group: 'stable.example.com', plural, kind, scope, shortNames: [`${plural.slice(0, 2)}x`], categories: ['all'] },
  storedVersion(PRESERVE_UNKNOWN_FIELDS, extra),
);

describe('custom resources', () => {
  it('serves a namespaced resource at once: discovery, create, get, patch, apply, watch, delete', async () => {
    await defineCrd(c, crd('crontabs', 'CronTab', 'Namespaced', '    subresources:\n      status: {}\n'), 'crontabs.stable.example.com');
    const resources = await c.kubectlOk(['api-resources', '--api-group=stable.example.com']);
    expect(resources).toMatch(/crontabs\s+crx\s+stable\.example\.com\/v1\s+true\s+CronTab/);

    const watch = spawn(KUBECTL, ['get', 'crontabs', '-n', 'default', '--watch', '-o', 'name'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', KUBECONFIG: c.core.kubeconfigPath, HOME: `${c.dir}/home` },
    });
    let seen = '';
    watch.stdout.on('data', (d: Buffer) => (seen += d.toString()));
    try {
      const obj = 'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: nightly\n  namespace: default\nspec:\n  cronSpec: "* * * * */5"\n';
      await c.kubectlOk(['apply', '-f', '-'], { input: obj });
      await waitFor(() => seen.includes('crontab.stable.example.com/nightly'), 'the watch to report the new CronTab', 15_000);
    } finally {
      watch.kill('SIGTERM');
    }
    expect(await c.kubectlOk(['get', 'crx', 'nightly', '-o', 'jsonpath={.spec.cronSpec} {.metadata.generation}'])).toBe('* * * * */5 1');
    await c.kubectlOk(['patch', 'crontab', 'nightly', '--type=merge', '-p', '{"spec":{"image":"busybox"}}']);
    await c.kubectlOk(['patch', 'crontab', 'nightly', '--type=json', '-p', '[{"op":"replace","path":"/spec/cronSpec","value":"0 1 * * *"}]']);
    expect(await c.kubectlOk(['get', 'crontab', 'nightly', '-o', 'jsonpath={.spec.cronSpec} {.spec.image} {.metadata.generation}'])).toBe('0 1 * * * busybox 3');
    const strategic = await c.kubectl(['patch', 'crontab', 'nightly', '--type=strategic', '-p', '{"spec":{"x":1}}']);
    expect(strategic.code).not.toBe(0);
    expect(strategic.stderr).toContain('the body of the request was in an unknown format - accepted media types include: '
      + 'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
    await c.kubectlOk(['apply', '--server-side', '-f', '-'], {
      input: 'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: ssa\n  namespace: default\nspec:\n  replicas: 2\n',
    });
    expect(await c.kubectlOk(['get', 'crontabs', '-o', 'name'])).toBe('crontab.stable.example.com/nightly\ncrontab.stable.example.com/ssa\n');
    // A main-resource write does not change status; the status subresource does.
    await c.kubectlOk(['patch', 'crontab', 'ssa', '--type=merge', '-p', '{"status":{"ready":true}}']);
    expect(await c.kubectlOk(['get', 'crontab', 'ssa', '-o', 'jsonpath={.status}'])).toBe('');
    await c.kubectlOk(['patch', 'crontab', 'ssa', '--subresource=status', '--type=merge', '-p', '{"status":{"ready":true}}']);
    expect(await c.kubectlOk(['get', 'crontab', 'ssa', '-o', 'jsonpath={.status.ready}'])).toBe('true');
    await c.kubectlOk(['delete', 'crontab', 'nightly']);
    expect(await c.kubectlOk(['get', 'crontabs', '-o', 'name'])).toBe('crontab.stable.example.com/ssa\n');
  });

  it('serves cluster scope, and a deleted CRD takes its objects and its resource with it', async () => {
    await defineCrd(c, crd('planets', 'Planet', 'Cluster'), 'planets.stable.example.com');
    await c.kubectlOk(['apply', '-f', '-'], { input: 'apiVersion: stable.example.com/v1\nkind: Planet\nmetadata:\n  name: earth\nspec:\n  moons: 1\n' });
    expect(await c.kubectlOk(['get', 'planets', 'earth', '-o', 'jsonpath={.spec.moons} {.metadata.namespace}'])).toBe('1 ');
    await c.kubectlOk(['delete', 'crd', 'planets.stable.example.com']);
    await waitFor(() => c.core.store.list('/registry/stable.example.com/planets/').items.length === 0, 'the planets to be deleted', 10_000);
    const gone = await c.kubectl(['get', '--raw', '/apis/stable.example.com/v1/planets']);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('NotFound');
  });
});

describe('custom objects against the schema', () => {
  it('refuses what the structural schema refuses, with Kubernetes messages', async () => {
    const schemaCrd = crdManifest({ group: 'stable.example.com', plural: 'boxes', kind: 'Box' }, storedVersion(`        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: {type: integer, minimum: 1, maximum: 10}
              color: {type: string, enum: [red, blue]}
              label: {type: string, pattern: '^[a-z]+$', maxLength: 5}
`));
    await defineCrd(c, schemaCrd, 'boxes.stable.example.com');
    const box = (spec: string) => `apiVersion: stable.example.com/v1\nkind: Box\nmetadata:\n  name: b\n  namespace: default\nspec:\n${spec}`;
    const cases: Array<[string, string]> = [
      ['  color: red\n', 'The Box "b" is invalid: spec.size: Required value'],
      ['  size: "big"\n', 'spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"'],
      ['  size: 11\n', 'spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10'],
      ['  size: 0\n', 'spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1'],
      ['  size: 2\n  color: pink\n', 'spec.color: Unsupported value: "pink": supported values: "red", "blue"'],
      ['  size: 2\n  label: "AB"\n', 'spec.label: Invalid value: "AB": spec.label in body should match \'^[a-z]+$\''],
      ['  size: 2\n  label: abcdefg\n', 'spec.label: Too long: may not be more than 5 bytes'],
    ];
    for (const [spec, message] of cases) {
      const r = await c.kubectl(['apply', '-f', '-'], { input: box(spec) });
      expect(r.code, spec).not.toBe(0);
      expect(r.stderr).toContain(message);
    }
    await c.kubectlOk(['apply', '-f', '-'], { input: box('  size: 3\n  color: blue\n') });
    expect(await c.kubectlOk(['get', 'box', 'b', '-o', 'jsonpath={.spec.size}'])).toBe('3');
  });
});
