// The YAML editor end to end: a real `flotilla serve --nodes 0 --hollow-nodes 2`, Debian's chromium at 1024×700.
// A Deployment's YAML opened from the workloads list, replicas edited, the dry-run's diff, apply (checked through the
// API), schema errors next to their lines (the client's check and the server's own message), field completion, a
// conflict with reload, and a pasted multi-document text whose second document the server refuses in place.
// Screenshots under test-results/ui/yaml-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { KObject } from '../../main/api/types';
import { ensureRendererBuilt, ROOT, startServe } from './support/serve-process';
import type { ServeProcess } from './support/serve-process';
import { explained, launchBrowser, openUi } from './support/browser';
import type { TestBrowser } from './support/browser';
import { waitFor } from '../helpers/cluster';

const SHOTS = path.join(ROOT, 'test-results/ui');
const DEPLOYMENTS = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };
const CONFIGMAPS = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };
const STEP_MS = 30_000;

let serve: ServeProcess;
let browser: TestBrowser;
let page: Page;

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `yaml-${name}.png`) });
const editor = () => page.locator('[data-test=yaml-editor]');
const line = (text: string) => editor().locator('[data-test=yaml-code] .cm-line', { hasText: text });

async function replicas(name: string): Promise<number | undefined> {
  return ((await serve.client.get<KObject>(DEPLOYMENTS, name, 'default')).spec as { replicas?: number }).replicas;
}

/** Replaces a line's text after its indentation (Shift+Home in CodeMirror selects back to it), as a person types. */
async function retype(lineText: string, value: string): Promise<void> {
  await line(lineText).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.insertText(value);
}

