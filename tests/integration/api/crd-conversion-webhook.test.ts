// A CRD whose versions convert through a conversion webhook (spec.conversion.strategy Webhook), with real kubectl and a
// real HTTPS webhook on loopback: v1 stores `spec.size`, v2 shows it as `spec.replicas`. Writes in v2 are stored in v1
// by the webhook, reads, lists (one review for the items), tables, patches and watches in v2 come back through it,
// and each way it can fail is a 500 in kube-apiserver's words. The CRD's conversion settings are validated as
// apiextensions validates them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { crdManifest, defineCrd } from '../../helpers/crd';
import { startConversionWebhook, type ConversionWebhook } from '../../helpers/conversion-webhook';
import { rawWatch } from '../../helpers/raw-watch';

const GROUP = 'conv.flotilla.test';
let c: TestCluster;
let hook: ConversionWebhook;

/** v1 ⇄ v2: spec.size ⇄ spec.replicas; a v2 object also gets a label saying it was converted. */
function convert(obj: Record<string, unknown>, desired: string): Record<string, unknown> {
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const meta = (obj.metadata ?? {}) as { labels?: Record<string, string> };
  if (desired === `${GROUP}/v2`) {
    const { size, ...rest } = spec;
    return { ...obj, apiVersion: desired, spec: { ...rest, replicas: size }, metadata: { ...meta, labels: { ...meta.labels, converted: 'v2' } } };
  }
  const { replicas, ...rest } = spec;
  const labels = { ...meta.labels };
  delete labels.converted;
  return { ...obj, apiVersion: desired, spec: { ...rest, size: replicas }, metadata: { ...meta, labels } };
}

const versions = (schemaField: string, column: string) => `    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              ${schemaField}: {type: integer, minimum: 0}
              colour: {type: string}
    additionalPrinterColumns:
    - {name: ${column}, type: integer, jsonPath: .spec.${schemaField}}
`;

function crd(conversion: string): string {
  return crdManifest({ group: GROUP, plural: 'widgets', kind: 'Widget' }, `  - name: v1
    served: true
    storage: true
${versions('size', 'Size')}  - name: v2
    served: true
    storage: false
${versions('replicas', 'Replicas')}  conversion:
${conversion}`);
}

const webhookConversion = () => `    strategy: Webhook
    webhook:
      conversionReviewVersions: [v1]
      clientConfig: {url: "${hook.url('/convert')}", caBundle: ${hook.caBundle}}
`;

const widget = (version: string, name: string, field: string, n: number) =>
  `apiVersion: ${GROUP}/${version}\nkind: Widget\nmetadata: {name: ${name}, namespace: default}\nspec: {${field}: ${n}, colour: blue}\n`;

async function jsonpath(resource: string, name: string, path: string): Promise<string> {
  return c.kubectlOk(['get', resource, name, '-o', `jsonpath=${path}`]);
}

beforeAll(async () => {
  c = await startTestCluster();
  hook = await startConversionWebhook(convert);
  await defineCrd(c, crd(webhookConversion()), `widgets.${GROUP}`);
}, 60_000);

afterAll(async () => {
  await hook?.stop();
  await c?.stop();
});

