// The OpenAPI documents with real clients: kubectl explain on built-in kinds (v3 documents with real schemas) and
// on a custom kind (its CRD's openAPIV3Schema, refetched when the CRD changes), kubectl apply's strategic merge
// patch computed from the v3 schema's merge keys, server-side strict field validation, Debian's python3-kubernetes
// reading /openapi/v2, kubectl's client-side validation from the protobuf /openapi/v2, and curl's content negotiation
// and ETag revalidation.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testClusterAll, waitFor } from '../../helpers/cluster';
import { crdManifest, defineCrd, storedVersion } from '../../helpers/crd';
import { deploymentManifest } from '../../helpers/manifests';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, '..', '..', 'fixtures', 'python', 'openapi_v2.py');

const c = testClusterAll();

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { PATH: '/usr/bin:/bin', HOME: c.dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** curl against the API server as the admin: `-sS -D -` so the status line and headers come first. */
function curl(urlPath: string, headers: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const ca = path.join(c.dir, 'ca.crt');
  fs.writeFileSync(ca, c.core.caCertPem);
  const args = ['-sS', '-D', '-', '-o', path.join(c.dir, 'body'), '--cacert', ca, '-H', `Authorization: Bearer ${c.core.auth.adminToken}`];
  for (const h of headers) args.push('-H', h);
  return run('/usr/bin/curl', [...args, `${c.core.api.url}${urlPath}`]);
}

/** Deployment web (app=web) with containers web (this image) and side; `spec` adds fields to its spec, unknown ones too. */
const deployment = (image: string, spec: Record<string, unknown> = {}) => JSON.stringify(deploymentManifest('web', 1, image, {
  template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }, { name: 'side', image: 'busybox' }] } },
  ...spec,
}));

const crontabs = (extraField = '') => crdManifest({ group: 'stable.example.com', plural: 'crontabs', kind: 'CronTab' }, storedVersion(`        description: CronTab runs a command on a schedule.
        type: object
        properties:
          spec:
            description: What to run and when.
            type: object
            required: [cronSpec]
            properties:
              cronSpec: {type: string, description: The schedule in cron format.}
              replicas: {type: integer, minimum: 1}
${extraField}`));

