// A node's kubelet serving certificate, kept in D/machines/<name>/ beside its server token: issued by the core's signer
// (the cluster CA) once, and again only when it no longer fits — other names or addresses, another CA, or less than 30
// days left — so bootstrapping a healthy node again changes nothing on it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { X509Certificate } from 'node:crypto';

import type { ServingCert, ServingHosts, ServingSigner } from '../protocol/kubelet-serving';

const RENEW_BEFORE_MS = 30 * 86400_000;

function fits(dir: string, hosts: ServingHosts, caCertPem: string, now: number): ServingCert | undefined {
  try {
    const certPem = fs.readFileSync(path.join(dir, 'kubelet.crt'), 'utf8');
    const keyPem = fs.readFileSync(path.join(dir, 'kubelet.key'), 'utf8');
    const issuedFor = fs.readFileSync(path.join(dir, 'kubelet.json'), 'utf8');
    if (issuedFor !== JSON.stringify(hosts)) return undefined;
    const cert = new X509Certificate(certPem);
    if (!cert.verify(new X509Certificate(caCertPem).publicKey)) return undefined;
    if (Date.parse(cert.validTo) - now < RENEW_BEFORE_MS) return undefined;
    return { certPem, keyPem };
  } catch {
    return undefined;
  }
}

export async function kubeletServingCert(dir: string, hosts: ServingHosts, caCertPem: string, sign: ServingSigner, now = Date.now()): Promise<ServingCert> {
  const kept = fits(dir, hosts, caCertPem, now);
  if (kept) return kept;
  const issued = await sign(hosts);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dir, 'kubelet.key'), issued.keyPem, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'kubelet.crt'), issued.certPem);
  fs.writeFileSync(path.join(dir, 'kubelet.json'), JSON.stringify(hosts));
  return issued;
}