describe('CRD conversion webhooks', () => {
  it('stores a v2 write in v1 through the webhook and answers in the version asked for', async () => {
    expect(await c.kubectlOk(['apply', '-f', '-'], { input: widget('v2', 'w1', 'replicas', 3) })).toContain(`widget.${GROUP}/w1 created`);
    // The create's review asked for the storage version, with the one object as the request sent it.
    const toStorage = hook.reviews.find((r) => r.desiredAPIVersion === `${GROUP}/v1`);
    expect(toStorage?.objects).toHaveLength(1);
    expect(toStorage?.objects[0]).toMatchObject({ apiVersion: `${GROUP}/v2`, spec: { replicas: 3, colour: 'blue' } });
    expect(await jsonpath(`widgets.v1.${GROUP}`, 'w1', '{.apiVersion} {.spec.size} {.spec.replicas}')).toBe(`${GROUP}/v1 3 `);
    expect(await jsonpath(`widgets.v2.${GROUP}`, 'w1', '{.apiVersion} {.spec.replicas} {.metadata.labels.converted}')).toBe(`${GROUP}/v2 3 v2`);
    // Tables take the requested version's printer columns (no AGE: the CRD lists its own), from the converted object.
    expect((await c.kubectlOk(['get', `widgets.v2.${GROUP}`])).split('\n')[0]).toMatch(/^NAME\s+REPLICAS$/);
    expect((await c.kubectlOk(['get', `widgets.v2.${GROUP}`, 'w1'])).split('\n')[1]).toMatch(/^w1\s+3$/);
    expect((await c.kubectlOk(['get', `widgets.v1.${GROUP}`, 'w1'])).split('\n')).toEqual([expect.stringMatching(/^NAME\s+SIZE$/), expect.stringMatching(/^w1\s+3$/), '']);
  });

  it('converts a list\'s items in one review, only those in another version', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: widget('v1', 'w2', 'size', 4) + '---\n' + widget('v1', 'w3', 'size', 5) });
    const before = hook.reviews.length;
    const list = JSON.parse(await c.kubectlOk(['get', `widgets.v2.${GROUP}`, '-o', 'json'])) as { items: Array<{ apiVersion: string; spec: { replicas?: number } }> };
    expect(list.items.map((i) => [i.apiVersion, i.spec.replicas])).toEqual([[`${GROUP}/v2`, 3], [`${GROUP}/v2`, 4], [`${GROUP}/v2`, 5]]);
    const reviews = hook.reviews.slice(before);
    expect(reviews).toHaveLength(1);
    expect(reviews[0].desiredAPIVersion).toBe(`${GROUP}/v2`);
    expect(reviews[0].objects.map((o) => (o.metadata as { name: string }).name)).toEqual(['w1', 'w2', 'w3']);
    // The storage version needs no conversion: no review.
    await c.kubectlOk(['get', `widgets.v1.${GROUP}`, '-o', 'json']);
    expect(hook.reviews.length).toBe(before + 1);
  });

  it('patches and applies in v2 (converted both ways), and validates a v2 body by the v2 schema', async () => {
    expect(await c.kubectlOk(['patch', `widgets.v2.${GROUP}`, 'w1', '--type=merge', '-p', '{"spec":{"replicas":7}}'])).toContain('patched');
    expect(await jsonpath(`widgets.v1.${GROUP}`, 'w1', '{.spec.size}')).toBe('7');
    expect(await c.kubectlOk(['apply', '--server-side', '-f', '-'], { input: widget('v2', 'w4', 'replicas', 2) })).toContain('serverside-applied');
    expect(await jsonpath(`widgets.v1.${GROUP}`, 'w4', '{.spec.size}')).toBe('2');
    const bad = await c.kubectl(['apply', '-f', '-'], { input: widget('v2', 'w5', 'replicas', -1) });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('The Widget "w5" is invalid: spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0');
  });

  it('watches in v2: each event converted, in order', async () => {
    const w = rawWatch(c, `/apis/${GROUP}/v2/namespaces/default/widgets?watch=true&fieldSelector=metadata.name%3Dw2`);
    try {
      expect((await w.response).code).toBe(200);
      await waitFor(() => w.events.length >= 1, 'the watch\'s ADDED event', 10_000);
      await c.kubectlOk(['patch', `widgets.v1.${GROUP}`, 'w2', '--type=merge', '-p', '{"spec":{"size":8}}']);
      await c.kubectlOk(['patch', `widgets.v1.${GROUP}`, 'w2', '--type=merge', '-p', '{"spec":{"size":9}}']);
      await waitFor(() => w.events.length >= 3, 'both MODIFIED events', 10_000);
      const seen = w.events.map((e) => [e.type, e.object.apiVersion, (e.object as { spec?: { replicas?: number } }).spec?.replicas]);
      expect(seen).toEqual([['ADDED', `${GROUP}/v2`, 4], ['MODIFIED', `${GROUP}/v2`, 8], ['MODIFIED', `${GROUP}/v2`, 9]]);
    } finally {
      w.close();
    }
  });

  it('answers every way the webhook can fail with a 500 in kube-apiserver\'s words, and the storage version still reads', async () => {
    const src = `${GROUP}/v1, Kind=Widget`;
    const get = () => c.kubectl(['get', `widgets.v2.${GROUP}`, 'w1', '-o', 'name']);
    const failures: Array<[typeof hook.mode, string]> = [
      ['fail', `conversion webhook for ${src} failed: widgets cannot be converted today`],
      ['wrong-uid', `conversion webhook for ${src} failed: expected response.uid=`],
      ['rename', `conversion webhook for ${src} returned invalid object: must have the same name: w1 != another`],
      ['stale-version', `conversion webhook for ${src} returned invalid object at index 0: invalid groupVersion (expected ${GROUP}/v2, received ${GROUP}/v1)`],
    ];
    try {
      for (const [mode, message] of failures) {
        hook.mode = mode;
        const r = await get();
        expect(r.code, mode).not.toBe(0);
        expect(r.stderr, mode).toContain(`Error from server (InternalError): Internal error occurred: ${message}`);
      }
      // A write that needs converting fails the same way, and nothing is stored.
      hook.mode = 'fail';
      const create = await c.kubectl(['create', '-f', '-'], { input: widget('v2', 'w6', 'replicas', 1) });
      expect(create.stderr).toContain(`Internal error occurred: conversion webhook for ${GROUP}/v2, Kind=Widget failed: widgets cannot be converted today`);
      expect((await c.kubectl(['get', `widgets.v1.${GROUP}`, 'w6'])).stderr).toContain('NotFound');
      // Reads in the storage version need no webhook.
      expect(await jsonpath(`widgets.v1.${GROUP}`, 'w1', '{.spec.size}')).toBe('7');
    } finally {
      hook.mode = 'ok';
    }
    // Nothing listening: Go's dial error, with the URL kube-apiserver posts to.
    const down = await startConversionWebhook(convert);
    const url = down.url('/convert');
    await down.stop();
    await c.kubectlOk(['patch', `crd/widgets.${GROUP}`, '--type=merge', '-p', JSON.stringify({ spec: { conversion: { webhook: { clientConfig: { url } } } } })]);
    try {
      await waitFor(async () => (await get()).stderr.includes('connection refused'), 'the webhook\'s new URL in use', 10_000);
      const port = new URL(url).port;
      expect((await get()).stderr).toContain(`Internal error occurred: conversion webhook for ${src} failed: Post "${url}?timeout=30s": dial tcp 127.0.0.1:${port}: connect: connection refused`);
    } finally {
      await c.kubectlOk(['patch', `crd/widgets.${GROUP}`, '--type=merge', '-p', JSON.stringify({ spec: { conversion: { webhook: { clientConfig: { url: hook.url('/convert') } } } } })]);
    }
    await waitFor(async () => (await get()).code === 0, 'conversions through the webhook again', 10_000);
  });

  it('deletes through any version: a finalizer held through a namespace\'s deletion, removed in v2, the object stored in v1 throughout', async () => {
    await c.kubectlOk(['create', 'namespace', 'conv']);
    await c.kubectlOk(['apply', '-f', '-'], { input: widget('v2', 'held', 'replicas', 1).replace('namespace: default}', 'namespace: conv, finalizers: [conv.flotilla.test/hold]}') });
    await c.kubectlOk(['delete', 'namespace', 'conv', '--wait=false']);
    const held = (path: string) => c.kubectlOk(['get', `widgets.v2.${GROUP}`, 'held', '-n', 'conv', '-o', `jsonpath=${path}`]);
    await waitFor(async () => (await held('{.metadata.deletionTimestamp}')) !== '', 'the widget marked for deletion');
    expect(await held('{.apiVersion} {.spec.replicas}')).toBe(`${GROUP}/v2 1`);
    expect(await c.kubectlOk(['get', `widgets.v1.${GROUP}`, 'held', '-n', 'conv', '-o', 'jsonpath={.apiVersion} {.spec.size}'])).toBe(`${GROUP}/v1 1`);
    await c.kubectlOk(['patch', `widgets.v2.${GROUP}`, 'held', '-n', 'conv', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
    await waitFor(async () => (await c.kubectl(['get', 'namespace', 'conv'])).code !== 0, 'the namespace gone', 30_000);
    expect(await c.kubectlOk(['delete', `widgets.v2.${GROUP}`, 'w4'])).toContain(`widget.${GROUP} "w4" deleted`);
  });

  it('lets the garbage collector finish a foreground deletion of a widget with a dependent', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: widget('v2', 'owner', 'replicas', 1) });
    const uid = await jsonpath(`widgets.v1.${GROUP}`, 'owner', '{.metadata.uid}');
    await c.kubectlOk(['apply', '-f', '-'], { input: JSON.stringify({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owned', namespace: 'default', ownerReferences: [{ apiVersion: `${GROUP}/v2`, kind: 'Widget', name: 'owner', uid, blockOwnerDeletion: true }] },
    }) });
    await c.kubectlOk(['delete', `widgets.v2.${GROUP}`, 'owner', '--cascade=foreground', '--wait=false']);
    await waitFor(async () => (await c.kubectl(['get', `widgets.v1.${GROUP}`, 'owner'])).code !== 0, 'the owner gone', 30_000);
    expect((await c.kubectl(['get', 'configmap', 'owned'])).stderr).toContain('NotFound');
    // The controllers wrote the stored widget back in its own version, never relabelled.
    expect(c.logs.join('\n')).not.toContain('must be converted');
  });

  it('validates spec.conversion as apiextensions does', async () => {
    const refused = async (conversion: string) => {
      const r = await c.kubectl(['apply', '-f', '-'], { input: crdManifest({ group: 'bad.flotilla.test', plural: 'gadgets', kind: 'Gadget' }, `  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object}}
  conversion:
${conversion}`) });
      expect(r.code).not.toBe(0);
      return r.stderr;
    };
    const missing = await refused('    strategy: Webhook\n');
    expect(missing).toContain('spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook');
    expect(missing).toContain('spec.conversion.conversionReviewVersions: Required value');
    expect(await refused('    strategy: Sometimes\n')).toContain('spec.conversion.strategy: Unsupported value: "Sometimes": supported values: "None", "Webhook"');
    expect(await refused('    strategy: None\n    webhook: {conversionReviewVersions: [v1], clientConfig: {url: "https://127.0.0.1/x"}}\n'))
      .toContain('spec.conversion.webhookClientConfig: Forbidden: should not be set when strategy is not set to Webhook');
    const versions = await refused('    strategy: Webhook\n    webhook: {conversionReviewVersions: [v2, v2], clientConfig: {url: "http://127.0.0.1/x"}}\n');
    expect(versions).toContain('spec.conversion.webhookClientConfig.url: Invalid value: "http": \'https\' is the only allowed URL scheme; desired format: https://host[/path]');
    expect(versions).toContain('spec.conversion.conversionReviewVersions[1]: Invalid value: "v2": duplicate version');
    expect(versions).toContain('spec.conversion.conversionReviewVersions: Invalid value: []string{"v2", "v2"}: must include at least one of v1, v1beta1');
  });
});
