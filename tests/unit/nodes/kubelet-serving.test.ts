// A node's kubelet serving certificate is issued once and kept while it fits (same names and addresses, the same CA,
// 30 days or more left), so bootstrapping the node again leaves its config, and so its agent, untouched.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, kubeletServingSigner } from '../../../main/apiserver/pki';
import { kubeletServingCert } from '../../../main/nodes/kubelet-serving';
import type { ServingSigner } from '../../../main/protocol/kubelet-serving';

let dir: string;
let caCertPem: string;
let sign: ServingSigner;
let issued = 0;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-kubelet-serving-'));
  caCertPem = (await ensurePki(path.join(dir, 'pki'))).caCertPem;
  const signer = kubeletServingSigner(path.join(dir, 'pki'));
  sign = (h) => { issued++; return signer(h); };
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('kubeletServingCert', () => {
  const hosts = { node: 'n1', ips: ['10.10.0.2'], dns: ['n1'] };
  const machine = () => path.join(dir, 'machines', 'n1');

  it('issues a server certificate of the cluster CA for the node, then keeps it', async () => {
    const first = await kubeletServingCert(machine(), hosts, caCertPem, sign);
    const cert = new X509Certificate(first.certPem);
    expect(cert.verify(new X509Certificate(caCertPem).publicKey)).toBe(true);
    expect(cert.subject).toBe('CN=system:node:n1\nO=system:nodes');
    expect(cert.subjectAltName).toBe('DNS:n1, IP Address:10.10.0.2');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(fs.statSync(path.join(machine(), 'kubelet.key')).mode & 0o777).toBe(0o600);
    const again = await kubeletServingCert(machine(), hosts, caCertPem, sign);
    expect(again).toEqual(first);
    expect(issued).toBe(1);
  });

  it('issues another for a new address, another CA, or when less than 30 days are left', async () => {
    const kept = await kubeletServingCert(machine(), hosts, caCertPem, sign);
    const moved = await kubeletServingCert(machine(), { ...hosts, ips: ['10.10.0.9'] }, caCertPem, sign);
    expect(moved.certPem).not.toBe(kept.certPem);
    expect(new X509Certificate(moved.certPem).subjectAltName).toBe('DNS:n1, IP Address:10.10.0.9');
    // A new data dir's CA (the cluster made again): its signer issues anew, since the kept one does not verify.
    const otherCa = (await ensurePki(path.join(dir, 'pki-2'))).caCertPem;
    const otherSigner = kubeletServingSigner(path.join(dir, 'pki-2'));
    sign = (h) => { issued++; return otherSigner(h); };
    const reissued = await kubeletServingCert(machine(), { ...hosts, ips: ['10.10.0.9'] }, otherCa, sign);
    expect(new X509Certificate(reissued.certPem).verify(new X509Certificate(otherCa).publicKey)).toBe(true);
    expect(reissued.certPem).not.toBe(moved.certPem);
    const before = issued;
    const validTo = Date.parse(new X509Certificate(reissued.certPem).validTo);
    await kubeletServingCert(machine(), { ...hosts, ips: ['10.10.0.9'] }, otherCa, sign, validTo - 31 * 86400_000);
    expect(issued).toBe(before);
    await kubeletServingCert(machine(), { ...hosts, ips: ['10.10.0.9'] }, otherCa, sign, validTo - 29 * 86400_000);
    expect(issued).toBe(before + 1);
  });
});