async function openDeploymentYaml(name: string): Promise<void> {
  await page.locator(`tr[data-deployment="${name}"] [data-test=edit-yaml]`).click();
  await line('replicas:').waitFor({ timeout: STEP_MS });
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  ensureRendererBuilt();
  serve = await startServe(['--nodes', '0', '--hollow-nodes', '2']);
  browser = await launchBrowser({ width: 1024, height: 700 });
  page = await browser.context.newPage();
  await serve.client.create(DEPLOYMENTS, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'docker.io/flotilla/hello:1' }] } },
    },
  });
  await openUi(page, serve.uiUrl, STEP_MS);
  await page.getByRole('button', { name: 'Workloads', exact: true }).click();
  await page.locator('tr[data-deployment="web"]').waitFor({ timeout: STEP_MS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('the YAML editor', () => {
  it("opens a Deployment's YAML without managedFields, shows the dry-run's diff, and applies the edit", async () => {
    await openDeploymentYaml('web');
    const text = await editor().locator('.cm-content').innerText();
    expect(text).toContain('name: web');
    expect(text).not.toContain('managedFields');
    await shot('01-open');

    await retype('replicas: 1', 'replicas: 3');
    await editor().locator('[data-test=yaml-review]').click();
    const diff = editor().locator('[data-test=yaml-diff]');
    await diff.waitFor({ timeout: STEP_MS });
    expect(await editor().locator('[data-test=yaml-summary]').innerText()).toContain('1 of 1 object changes');
    expect(await diff.locator('.cm-deletedChunk').innerText()).toContain('replicas: 1');
    expect(await diff.locator('.cm-changedLine').innerText()).toContain('replicas: 3');
    expect(await replicas('web')).toBe(1);
    await shot('02-diff');

    await editor().locator('[data-test=yaml-apply]').click();
    await page.locator('[data-test=notice]', { hasText: 'Applied deployment/web' }).waitFor({ timeout: STEP_MS });
    await editor().waitFor({ state: 'detached' });
    expect(await replicas('web')).toBe(3);
    await page.locator('tr[data-deployment="web"] [data-test=replicas]', { hasText: '3' }).waitFor({ timeout: STEP_MS });
    await shot('03-applied');
  });

  it("shows schema errors next to their lines: the schema's check as you type and the server's own message on review", async () => {
    await openDeploymentYaml('web');
    await retype('replicas: 3', 'replicas: "x"');
    // The client's check against the OpenAPI schema, before anything is sent.
    const marked = line('replicas: "x"').locator('.cm-lintRange-error').first();
    await marked.waitFor({ timeout: STEP_MS });
    await editor().locator('[data-test=yaml-review]').click();
    const problems = editor().locator('[data-test=yaml-problems]');
    // The server's words are kube-apiserver's decoding error (encoding/json's), placed at the field they name.
    const problem = problems.locator('li', { hasText: 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32' }).first();
    await explained(browser, () => problem.waitFor({ timeout: STEP_MS }), async () => `the editor: ${await editor().locator('[data-test=yaml-status], [data-test=yaml-problems]').allInnerTexts().then((t) => t.join(' | '))}`);
    const lineNo = await page.evaluate('[...document.querySelectorAll("[data-test=yaml-code] .cm-line")].findIndex((l) => l.textContent.includes("replicas: \\"x\\"")) + 1');
    expect(await problem.innerText(), `all problems: ${(await problems.locator('li').allInnerTexts()).join(' | ')}`).toContain(`Line ${String(lineNo)}`);
    expect(await editor().locator('[data-test=yaml-status]').innerText()).toContain('nothing was applied');
    await marked.hover();
    await page.locator('.cm-tooltip-lint', { hasText: 'cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas' }).first().waitFor({ timeout: STEP_MS });
    await shot('04-schema-error');

    // An unknown field: strict field validation refuses it; it is marked where it is.
    await retype('replicas: "x"', 'replicaz: 2');
    await line('replicaz: 2').locator('.cm-lintRange-error').first().waitFor({ timeout: STEP_MS });
    await editor().locator('[data-test=yaml-review]').click();
    await problems.locator('li', { hasText: 'unknown field "spec.replicaz"' }).first().waitFor({ timeout: STEP_MS });
    expect(await replicas('web')).toBe(3);
    await shot('05-unknown-field');
  });

  it("offers the schema's fields where the cursor is", async () => {
    await retype('replicaz: 2', 'minRead');
    const list = page.locator('.cm-tooltip-autocomplete');
    const option = list.locator('li', { hasText: 'minReadySeconds' });
    await option.waitFor({ timeout: STEP_MS });
    await shot('06-completion');
    // Chosen with the mouse: CodeMirror ignores Enter for 75 ms after the list opens (interactionDelay), which a loaded
    // machine can fall within — the key then starts a new line instead.
    await option.click();
    await line('minReadySeconds: ').waitFor({ timeout: STEP_MS });
    await page.keyboard.insertText('5');
    // Explicitly (Ctrl+Space) on an empty key in a container: a container's fields.
    await line('image: docker.io/flotilla/hello:1').click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Space');
    await list.locator('li', { hasText: 'imagePullPolicy' }).waitFor({ timeout: STEP_MS });
    await page.keyboard.press('Escape');
    await editor().getByRole('button', { name: 'Cancel' }).click();
    await editor().waitFor({ state: 'detached' });
  });

  it('shows a change made meanwhile as a conflict, and reloads', async () => {
    await openDeploymentYaml('web');
    await serve.client.patch(DEPLOYMENTS, 'web', { spec: { replicas: 5 } }, 'merge', { namespace: 'default', fieldManager: 'someone-else' });
    await retype('replicas: 3', 'replicas: 2');
    await editor().locator('[data-test=yaml-review]').click();
    const conflict = editor().locator('[data-test=yaml-conflict]');
    await conflict.waitFor({ timeout: STEP_MS });
    expect(await conflict.innerText()).toMatch(/modified|conflict/i);
    await shot('07-conflict');
    await conflict.locator('[data-test=yaml-reload]').click();
    await line('replicas: 5').waitFor({ timeout: STEP_MS });
    expect(await replicas('web')).toBe(5);
    await editor().getByRole('button', { name: 'Close' }).click();
  });

  it('applies a pasted multi-document text, showing the refused document in its own place', async () => {
    await page.locator('[data-test=apply-yaml]').click();
    await line('kind: ConfigMap').waitFor({ timeout: STEP_MS });
    await editor().locator('.cm-content').click();
    await page.keyboard.press('Control+a');
    const text = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: pasted', 'data:', '  a: "1"', '---', 'apiVersion: apps/v1', 'kind: Deployment',
      'metadata:', '  name: pasted', 'spec:', '  replicas: -1', '  selector:', '    matchLabels: {app: pasted}', '  template:', '    metadata:',
      '      labels: {app: pasted}', '    spec:', '      containers: [{name: c, image: docker.io/flotilla/hello:1}]', ''].join('\n');
    await page.keyboard.insertText(text);
    await editor().locator('[data-test=yaml-review]').click();
    const problems = editor().locator('[data-test=yaml-problems]');
    await problems.locator('li', { hasText: 'spec.replicas: Invalid value: -1: must be greater than or equal to 0' }).waitFor({ timeout: STEP_MS });
    expect(await problems.locator('li').first().innerText()).toContain('Line 13');
    await line('replicas: -1').locator('.cm-lintRange-error').first().waitFor({ timeout: STEP_MS });
    await shot('08-multi-doc-error');
    await expect(serve.client.get(CONFIGMAPS, 'pasted', 'default')).rejects.toThrow(/not found/);

    await retype('replicas: -1', 'replicas: 1');
    await editor().locator('[data-test=yaml-review]').click();
    await editor().locator('[data-test=yaml-diff]').waitFor({ timeout: STEP_MS });
    expect(await editor().locator('[data-test=yaml-summary]').innerText()).toContain('2 of 2 objects change');
    await shot('09-multi-doc-diff');
    await editor().locator('[data-test=yaml-apply]').click();
    await page.locator('[data-test=notice]', { hasText: 'Applied configmap/pasted, deployment/pasted' }).waitFor({ timeout: STEP_MS });
    expect((await serve.client.get<KObject>(CONFIGMAPS, 'pasted', 'default')).data).toEqual({ a: '1' });
    expect(await replicas('pasted')).toBe(1);
    await waitFor(async () => ((await page.locator('tr[data-deployment="pasted"]').count()) === 1 ? true : undefined), 'the new row', STEP_MS, 100);
  });
});
