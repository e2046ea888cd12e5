// Every `flotilla` command, its arguments and flags (type, default, description): the one definition
// from which the parser, each command's --help and the README's "Command line" section are made.
// Actions are imported only when their command runs, so parsing and help stay quick.
import { MACHINE_PROVIDERS } from '../api/validation/machine';
import type { MachineProvider } from '../api/types';
import { LOAD_BALANCER_MODES, type LoadBalancerMode } from '../api/load-balancer';
import { dataDirFlag } from './data-dir';
import { KUBERNETES_NODE_LIFECYCLE } from '../api/node-lifecycle-settings';
import { parseInsecureRegistry } from '../nodes/registry/settings';
import { parseCompactionInterval } from './compaction-interval';
import { otlpTracesUrl } from '../protocol/tracing/otlp-url';
import { InvalidArgumentError } from 'commander';
import { parseClusterCIDR } from '../api/cluster-cidr';
import {
  choiceFlag, customFlag, intFlag, leaf, listFlag, parseDurationSeconds, parseMemoryMiB, positional, stringFlag, switchFlag, type CommandDef, type Values,
} from './define';

function parseBoolean(raw: string): boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new InvalidArgumentError('It must be true or false.');
}

function checkedClusterCIDR(raw: string): string {
  try {
    return parseClusterCIDR(raw).cidr;
  } catch (e) {
    throw new InvalidArgumentError(`${e instanceof Error ? e.message : String(e)}.`);
  }
}

function checkedOtlpUrl(raw: string): string {
  try {
    return otlpTracesUrl(raw);
  } catch (e) {
    throw new InvalidArgumentError(`${e instanceof Error ? e.message : String(e)}.`);
  }
}

const isProvider = (s: string): s is MachineProvider => MACHINE_PROVIDERS.includes(s);
const PORT = { min: 0, max: 65535 };
const providerFlag = (description: string) => choiceFlag('--provider <name>', description, MACHINE_PROVIDERS, isProvider, undefined, 'sandbox on Linux as root, lima on macOS, else multipass');
const POSITIVE = { min: 1 };
const isLoadBalancerMode = (s: string): s is LoadBalancerMode => LOAD_BALANCER_MODES.includes(s as LoadBalancerMode);

