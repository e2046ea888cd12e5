import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import vue from '@vitejs/plugin-vue';
import { filesOf, needingIsolation } from './tests/isolation';

// One runner for every test, as several projects. `host` tests start real processes on this machine (sandbox nodes,
// containerd, iptables, chromium) and run one file at a time, since nodes share the host's bridges, routes and cgroups.
// `in-process` tests (unit tests, API/controller tests against an in-process API server on a free port, and the few
// others that start only their own servers or browsers on free loopback ports) touch nothing host-wide.
// scripts/run-tests.mjs runs the projects side by side, so the in-process files fill the time the host files
// spend waiting on their nodes; `vitest run FILE` still runs any file in its own project.
const inProcess = [
  'tests/unit/**/*.test.ts',
  'tests/integration/api/**/*.test.ts',
  'tests/integration/auth/**/*.test.ts',
  'tests/integration/controllers/**/*.test.ts',
  'tests/integration/storage/**/*.test.ts',
  'tests/integration/apps/**/*.test.ts',
  'tests/integration/cli/**/*.test.ts',
  'tests/integration/registry/**/*.test.ts',
  'tests/integration/streams/protocols.test.ts',
  'tests/integration/streams/port-forward-relay.test.ts',
  'tests/integration/agent/reflector.test.ts',
  'tests/integration/agent/dns-answerer.test.ts',
  'tests/integration/agent/lease-retry.test.ts',
  'tests/integration/agent/pod-conditions.test.ts',
  'tests/e2e/bridge.test.ts',
  'tests/e2e/ui-empty.test.ts',
  'tests/e2e/ui-clusters.test.ts',
  'tests/e2e/ui-architecture-hollow.test.ts',
  'tests/e2e/ui-history.test.ts',
];

// Files of an in-process folder that run in `node-local`: those mounting a file system of their own (a tmpfs),
// touching nothing another test uses, and, for balance (the in-process run was the longest, by ≈ 4 min in a slow CI
// run), three that wait on servers of their own (aggregated API servers, conversion and admission webhooks) and the node
// authorizer's (≈ 70 s; in-process was still 140 s longer than node-local once every run shared its modules). The in-process project
// leaves them out; node-local excludes every other file of the in-process list.
const nodeLocalMounts = ['tests/integration/storage/disk-full.test.ts'];
const fromInProcess = [...nodeLocalMounts, 'tests/integration/api/apiservices.test.ts', 'tests/integration/api/crd-conversion-webhook.test.ts',
  'tests/integration/api/admission-webhooks.test.ts', 'tests/integration/api/node-authorizer.test.ts'];

// `node-local` tests run a real containerd (and agent), or a VM provider's stand-ins, of their own: in a network namespace named after the test
// process (tests/helpers/netns.ts) or on a bridge, subnet and cgroup of their own (tests/helpers/containerd.ts), so
// they touch nothing another test uses and run beside the other two projects.
const nodeLocal = [
  'tests/integration/agent/**/*.test.ts',
  'tests/integration/agent-runtime/**/*.test.ts',
  'tests/integration/streams/streams.test.ts',
  // The VM providers against stand-in CLIs; their guests' sshd listen on loopback ports of their own.
  'tests/integration/nodes/vm-providers.test.ts',
  'tests/integration/nodes/lima-provider.test.ts',
  'tests/integration/nodes/multipass-provider.test.ts',
  ...fromInProcess,
  // kill -9 of serve, an agent, a containerd: sandbox nodes on a uniqueSandbox network, serve without host routes.
  'tests/integration/nodes/faults-control-plane.test.ts',
  'tests/integration/nodes/faults-node-kill.test.ts',
  // Chromium against a control plane of their own on free loopback ports (in-process would do; here for balance: the
  // in-process run was the longest, by ≈ 5 min, and these ≈ 2.3 min of it).
  'tests/e2e/ui-remote.test.ts',
  'tests/e2e/ui-find.test.ts',
  'tests/e2e/ui-browser.test.ts',
  'tests/e2e/ui-yaml.test.ts',
  'tests/e2e/bench-ui.test.ts',
];

// `vm` boots a real QEMU VM (TCG where there is no KVM, as here) beside a sandbox node of its own uniqueSandbox
// network. scripts/run-tests.mjs runs it as a fifth run, after building the node image (≈ 1.5 min on a quiet machine,
// kept in /var/cache/flotilla/qemu-images); the test takes ≈ 2.5 min quiet under TCG. `npm run test:vm` runs it alone.
const vm = ['tests/integration/nodes/qemu-provider.test.ts'];

// `in-process` shares one module graph across its files (isolate: false): importing the control plane's modules anew
// for each of ≈ 200 files was more than half of its time. The files that change what the files after them would see
// (module mocks, stubbed globals or environment, fake timers, a DOM environment of their own: tests/isolation.ts finds
// them by reading them) run in `isolated`, each with a graph of its own.
const minus = (files: string[], gone: string[]): string[] => files.filter((f) => !gone.includes(f));
/** The files the in-process run holds (its own list but those moved to node-local). */
const inProcessOwn = minus(filesOf(__dirname, inProcess), fromInProcess);
const isolated = needingIsolation(__dirname, inProcessOwn);