describe('OpenAPI', () => {
  it('kubectl explain deployment.spec.strategy shows the field, its type, enum and description', async () => {
    const out = await c.kubectlOk(['explain', 'deployment.spec.strategy']);
    expect(out).toMatch(/^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n/);
    expect(out).toContain('FIELD: strategy <DeploymentStrategy>');
    expect(out).toContain('The deployment strategy to use to replace existing pods with new ones.');
    expect(out).toMatch(/rollingUpdate\t<RollingUpdateDeployment>\n\s+Rolling update config params\. Present only if DeploymentStrategyType =/);
    expect(out).toMatch(/type\t<string>\n\s+enum: Recreate, RollingUpdate\n/);
    expect(out).toContain(' - `"Recreate"` Kill all existing pods before creating new ones.');
  });

  it('kubectl explain pods.spec.containers --recursive walks the whole Container schema', async () => {
    const out = await c.kubectlOk(['explain', 'pods.spec.containers', '--recursive']);
    expect(out).toContain('FIELD: containers <[]Container>');
    for (const line of [
      /^ {2}name\t<string> -required-$/m, /^ {2}ports\t<\[\]ContainerPort>$/m, /^ {4}containerPort\t<integer> -required-$/m,
      /^ {4}protocol\t<string>\n {4}enum: SCTP, TCP, UDP$/m, /^ {4}limits\t<map\[string\]Quantity>$/m, /^ {2}imagePullPolicy\t<string>$/m,
      /^ {8}port\t<IntOrString> -required-$/m, /^ {6}fieldRef\t<ObjectFieldSelector>$/m,
    ]) expect(out).toMatch(line);
  });

  it('kubectl explain a kind of our own (Machine)', async () => {
    const out = await c.kubectlOk(['explain', 'machines.spec']);
    expect(out).toMatch(/^GROUP:\s+flotilla\.dev\nKIND:\s+Machine\nVERSION:\s+v1alpha1\n/);
    expect(out).toMatch(/running\t<boolean>\n\s+Desired power state;/);
  });

  it('kubectl explain a custom kind reads its CRD schema, and sees the CRD change', async () => {
    await defineCrd(c, crontabs(), 'crontabs.stable.example.com');
    const out = await c.kubectlOk(['explain', 'crontabs.spec']);
    expect(out).toMatch(/^GROUP:\s+stable\.example\.com\nKIND:\s+CronTab\nVERSION:\s+v1\n/);
    expect(out).toContain('FIELD: spec <Object>');
    expect(out).toMatch(/cronSpec\t<string> -required-\n\s+The schedule in cron format\./);
    expect(out).toMatch(/replicas\t<integer>/);
    expect(await c.kubectlOk(['explain', 'crontabs.metadata.name'])).toContain('FIELD: name <string>');

    const before = await c.kubectlOk(['get', '--raw', '/openapi/v3']);
    await c.kubectlOk(['apply', '-f', '-'], { input: crontabs('              image: {type: string, description: The image to run.}\n') });
    const hashOf = (index: string) => (JSON.parse(index) as { paths: Record<string, { serverRelativeURL: string }> }).paths['apis/stable.example.com/v1'].serverRelativeURL;
    await waitFor(async () => hashOf(await c.kubectlOk(['get', '--raw', '/openapi/v3'])) !== hashOf(before), 'the index to name a new document', 15_000);
    expect(await c.kubectlOk(['explain', 'crontabs.spec'])).toMatch(/image\t<string>\n\s+The image to run\./);
    await c.kubectlOk(['delete', 'crd', 'crontabs.stable.example.com']);
    await waitFor(async () => !(await c.kubectlOk(['get', '--raw', '/openapi/v3'])).includes('stable.example.com'), 'the group to leave the index', 15_000);
  });

  it('kubectl apply patches containers by their merge key from the v3 schema; strict validation refuses unknown fields', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: deployment('nginx:1') });
    // A field another manager set on the second container survives an apply that changes the first one only.
    await c.kubectlOk(['set', 'env', 'deployment/web', '-c', 'side', 'MODE=test']);
    const r = await c.kubectl(['apply', '-f', '-', '-v=8'], { input: deployment('nginx:2') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/GET https:\/\/\S+\/openapi\/v3\/apis\/apps\/v1\?hash=/);
    expect(r.stderr).not.toContain('/openapi/v2');
    // The patch body kubectl logs (escaped): containers patched by name, in the order the manifest has them.
    expect(r.stderr.replaceAll('\\', '')).toContain('"$setElementOrder/containers":[{"name":"web"},{"name":"side"}],"containers":[{"image":"nginx:2","name":"web"}]');
    const got = await c.kubectlOk(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].image} {.spec.template.spec.containers[1].env[0].value}']);
    expect(got).toBe('nginx:2 busybox test');

    for (const validate of ['--validate=strict', '--validate=true']) {
      const bad = await c.kubectl(['apply', '-f', '-', validate], { input: deployment('nginx:2', { replicaz: 3 }) });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicaz"');
    }
  });

  it('python3-kubernetes reads /openapi/v2', async () => {
    expect(fs.existsSync(PYTHON), `${PYTHON} must exist (scripts/setup-host.sh installs python3-kubernetes)`).toBe(true);
    const r = await run(PYTHON, [SCRIPT, c.core.kubeconfigPath]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      status: number; contentType: string; swagger: string; definitions: number;
      deployment: { 'x-kubernetes-group-version-kind': unknown; properties: Record<string, { $ref?: string }> };
      strategy: { properties: Record<string, { enum?: string[] }> };
    };
    expect(doc.status).toBe(200);
    expect(doc.contentType).toBe('application/json');
    expect(doc.swagger).toBe('2.0');
    expect(doc.definitions).toBeGreaterThan(300);
    expect(doc.deployment['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect(doc.deployment.properties.spec.$ref).toBe('#/definitions/io.k8s.api.apps.v1.DeploymentSpec');
    expect(doc.strategy.properties.type.enum).toEqual(['Recreate', 'RollingUpdate']);
  });

  it('answers /openapi/v2 in protobuf to a client that asks for it, 406 to one that accepts neither, and 304 to a matching If-None-Match', async () => {
    const proto = await curl('/openapi/v2', ['Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf']);
    expect(proto.stdout).toMatch(/^HTTP\/(1\.1|2) 200 /);
    expect(proto.stdout).toMatch(/^content-type: application\/com\.github\.proto-openapi\.spec\.v2\.v1\.0\+protobuf\r?$/im);
    const neither = await curl('/openapi/v2', ['Accept: application/xml']);
    expect(neither.stdout).toMatch(/^HTTP\/(1\.1|2) 406 /);
    const json = await curl('/openapi/v2', ['Accept: application/json, application/com.github.proto-openapi.spec.v2@v1.0+protobuf']);
    expect(json.stdout).toMatch(/^HTTP\/(1\.1|2) 200 /);
    const etag = /^etag: (.+?)\r?$/im.exec(json.stdout)?.[1];
    expect(etag).toMatch(/^"[0-9A-F]{128}"$/);
    const again = await curl('/openapi/v2', [`If-None-Match: ${etag}`]);
    expect(again.stdout).toMatch(/^HTTP\/(1\.1|2) 304 /);

    const index = JSON.parse(await c.kubectlOk(['get', '--raw', '/openapi/v3'])) as { paths: Record<string, { serverRelativeURL: string }> };
    const current = await curl(index.paths['apis/apps/v1'].serverRelativeURL, []);
    expect(current.stdout).toMatch(/^cache-control: public, immutable\r?$/im);
    const missing = await curl('/openapi/v3/apis/nothing.example.com/v1', []);
    expect(missing.stdout).toMatch(/^HTTP\/(1\.1|2) 404 /);
  });

  it('lets kubectl validate on the client what the v3 documents give no PATCH for (the review kinds), from the protobuf v2 document', async () => {
    const review = await c.kubectlOk(['create', '-f', '-', '-o', 'jsonpath={.status.allowed}'], {
      input: JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } }),
    });
    expect(review).toBe('true');
    const bogus = await c.kubectl(['create', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'get', resource: 'pods' }, bogus: 1 } }),
    });
    expect(bogus.code).not.toBe(0);
    expect(bogus.stderr).toContain('unknown field "bogus" in io.k8s.api.authorization.v1.SelfSubjectAccessReviewSpec');
    const token = await c.kubectlOk(['create', '-f', '-', '-o', 'jsonpath={.status.error}'], {
      input: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'not-a-token' } }),
    });
    expect(token).toBe('[invalid bearer token, service account token has been invalidated]');
  });
});