const SERVE = {
  dataDir: dataDirFlag,
  apiPort: intFlag('--api-port <port>', 'port of the Kubernetes API server (HTTPS; 0: any free port)', 6443, PORT),
  uiPort: intFlag('--ui-port <port>', 'port of the UI over HTTP (0: any free port)', 7080, PORT),
  nodes: intFlag('--nodes <n>', 'make sure this many machines of --provider exist', 0),
  provider: providerFlag('provider of the machines --nodes makes'),
  hollowNodes: intFlag('--hollow-nodes <n>', 'simulated nodes: they register and run their pods in name only', 0),
  ingressPort: intFlag('--ingress-port <port>', 'HTTP port of the built-in ingress proxy on the host (0: off; http://<name>.localhost:<port> reaches Ingress host <name>.localhost)', 8080, PORT),
  ingressHttpsPort: intFlag('--ingress-https-port <port>', 'HTTPS port of the built-in ingress proxy (0: off; certificates by SNI from the Ingresses\' TLS Secrets)', 8443, PORT),
  loadBalancer: choiceFlag('--load-balancer <mode>', 'how LoadBalancer Services are reached from the host: pool (an address routed to the nodes) or localhost (127.0.0.1:<port>)',
    LOAD_BALANCER_MODES, isLoadBalancerMode, undefined, 'pool for sandbox nodes, else localhost'),
  registryPort: intFlag('--registry-port <port>', 'port of the built-in image registry on the host (0: off; nodes pull localhost:<port>/<repo>:<tag> from it)', 5000, PORT),
  insecureRegistry: listFlag('--insecure-registry <host:port>', 'a registry the nodes pull from over plain HTTP (repeatable; more settings in <data-dir>/registries.yaml)',
    parseInsecureRegistry),
  compactionInterval: customFlag<number | undefined>('--compaction-interval <time>',
    'how often the store compacts its history, keeping the last interval readable for watches and the UI\'s History (as kube-apiserver\'s --etcd-compaction-interval; 0: never)',
    undefined, parseCompactionInterval, '5m, or the interval last chosen in the UI'),
  eventTtl: customFlag('--event-ttl <duration>', 'how long an Event is kept after its last write (kube-apiserver\'s flag)', 3600, parseDurationSeconds, '1h0m0s'),
  nodeMonitorGracePeriod: customFlag('--node-monitor-grace-period <duration>', 'how long a node may be silent before it is marked NotReady (kube-controller-manager\'s flag)',
    KUBERNETES_NODE_LIFECYCLE.nodeMonitorGracePeriodSeconds, parseDurationSeconds, '40s'),
  defaultNotReadyTolerationSeconds: intFlag('--default-not-ready-toleration-seconds <s>', 'how long pods stay on a NotReady node before eviction (the toleration added to every pod)',
    KUBERNETES_NODE_LIFECYCLE.notReadyTolerationSeconds),
  defaultUnreachableTolerationSeconds: intFlag('--default-unreachable-toleration-seconds <s>', 'how long pods stay on an unreachable node before eviction (the toleration added to every pod)',
    KUBERNETES_NODE_LIFECYCLE.unreachableTolerationSeconds),
  tracing: customFlag('--tracing <true|false>', 'record each pod\'s journey as OpenTelemetry spans (the control plane and every node\'s agent; shown in the pod\'s Journey tab)',
    true, parseBoolean, 'true'),
  otlpEndpoint: stringFlag('--otlp-endpoint <url>', 'export the spans over OTLP/HTTP to this collector (e.g. http://localhost:4318)', undefined, 'none: spans stay in memory',
    checkedOtlpUrl),
  hostRoutes: customFlag('--host-routes <true|false>', 'route the service CIDR, the load balancer pool and the pods\' addresses from this host to its sandbox nodes (false: a second cluster beside one that holds them)',
    true, parseBoolean, 'true'),
  metrics: customFlag('--metrics <true|false>', 'count the control plane\'s Prometheus metrics, served at the API server\'s /metrics (false: nothing counted, /metrics is 404)',
    true, parseBoolean, 'true'),
  clusterCIDR: customFlag<string | undefined>('--cluster-cidr <cidr>',
    'the pods\' network, each node getting a /24 of it (kube-controller-manager\'s flag); kept with the data dir, which refuses another one later',
    undefined, checkedClusterCIDR, '10.244.0.0/16, or the data dir\'s'),
};

const NODE_ADD = {
  dataDir: dataDirFlag,
  provider: providerFlag('provider of the machine'),
  name: stringFlag('--name <name>', 'name of the machine and its node', undefined, 'a new name, node-…'),
  cpus: intFlag('--cpus <n>', 'CPUs of the machine', 2, { min: 1, max: 64 }),
  memory: customFlag('--memory <size>', 'memory of the machine: MiB (2048, 2048M) or GiB (2G)', 2048, parseMemoryMiB, '2048 MiB'),
  disk: intFlag('--disk <GiB>', 'disk of the machine, in GiB', 10, POSITIVE),
  timeout: intFlag('--timeout <seconds>', 'how long to wait for the node to be Ready', undefined, POSITIVE, '180 for sandbox, 900 for VMs'),
};

const NAMED_MACHINE = { name: positional('name', 'the machine'), dataDir: dataDirFlag };

const IMAGES_IMPORT = { file: positional('file', 'an image tarball (docker save / ctr export)'), dataDir: dataDirFlag };

const IMAGES_BUILD = {
  dir: positional('dir', 'the build context: a folder with a Dockerfile'),
  tag: stringFlag('-t, --tag <name:tag>', 'the image\'s name and tag, pushed under --registry unless the name has a registry of its own', undefined, 'the folder\'s name, tagged latest'),
  file: stringFlag('-f, --file <dockerfile>', 'the Dockerfile', undefined, 'DIR/Dockerfile'),
  registry: stringFlag('--registry <host:port>', 'the registry to push to (plain HTTP allowed)', 'localhost:5000'),
  buildArg: listFlag('--build-arg <key=value>', 'a build argument (repeatable)'),
  dataDir: dataDirFlag,
};

const DATA_DIR = { dataDir: dataDirFlag };

const BENCH_IMAGE = {
  sizeMb: intFlag('--size-mb <n>', 'size of the image\'s random (incompressible) layer, in MB', 50, POSITIVE),
  nodes: intFlag('--nodes <n>', 'sandbox nodes that pull it at once', 3, POSITIVE),
};

const API_PROTOCOLS = ['http1.1', 'h2'] as const;
const isApiProtocol = (s: string): s is (typeof API_PROTOCOLS)[number] => (API_PROTOCOLS as readonly string[]).includes(s);

