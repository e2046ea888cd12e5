// Cluster DNS on a real sandbox node (containerd, runc, the real agent bundle, real kubectl): pods
// resolve services by short name and FQDN, a headless service's per-pod name (hostname+subdomain),
// SRV and PTR records, an ExternalName's CNAME, NXDOMAIN for unknown names and the host as
// host.flotilla.internal, all through busybox nslookup inside a pod; a new endpoint is answered
// once its EndpointSlice is written; pods' /etc/resolv.conf per dnsPolicy and the kubelet-managed /etc/hosts.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Pod, Service } from 'kubernetes-types/core/v1';
import { R } from '../../../main/client/refs';
import type { KObject } from '../../../main/api/types';
import { gatewayIP } from '../../../main/nodes/providers/sandbox/config';
import { waitFor } from '../../helpers/cluster';
import { skipWithoutAgent, sandboxCluster } from './support';

const HELLO = 'docker.io/flotilla/hello:1';

const MANIFEST = `
apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: db, namespace: default }
spec:
  clusterIP: None
  selector: { app: db }
  ports: [{ name: pg, port: 5432, targetPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: ext, namespace: default }
spec: { type: ExternalName, externalName: web.default.svc.cluster.local }
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: default, labels: { app: web } }
spec:
  terminationGracePeriodSeconds: 1
  containers: [{ name: app, image: ${HELLO}, ports: [{ containerPort: 8080 }] }]
---
apiVersion: v1
kind: Pod
metadata: { name: db-0, namespace: default, labels: { app: db } }
spec:
  hostname: db-0
  subdomain: db
  terminationGracePeriodSeconds: 1
  containers: [{ name: app, image: ${HELLO}, ports: [{ containerPort: 8080 }] }]
---
apiVersion: v1
kind: Pod
metadata: { name: client, namespace: default }
spec:
  terminationGracePeriodSeconds: 1
  hostAliases: [{ ip: 10.1.2.3, hostnames: [foo.remote, bar.remote] }]
  dnsConfig:
    searches: [example.internal]
    options: [{ name: ndots, value: "2" }, { name: edns0 }]
  containers: [{ name: sh, image: ${HELLO}, command: [sh, -c, 'sleep 3600'] }]
---
apiVersion: v1
kind: Pod
metadata: { name: custom, namespace: default }
spec:
  terminationGracePeriodSeconds: 1
  dnsPolicy: None
  dnsConfig: { nameservers: [1.1.1.1], searches: [a.example], options: [{ name: ndots, value: "1" }] }
  containers: [{ name: sh, image: ${HELLO}, command: [sh, -c, 'sleep 3600'] }]
`;

