// A byte stream to one ready endpoint of a Service port, for the API server's clientConfig.service webhooks: the
// ingress proxy's endpoint picking (endpoints.ts, round robin) and its tunnels through the agents (pod-tunnel.ts).
// What stops it is worded as Kubernetes' endpoint routing words it (`no endpoints available for service "x"`).
import type { Duplex } from 'node:stream';
import type { EndpointSlice, Service } from '../api/types';
import type { AgentEndpoint } from '../protocol/agent-connection';
import type { ApiClient } from '../client/types';
import { R } from '../client/refs';
import { RoundRobin, SERVICE_NAME_LABEL, serviceTargets } from '../tunnel/endpoints';
import { dialPod } from '../tunnel/pod-tunnel';

export type ServiceDial = (namespace: string, name: string, port: number) => Promise<Duplex>;

export function serviceDialer(client: ApiClient, agents: AgentEndpoint): ServiceDial {
  const rr = new RoundRobin();
  return async (namespace, name, port) => {
    const svc = await client.get<Service>(R.services, name, namespace).catch(() => undefined);
    if (!svc) throw new Error(`service "${name}" not found`);
    const slices = (await client.list<EndpointSlice>(R.endpointslices, { namespace, labelSelector: `${SERVICE_NAME_LABEL}=${name}` })).items;
    const t = serviceTargets(svc, slices, namespace, name, { number: port });
    if ('problem' in t) {
      if (!(svc.spec?.ports ?? []).some((p) => p.port === port)) throw new Error(`no service port ${port} found for service "${name}"`);
      throw new Error(`no endpoints available for service "${name}"`);
    }
    return dialPod(agents, rr.pick(`${namespace}/${name}:${port}`, t.targets));
  };
}