const BENCH_API = {
  count: intFlag('--count <n>', 'ConfigMaps to create', 5000, POSITIVE),
  clients: intFlag('--clients <n>', 'concurrent clients', 16, POSITIVE),
  watchers: intFlag('--watchers <n>', 'concurrent watchers', 100, POSITIVE),
  watchEvents: intFlag('--watch-events <n>', 'objects created while watched', 1000, POSITIVE),
  protocol: choiceFlag('--protocol <p>', 'HTTP/1.1 or h2 (HTTP/2, as client-go and kubectl negotiate)', API_PROTOCOLS, isApiProtocol, 'http1.1'),
  connections: intFlag('--connections <n>', 'connections the clients share (HTTP/2 multiplexes the clients\' requests as streams of one connection, as client-go does)',
    undefined, POSITIVE, '1 with h2; one per client with http1.1'),
  tracing: customFlag('--tracing <true|false>', 'the server records pods\' journey spans (to measure their overhead)', true, parseBoolean, 'true'),  metrics: customFlag('--metrics <true|false>', 'the server counts its Prometheus metrics (to measure their overhead)', true, parseBoolean, 'true'),
  overhead: intFlag('--overhead <rounds>', 'instead: run it 2 × rounds times, tracing and metrics on and off alternately (ABBA); print the medians and the overhead', 0),
};

const BENCH_SCHEDULER = {
  nodes: intFlag('--nodes <n>', 'hollow nodes', 1000, POSITIVE),
  pods: intFlag('--pods <n>', 'pods, in 100 deployments (or the replicas of the StatefulSet)', undefined, POSITIVE, '10000; 1000 with --statefulset'),
  timeout: intFlag('--timeout <seconds>', 'give up waiting for every pod to run after this long', 600, POSITIVE),
  statefulset: switchFlag('--statefulset', 'instead: one Parallel StatefulSet with a volumeClaimTemplate, timed until every pod is Running and every claim Bound'),
};

const BENCH_PROXY = {
  services: intFlag('--services <n>', 'services, 3 endpoints each', 1000, POSITIVE),
  runs: intFlag('--runs <n>', 'runs (the median is reported)', 5, POSITIVE),
};

const BENCH_POD_STARTUP = {
  pods: intFlag('--pods <n>', 'pods created one after another', 20, POSITIVE),
  burst: intFlag('--burst <n>', 'pods of a further round created all at once (0: none)', 0),
  tracing: customFlag('--tracing <true|false>', 'the control plane and the node record pods\' journey spans (to measure their overhead)', true, parseBoolean, 'true'),  metrics: customFlag('--metrics <true|false>', 'the control plane counts its Prometheus metrics (to measure their overhead)', true, parseBoolean, 'true'),
  overhead: intFlag('--overhead <rounds>', 'instead: run it 2 × rounds times, tracing and metrics on and off alternately (ABBA); print the medians and the overhead', 0),
};

const BENCH_NODE_ADD = {
  runs: intFlag('--runs <n>', 'machines added one after another', 5, POSITIVE),
  provider: choiceFlag('--provider <name>', 'provider of the machines', MACHINE_PROVIDERS, isProvider, 'sandbox'),
};

const BENCH_DNS = {
  seconds: intFlag('--seconds <n>', 'how long each row keeps queries in flight', 3, POSITIVE),
  concurrency: intFlag('--concurrency <n>', 'queries in flight at once', 8, POSITIVE),
};

const BENCH_AUTHZ = {
  bindings: intFlag('--bindings <n>', 'RoleBindings in one namespace, and as many ClusterRoleBindings, for other subjects', 5000, POSITIVE),
  seconds: intFlag('--seconds <n>', 'how long each row runs', 3, POSITIVE),
};

const BENCH_UI = {
  nodes: intFlag('--nodes <n>', 'hollow nodes', 50, POSITIVE),
  pods: intFlag('--pods <n>', 'Running pods, in 20 deployments', 2000, POSITIVE),
  rate: intFlag('--rate <n>', 'pod updates per second while frames are counted', 100, POSITIVE),
  seconds: intFlag('--seconds <n>', 'how long frames are counted', 10, POSITIVE),
  chromium: stringFlag('--chromium <path>', 'the chromium binary', '/usr/bin/chromium'),
  profile: stringFlag('--profile <dir>', 'write CPU profiles of the first render (the page and the control plane) into this directory', undefined, 'none'),
};

