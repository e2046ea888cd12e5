// kube-proxy's service health server: for every LoadBalancer Service with externalTrafficPolicy Local, an HTTP
// server on its healthCheckNodePort (all of the node's addresses) answering any path with the number of this node's
// ready endpoints: 200 when there are some and the proxier is healthy, else 503, and Kubernetes' JSON body. Load
// balancers (the node manager's host routes) send the Service's traffic only to nodes that answer 200.
import * as http from 'node:http';
import type { ProxyModel } from '../proxy/model';

interface Instance { namespace: string; name: string; server: http.Server; endpoints: number }

/** Kubernetes' body, tab-indented as kube-proxy's dedented template prints it. */
export function healthBody(namespace: string, name: string, localEndpoints: number, proxyHealthy: boolean): string {
  return [
    '{',
    '\t"service": {',
    `\t\t"namespace": ${JSON.stringify(namespace)},`,
    `\t\t"name": ${JSON.stringify(name)}`,
    '\t},',
    `\t"localEndpoints": ${localEndpoints},`,
    `\t"serviceProxyHealthy": ${proxyHealthy}`,
    '}',
  ].join('\n');
}

export class ServiceHealthServer {
  private readonly byPort = new Map<number, Instance>();

  constructor(
    private readonly o: { proxyHealthy: () => boolean; log: (line: string) => void; host?: string },
  ) {}

  /** The ports served now (for tests and logs). */
  get ports(): number[] {
    return [...this.byPort.keys()].sort((a, b) => a - b);
  }

  /** Opens, updates and closes servers to match the model's health check ports and this node's ready endpoints. */
  sync(model: ProxyModel): void {
    const wanted = new Map<number, { namespace: string; name: string; endpoints: number }>();
    for (const svc of model.services) {
      if (!svc.healthCheckNodePort || svc.externalTrafficPolicy !== 'Local') continue;
      const local = new Set(svc.endpoints.filter((e) => e.ready && !!model.nodeName && e.nodeName === model.nodeName).map((e) => e.ip));
      wanted.set(svc.healthCheckNodePort, { namespace: svc.namespace, name: svc.name, endpoints: local.size });
    }
    for (const [port, inst] of this.byPort) {
      const w = wanted.get(port);
      if (!w || w.namespace !== inst.namespace || w.name !== inst.name) {
        inst.server.close();
        this.byPort.delete(port);
      }
    }
    for (const [port, w] of wanted) {
      const inst = this.byPort.get(port);
      if (inst) inst.endpoints = w.endpoints;
      else this.open(port, w);
    }
  }

  private open(port: number, w: { namespace: string; name: string; endpoints: number }): void {
    const inst: Instance = { ...w, server: http.createServer((_req, res) => this.answer(inst, res)) };
    inst.server.on('error', (e) => {
      this.o.log(`health check ${w.namespace}/${w.name} on :${port}: ${e.message}`);
      if (this.byPort.get(port) === inst) this.byPort.delete(port);
    });
    inst.server.listen(port, this.o.host ?? '0.0.0.0');
    this.byPort.set(port, inst);
  }

  private answer(inst: Instance, res: http.ServerResponse): void {
    const healthy = this.o.proxyHealthy();
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.statusCode = inst.endpoints > 0 && healthy ? 200 : 503;
    res.end(healthBody(inst.namespace, inst.name, inst.endpoints, healthy));
  }

  stop(): void {
    for (const inst of this.byPort.values()) inst.server.close();
    this.byPort.clear();
  }
}
