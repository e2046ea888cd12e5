// The aggregator's connection to an APIService's server: a byte stream to one of its Service's endpoints (the same
// dialer as service webhooks'), TLS verified for `<service>.<namespace>.svc` against the APIService's caBundle (or not
// at all with insecureSkipTLSVerify), and the front proxy's client certificate presented. Errors are worded as Go's
// HTTP client words them, with the URL kube-aggregator resolves a Service to (its ClusterIP).
import * as tls from 'node:tls';
import type { APIService, Service } from '../../api/types';
import type { Pki } from '../pki';
import type { ServiceDialer } from '../webhooks/types';
import { goDialError } from '../go-dial-error';

export interface Backend {
  /** `https://<clusterIP>:<port>`: where kube-aggregator's service resolver sends requests (for messages). */
  origin: string;
  connect(): Promise<tls.TLSSocket>;
}

export interface TransportDeps {
  frontProxy: Pki['frontProxy'];
  dialService: () => ServiceDialer | undefined;
  service: (namespace: string, name: string) => Service | undefined;
}

export function backendOf(a: APIService, deps: TransportDeps): Backend {
  const ref = a.spec.service!;
  const namespace = ref.namespace ?? '';
  const name = ref.name ?? '';
  const port = ref.port ?? 443;
  const svc = deps.service(namespace, name);
  const ip = svc?.spec?.clusterIP && svc.spec.clusterIP !== 'None' ? svc.spec.clusterIP : `${name}.${namespace}.svc`;
  const hostPort = ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
  const servername = `${name}.${namespace}.svc`;
  const ca = a.spec.caBundle ? Buffer.from(a.spec.caBundle, 'base64').toString('utf8') : undefined;
  return {
    origin: `https://${hostPort}`,
    connect: async () => {
      const dial = deps.dialService();
      if (!dial) throw new Error(`dial tcp ${hostPort}: connect: no route to host`);
      let stream;
      try {
        stream = await dial(namespace, name, port);
      } catch (e) {
        throw new Error(e instanceof Error && !(e as NodeJS.ErrnoException).code ? e.message : goDialError(e, hostPort, servername));
      }
      return await new Promise<tls.TLSSocket>((resolve, reject) => {
        const socket = tls.connect({
          socket: stream, servername, ca, rejectUnauthorized: !a.spec.insecureSkipTLSVerify,
          cert: deps.frontProxy.clientCertPem, key: deps.frontProxy.clientKeyPem, ALPNProtocols: ['http/1.1'],
        });
        socket.once('secureConnect', () => resolve(socket));
        socket.once('error', (e) => { socket.destroy(); reject(new Error(goDialError(e, hostPort, servername))); });
      });
    },
  };
}