const serveBundleFlag = stringFlag('--serve-bundle <cli.js>', 'run serve from another build\'s out/main/cli.js (to compare builds in one session)', undefined, 'this build\'s');

const BENCH_FIRST_CLUSTER = { serveBundle: serveBundleFlag };

const BENCH_FOOTPRINT = {
  serveBundle: serveBundleFlag,
  seconds: intFlag('--seconds <n>', 'how long CPU is measured in each window', 60, POSITIVE),
  pods: intFlag('--pods <n>', 'pods Running on the 2 nodes for the second window (0: none)', 100),
  hollowPods: intFlag('--hollow-pods <n>', 'pods Running on hollow nodes for the control plane RSS at scale (0: none)', 1000),
};

function parsePositiveNumber(raw: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('It must be a number more than 0 (0.2 is 12 seconds).');
  return n;
}

function parseSoakCompactionInterval(raw: string): number {
  const ms = parseCompactionInterval(raw);
  if (ms === 0) throw new InvalidArgumentError('The soak measures compaction: the interval must be at least 1s.');
  return ms;
}

const BENCH_SOAK = {
  minutes: customFlag('--minutes <n>', 'how long the churn runs, in minutes (fractions allowed)', 5, parsePositiveNumber),
  compactionInterval: customFlag('--compaction-interval <time>', 'the store\'s compaction interval during the soak (short, so that a run compacts several times)',
    30_000, parseSoakCompactionInterval, '30s'),
  nodes: intFlag('--nodes <n>', 'hollow nodes renewing their Leases every 10 s', 50, POSITIVE),
  rate: intFlag('--rate <n>', 'churn calls per second over HTTPS (writes and reads)', 20, POSITIVE),
  sampleSeconds: intFlag('--sample-seconds <n>', 'seconds between samples', 5, POSITIVE),
  eventTtl: { ...SERVE.eventTtl, description: 'how long an Event is kept after its last write: the live data grows until the first Events expire, so a leak check wants it short' },
};

export type ServeOptions = Values<typeof SERVE>;
export type NodeAddOptions = Values<typeof NODE_ADD>;
export type NamedMachineOptions = Values<typeof NAMED_MACHINE>;
export type ImagesImportOptions = Values<typeof IMAGES_IMPORT>;
export type ImagesBuildOptions = Values<typeof IMAGES_BUILD>;
export type BenchImageOptions = Values<typeof BENCH_IMAGE>;
export type DataDirOptions = Values<typeof DATA_DIR>;
export type BenchApiOptions = Values<typeof BENCH_API>;
export type BenchSchedulerOptions = Values<typeof BENCH_SCHEDULER>;
export type BenchProxyOptions = Values<typeof BENCH_PROXY>;
export type BenchPodStartupOptions = Values<typeof BENCH_POD_STARTUP>;
export type BenchNodeAddOptions = Values<typeof BENCH_NODE_ADD>;
export type BenchUiOptions = Values<typeof BENCH_UI>;
export type BenchDnsOptions = Values<typeof BENCH_DNS>;
export type BenchAuthzOptions = Values<typeof BENCH_AUTHZ>;
export type BenchFootprintOptions = Values<typeof BENCH_FOOTPRINT>;
export type BenchFirstClusterOptions = Values<typeof BENCH_FIRST_CLUSTER>;
export type BenchSoakOptions = Values<typeof BENCH_SOAK>;