// `nodes` tests run real sandbox clusters beside the `host` lane, one file at a time. A file belongs here when all it
// touches on the host is its cluster's own: the sandbox network of uniqueSandbox(n) (bridge, subnet, netns/cgroup/veth
// prefix, its FORWARD chain), the unique cluster CIDR startTestCluster gives a cluster with nodes, free ports (API,
// ingress, registries, localhost load balancers, port forwards), a throwaway network namespace. It stays in `host` when it
// uses something one cluster per host holds: host routes (`hostRoutes`, which `flotilla serve` turns on: the service CIDR
// and the load balancer pool are the same in every cluster), the default numbered sandbox networks and their register
// (two data dirs, network choice, the e2e servers), chromium with nodes, or fixed host names and ports.
// Kept in `host` although they would qualify, for balance and because they need CPU of their own (node-size, hpa-cpu):
// batch-jobs, hpa-cpu, machine-retry, node-size, persistent-volumes, statefulset.
const nodes = [
  'tests/integration/nodes/admission-webhook-service.test.ts',
  'tests/integration/nodes/aggregated-apiserver.test.ts',
  'tests/integration/nodes/api-proxy.test.ts',
  'tests/integration/nodes/bench-image.test.ts',
  'tests/integration/nodes/bridge-shell.test.ts',
  'tests/integration/nodes/cluster-dns.test.ts',
  'tests/integration/nodes/foreign-node-guard.test.ts',
  'tests/integration/nodes/host-forward.test.ts',
  'tests/integration/nodes/host-route-table.test.ts',
  'tests/integration/nodes/image-build.test.ts',
  'tests/integration/nodes/image-pull.test.ts',
  'tests/integration/nodes/images-bridge.test.ts',
  'tests/integration/nodes/ingress.test.ts',
  'tests/integration/nodes/kubectl-debug.test.ts',
  'tests/integration/nodes/localhost-lb.test.ts',
  'tests/integration/nodes/machine-arch.test.ts',
  'tests/integration/nodes/machine-controller.test.ts',
  'tests/integration/nodes/machine-load.test.ts',
  'tests/integration/nodes/machine-names.test.ts',
  'tests/integration/nodes/network-policy.test.ts',
  'tests/integration/nodes/node-faults.test.ts',
  'tests/integration/nodes/pod-journey.test.ts',
  'tests/integration/nodes/port-forwards.test.ts',
  'tests/integration/nodes/real-app.test.ts',
  'tests/integration/nodes/registries.test.ts',
  'tests/integration/nodes/runtime-class.test.ts',
  'tests/integration/nodes/sandbox-provider.test.ts',
  'tests/integration/nodes/serviceaccount-token.test.ts',
  'tests/integration/nodes/ssh-sessions.test.ts',
];

// `host`, `nodes` and `node-local` share one module graph across their files too (isolate: false): a file of theirs
// imported the control plane or the agent anew, ≈ 2.7 s of CPU a file on a quiet machine and 8–11 s of wall time in a
// loaded CI run (≈ 250–320 s a run); their files that need a graph of their own (tests/isolation.ts) run first, in
// `<name>-isolated`, in the same run (scripts/run-tests.mjs).
const hostGlobs = ['tests/**/*.test.ts', 'main/**/*.test.ts', 'vm-images/**/*.test.ts', 'renderer/**/*.test.ts'];
const laneFiles = {
  'host': minus(filesOf(__dirname, hostGlobs), filesOf(__dirname, [...inProcess, ...nodeLocal, ...nodes, ...vm])),
  'nodes': minus(filesOf(__dirname, nodes), filesOf(__dirname, [...inProcess, ...nodeLocal])),
  'node-local': minus(filesOf(__dirname, nodeLocal), inProcessOwn),
};
/** A lane's two projects: its files sharing one module graph, and those needing their own (a pattern matching nothing when none do). */
const sharedAndIsolated = (name: keyof typeof laneFiles): TestProjectInlineConfiguration[] => {
  const own = needingIsolation(__dirname, laneFiles[name]);
  return [
    { extends: true, test: { name, include: minus(laneFiles[name], own), isolate: false } },
    { extends: true, test: { name: `${name}-isolated`, include: own.length ? own : [`tests/${name}-isolated-none.test.ts`] } },
  ];
};

export default defineConfig({
  plugins: [vue()],
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'in-process', include: inProcess, exclude: [...fromInProcess, ...isolated], isolate: false } },
      { extends: true, test: { name: 'isolated', include: isolated } },
      { extends: true, test: { name: 'vm', include: vm } },
      ...sharedAndIsolated('node-local'),
      ...sharedAndIsolated('nodes'),
      ...sharedAndIsolated('host'),
    ],
  },
});
