// A node's kubelet serving certificate as the core signs it and the node manager keeps it (main/apiserver/pki.ts,
// main/nodes/kubelet-serving.ts).

/** The node's name and addresses the certificate is for. */
export interface ServingHosts { node: string; ips: string[]; dns: string[] }
export interface ServingCert { certPem: string; keyPem: string }
/** Signs a serving certificate for these hosts with the cluster CA. */
export type ServingSigner = (hosts: ServingHosts) => Promise<ServingCert>;
