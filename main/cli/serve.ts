// `flotilla serve`: the headless control plane (and, once built, the UI over HTTP).
import type { ServeOptions } from './commands';
import { startCore } from '../core';
import { defaultStaticDir, startUiServer } from '../bridge/web-server';
import { startHollowNodes } from '../hollow';
import { defaultLoadBalancerMode } from '../api/load-balancer';
import { defaultProvider } from '../nodes/providers';

export async function serve(o: ServeOptions): Promise<void> {
  const core = await startCore({
    dataDir: o.dataDir, apiPort: o.apiPort, nodes: { nodes: o.nodes, provider: o.provider, log: (l) => console.error(l), hostRoutes: o.hostRoutes },
    ingress: { httpPort: o.ingressPort || undefined, httpsPort: o.ingressHttpsPort || undefined },
    loadBalancer: o.loadBalancer ?? defaultLoadBalancerMode(o.provider ?? defaultProvider(), true),
    registry: { port: o.registryPort, insecure: o.insecureRegistry },
    compactionIntervalMs: o.compactionInterval,
    eventTTLMs: o.eventTtl * 1000,
    nodeLifecycle: {
      nodeMonitorGracePeriodSeconds: o.nodeMonitorGracePeriod,
      notReadyTolerationSeconds: o.defaultNotReadyTolerationSeconds,
      unreachableTolerationSeconds: o.defaultUnreachableTolerationSeconds,
    },
    tracing: { enabled: o.tracing, otlpEndpoint: o.otlpEndpoint },
    metrics: o.metrics,
    clusterCIDR: o.clusterCIDR,
  });
  console.log(`Flotilla API server: ${core.api.url}`);
  console.log(`kubeconfig: ${core.kubeconfigPath}   (export KUBECONFIG=${core.kubeconfigPath})`);
  const ing = core.ingress;
  if (ing && (ing.httpPort || ing.httpsPort)) {
    const urls = [ing.httpPort && `http://127.0.0.1:${ing.httpPort}`, ing.httpsPort && `https://127.0.0.1:${ing.httpsPort}`].filter(Boolean).join('  ');
    const example = ing.httpPort ? `http://shop.localhost:${ing.httpPort}/` : `https://shop.localhost:${ing.httpsPort}/`;
    console.log(`Ingress proxy: ${urls}   (an Ingress host shop.localhost answers at ${example})`);
  }
  if (core.imageRegistry) {
    const p = core.imageRegistry.port;
    console.log(`Image registry: ${core.imageRegistry.url}   (push localhost:${p}/<repo>:<tag>; every node pulls it as localhost:${p}/<repo>:<tag>)`);
  }
  if (core.registrySettings?.lastError) console.error(core.registrySettings.lastError);
  const ui = await startUiServer(core, { port: o.uiPort, staticDir: defaultStaticDir() });
  core.own({ name: 'ui-server', stop: () => ui.stop() });
  console.log(`Flotilla UI: ${ui.url}`);
  const hollow = o.hollowNodes;
  if (hollow > 0) {
    const nodes = startHollowNodes(core, { count: hollow, log: (l) => console.error(l) });
    core.own({ name: 'hollow-nodes', stop: () => nodes.stop() });
    await nodes.ready;
    console.log(`hollow nodes: ${hollow} registered`);
  }
  let stopping = false;
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${sig}: stopping`);
    await core.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