describe.skipIf(skipWithoutAgent)('cluster DNS on a sandbox node', () => {
  const { c, ok, cfg } = sandboxCluster(5);

  const inClient = async (...cmd: string[]): Promise<string> => {
    const r = await c.kubectl(['exec', 'client', '--', ...cmd], { timeoutMs: 30_000 });
    return r.stdout + r.stderr;
  };
  const svcIP = async (name: string): Promise<string> => (await c.client.get<Service & KObject>(R.services, name, 'default')).spec?.clusterIP ?? '';
  const podIP = async (name: string): Promise<string> => (await c.client.get<Pod & KObject>(R.pods, name, 'default')).status?.podIP ?? '';

  beforeAll(async () => {
    await ok(['apply', '-f', '-'], MANIFEST);
    for (const p of ['web', 'db-0', 'client', 'custom']) {
      await waitFor(async () => (await c.client.get<Pod & KObject>(R.pods, p, 'default')).status?.containerStatuses?.[0]?.state?.running, `pod ${p} running`, 120_000, 250);
    }
    // The headless service's endpoint for db-0 (ready) carries its hostname.
    await waitFor(async () => (await ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=db', '-o', 'jsonpath={.items[0].endpoints[0].hostname}'])) === 'db-0', 'db-0 endpoint', 60_000, 250);
  }, 300_000);

  it('the kube-dns Service exists in kube-system at 10.96.0.10 (UDP and TCP 53)', async () => {
    const out = await ok(['get', 'svc', '-n', 'kube-system', 'kube-dns', '--no-headers']);
    expect(out).toMatch(/^kube-dns\s+ClusterIP\s+10\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP\s/);
  });

  it('resolves a service by short name and FQDN, and a headless per-pod name', async () => {
    const ip = await svcIP('web');
    expect(await inClient('nslookup', 'web')).toContain(`Address: ${ip}`);
    expect(await inClient('nslookup', 'web.default.svc.cluster.local')).toContain(`Address: ${ip}`);
    const dbIP = await podIP('db-0');
    expect(await inClient('nslookup', 'db-0.db.default.svc.cluster.local')).toContain(`Address: ${dbIP}`);
    expect(await inClient('nslookup', 'db')).toContain(`Address: ${dbIP}`);
  });

  it('SRV for named ports and under a service\'s own name, PTR for a service IP, CNAME for an ExternalName, NXDOMAIN for unknown names', async () => {
    expect(await inClient('nslookup', '-type=srv', '_http._tcp.web.default.svc.cluster.local')).toMatch(/web\.default\.svc\.cluster\.local/);
    expect(await inClient('nslookup', '-type=srv', '_pg._tcp.db.default.svc.cluster.local')).toMatch(/8080 db-0\.db\.default\.svc\.cluster\.local/);
    // The service's own name: every port (CoreDNS).
    expect(await inClient('nslookup', '-type=srv', 'db.default.svc.cluster.local')).toMatch(/service = 0 \d+ 8080 db-0\.db\.default\.svc\.cluster\.local/);
    const ip = await svcIP('web');
    expect(await inClient('nslookup', ip)).toMatch(/name = web\.default\.svc\.cluster\.local/);
    const ext = await inClient('nslookup', 'ext.default.svc.cluster.local');
    expect(ext).toMatch(/canonical name = web\.default\.svc\.cluster\.local/);
    expect(ext).toContain(`Address: ${ip}`);
    expect(await inClient('nslookup', 'nope.default.svc.cluster.local')).toMatch(/NXDOMAIN/);
  });

  it('names the host machine host.flotilla.internal', async () => {
    expect(await inClient('nslookup', 'host.flotilla.internal')).toContain(`Address: ${gatewayIP(cfg)}`);
  });

  it('answers for a new endpoint once its EndpointSlice is written', async () => {
    await ok(['apply', '-f', '-'], `
apiVersion: v1
kind: Service
metadata: { name: manual, namespace: default }
spec: { clusterIP: None, ports: [{ name: x, port: 1 }] }
`);
    await c.client.create(R.endpointslices, {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
      metadata: { name: 'manual-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'manual' } },
      endpoints: [{ addresses: ['10.9.9.9'], conditions: { ready: true } }], ports: [{ name: 'x', port: 1, protocol: 'TCP' }],
    }, { namespace: 'default' });
    await waitFor(async () => (await inClient('nslookup', 'manual.default.svc.cluster.local')).includes('Address: 10.9.9.9'), 'the new endpoint answered', 15_000, 50);
  });

  it('writes resolv.conf per dnsPolicy and dnsConfig, and the managed /etc/hosts with hostAliases', async () => {
    const resolv = await inClient('cat', '/etc/resolv.conf');
    expect(resolv).toContain('nameserver 10.96.0.10');
    expect(resolv).toMatch(/search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local .*example\.internal/);
    expect(resolv).toMatch(/options ndots:2 edns0/);
    const custom = (await c.kubectl(['exec', 'custom', '--', 'cat', '/etc/resolv.conf'])).stdout;
    expect(custom).toContain('nameserver 1.1.1.1');
    expect(custom).not.toContain('10.96.0.10');
    expect(custom).toMatch(/search a\.example/);
    const hosts = await inClient('cat', '/etc/hosts');
    expect(hosts).toContain('# Kubernetes-managed hosts file.');
    expect(hosts).toContain(`${await podIP('client')}\tclient\n`);
    expect(hosts).toContain('# Entries added by HostAliases.\n10.1.2.3\tfoo.remote\tbar.remote\n');
    const dbHosts = (await c.kubectl(['exec', 'db-0', '--', 'cat', '/etc/hosts'])).stdout;
    expect(dbHosts).toContain(`${await podIP('db-0')}\tdb-0.db.default.svc.cluster.local\tdb-0\n`);
    expect((await c.kubectl(['exec', 'db-0', '--', 'hostname'])).stdout.trim()).toBe('db-0');
  });
});
