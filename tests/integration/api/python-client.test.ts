// A second real client: Debian's python3-kubernetes (the official Python client) against a real
// Flotilla API server — list, create, a kubernetes.watch.Watch().stream that receives the ADDED
// event (the client sends watch=True), a Secret from stringData, /version/ through VersionApi, and the component
// statuses (a control plane started without its scheduler and controllers: they are Unhealthy, the store is not).
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';
import { PYTHON, pythonFixture, runPython } from '../../helpers/python';

const SCRIPT = pythonFixture('kube_client.py');

let c: TestCluster;

beforeAll(async () => {
  expect(fs.existsSync(PYTHON), `${PYTHON} must exist (scripts/setup-host.sh installs python3-kubernetes)`).toBe(true);
  c = await startTestCluster({ controllers: false });
});
afterAll(async () => {
  await c?.stop();
});

function runScript(args: string[], timeoutMs = 60_000) {
  return runPython([SCRIPT, ...args], c.dir, timeoutMs);
}

interface PythonReport {
  gitVersion: string;
  namespaces: string[];
  created: [string, Record<string, string>];
  events: Array<[string, string]>;
  secret: [Record<string, string> | null, Record<string, string> | null];
  components: Array<[string, string, string]>;
  wrongType: [number, string, string] | string;
  newStatus: [string, number, string, number];
}

describe('the Python client (python3-kubernetes)', () => {
  it('lists, creates, watches (receiving the ADDED event), creates a secret from stringData, reads /version/ and the component statuses, gets a wrongly typed value refused, and reads a new object\'s zero status', async () => {
    const r = await runScript([c.core.kubeconfigPath, 'from-python']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as PythonReport;
    expect(report.gitVersion).toMatch(/^v1\.32/);
    expect(report.namespaces).toEqual(expect.arrayContaining(['default', 'kube-system']));
    expect(report.created).toEqual(['from-python', { k: 'v' }]);
    expect(report.events).toEqual([['ADDED', 'from-python']]);
    expect(report.secret).toEqual([{ user: Buffer.from('admin').toString('base64') }, null]);
    expect(report.components).toEqual([
      ['scheduler', 'False', 'the scheduler is not running in this control plane'],
      ['controller-manager', 'False', 'the controller-manager is not running in this control plane'],
      ['etcd-0', 'True', 'ok'],
    ]);
    // A wrongly typed value: kube-apiserver's 400 and its words, as the client reads them.
    expect(report.wrongType).toEqual([400, 'BadRequest',
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32']);
    // A new ReplicaSet (no controllers run here) has the zero status Go encodes, {replicas: 0}: a model, not None.
    expect(report.newStatus).toEqual(['V1ReplicaSetStatus', 0, 'V1ReplicaSetStatus', 0]);
    // What the client created is really there.
    const got = await c.client.request('GET', '/api/v1/namespaces/default/configmaps/from-python');
    expect(got.code).toBe(200);
  });
});