export const COMMANDS: readonly CommandDef[] = [
  leaf({
    name: 'serve',
    summary: 'run the control plane and the UI over HTTP; writes D/kubeconfig, prints the API and UI URLs; SIGTERM stops cleanly',
    fields: SERVE,
    run: async (o) => {
      await (await import('./serve')).serve(o);
      return 'running';
    },
  }),
  {
    name: 'node',
    summary: 'manage the worker machines of a running `flotilla serve`',
    subcommands: [
      leaf({ name: 'add', summary: 'add a machine; returns when its node is Ready, printing the steps', fields: NODE_ADD, run: async (o) => (await import('./node')).nodeAdd(o) }),
      leaf({ name: 'ls', aliases: ['list'], summary: 'list the machines and their nodes', fields: DATA_DIR, run: async (o) => (await import('./node')).nodeLs(o) }),
      leaf({ name: 'rm', aliases: ['delete'], summary: 'drain and remove a machine', fields: NAMED_MACHINE, run: async (o) => (await import('./node')).nodeRm(o) }),
      leaf({ name: 'stop', summary: 'stop a machine (its node goes NotReady)', fields: NAMED_MACHINE, run: async (o) => (await import('./node')).nodeStop(o) }),
      leaf({ name: 'start', summary: 'start a stopped machine; returns when its node is Ready', fields: NAMED_MACHINE, run: async (o) => (await import('./node')).nodeStart(o) }),
    ],
  },
  {
    name: 'images',
    summary: 'images on the nodes',
    subcommands: [
      leaf({ name: 'import', summary: 'import an image tarball into every node (and every node added later)', fields: IMAGES_IMPORT, run: async (o) => (await import('./images')).imagesImport(o) }),
      leaf({ name: 'build', summary: 'build an image from a Dockerfile with buildah and push it to the registry, printing the build\'s progress', fields: IMAGES_BUILD,
        run: async (o) => (await import('./images')).imagesBuild(o) }),
    ],
  },
  {
    name: 'bench',
    summary: 'benchmarks: each prints a table, then one JSON object as its last line',
    subcommands: [
      leaf({ name: 'api', summary: 'the API server over HTTPS: creates/s, mutating and GET latency, watch delivery, against raw SQLite', fields: BENCH_API, run: async (o) => (await import('./bench-api')).benchApi(o) }),
      leaf({ name: 'scheduler', summary: 'hollow nodes and 100 deployments scaled up at once: pods scheduled per second', fields: BENCH_SCHEDULER, run: async (o) => (await import('./bench-scheduler')).benchScheduler(o) }),
      leaf({ name: 'proxy', summary: "the node agent's iptables proxier: full and incremental sync (root)", fields: BENCH_PROXY, run: async (o) => (await import('./bench-proxy')).benchProxyCli(o) }),
      leaf({ name: 'pod-startup', summary: 'pod create → Running on a sandbox node, against the raw CRI floor and ctr run (root)', fields: BENCH_POD_STARTUP, run: async (o) => (await import('./bench-pod-startup')).benchPodStartup(o) }),
      leaf({ name: 'node-add', summary: 'a Machine created → its Node Ready', fields: BENCH_NODE_ADD, run: async (o) => (await import('./bench-node-add')).benchNodeAdd(o) }),
      leaf({ name: 'dns', summary: "the node agent's cluster DNS from a pod's network namespace: queries/s, p50/p99 latency (root)", fields: BENCH_DNS, run: async (o) => (await import('./bench-dns')).benchDns(o) }),
      leaf({ name: 'authz', summary: 'authorization decisions with thousands of RBAC bindings: in-process and a GET over HTTPS as a service account', fields: BENCH_AUTHZ, run: async (o) => (await import('./bench-authz')).benchAuthz(o) }),
      leaf({ name: 'image', summary: 'an image with a random layer pushed to a registry and pulled onto sandbox nodes at once, against skopeo copy between two folders (root)',
        fields: BENCH_IMAGE, run: async (o) => (await import('./bench-image')).benchImage(o) }),
      leaf({ name: 'first-cluster', summary: 'serve --nodes 2 on an empty data dir → API, nodes Ready, an app Running, its name in DNS; then a warm restart (root)',
        fields: BENCH_FIRST_CLUSTER, run: async (o) => (await import('./bench-first-cluster')).benchFirstCluster(o) }),
      leaf({ name: 'footprint', summary: 'RSS and idle CPU of the control plane and each node\'s processes, idle and with pods; control plane RSS with hollow pods (root)',
        fields: BENCH_FOOTPRINT, run: async (o) => (await import('./bench-footprint')).benchFootprint(o) }),
      leaf({ name: 'soak', summary: 'continuous churn with hollow nodes: store size, WAL, compaction pauses, RSS and p99 over time, against the bounded-store targets',
        fields: BENCH_SOAK, run: async (o) => (await import('./bench-soak')).benchSoak(o) }),
      leaf({ name: 'ui', summary: 'hollow nodes and pods in headless Chromium: first full render of the map, frame rate under updates', fields: BENCH_UI, run: async (o) => (await import('./bench-ui')).benchUi(o) }),
    ],
  },
  leaf({
    name: 'down',
    summary: 'remove every machine (through the running serve if any) and leave the host clean',
    fields: DATA_DIR,
    run: async (o) => (await import('./down')).down(o),
  }),
];
