// The files of tests/unit that must run isolated (each with a module graph of its own) rather than in the `unit`
// project, which shares one module graph across its files (vitest.config.ts): they change what other files would
// see — module mocks, stubbed globals or environment, fake timers, or a DOM environment of their own — and those that
// open a store, registry or control plane (in the shared graph a job controller test, a service load balancer test and
// a service-account token test failed that pass alone: some state outlives a store instance; not found yet).
// tests/unit/lint/unit-isolation.test.ts holds every other unit file to that.
/** The unit files that open a store or registry of their own. */
const STORE_USERS = [
  'tests/unit/auth/**/*.test.ts',
  'tests/unit/metrics/**/*.test.ts',
  'tests/unit/store/**/*.test.ts',
  'tests/unit/registry/**/*.test.ts',
  'tests/unit/protocol/**/*.test.ts',
  'tests/unit/nodes/**/*.test.ts',
  // Its probes' text names the store.
  'tests/unit/lint/boundaries.test.ts',
];

export const UNIT_ISOLATED = [
  'tests/unit/renderer/**/*.test.ts',
  'tests/unit/controllers/**/*.test.ts',
  'tests/unit/tables/nodes.test.ts',
  'tests/unit/nodes/drain-budget.test.ts',
  'tests/unit/scheduler/plugins.test.ts',
  'tests/unit/registry/service-health-check-port.test.ts',
  'tests/unit/nodes/image-build-args.test.ts',
  'tests/unit/nodes/vm-guest-runtime.test.ts',
  'tests/unit/scheduler/queue.test.ts',
  'tests/unit/flowcontrol/flowcontrol.test.ts',
  'tests/unit/registry/bookmark-ticker.test.ts',
  ...STORE_USERS,
];

/** What a unit file does that calls for isolation (the test of the rule looks for these). */
export const NEEDS_ISOLATION = new RegExp([
  String.raw`\bvi\.(mock|doMock|stubGlobal|stubEnv|useFakeTimers|resetModules)\b`, '@vitest-environment', String.raw`process\.env\.\w+\s*=(?!=)`,
  'delete process\\.env', String.raw`\b(controlPlaneEach|startCore|jobPlaneEach|startTestCluster|startApiServer|openRegistry|openStore|SqliteStore)\b`,
].join('|'));
