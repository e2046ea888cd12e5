// The files of tests/unit that must run isolated (each with a module graph of its own) rather than in the `unit`
// project, which shares one module graph across its files (vitest.config.ts): they change what other files would
// see — module mocks, stubbed globals or environment, fake timers, or a DOM environment of their own.
// tests/unit/lint/unit-isolation.test.ts holds every other unit file to that.
export const UNIT_ISOLATED = [
  'tests/unit/renderer/**/*.test.ts',
  'tests/unit/nodes/image-build-args.test.ts',
  'tests/unit/nodes/vm-guest-runtime.test.ts',
  'tests/unit/scheduler/queue.test.ts',
  'tests/unit/flowcontrol/flowcontrol.test.ts',
  'tests/unit/registry/bookmark-ticker.test.ts',
];

/** What a unit file does that calls for isolation (the test of the rule looks for these). */
export const NEEDS_ISOLATION = /\bvi\.(mock|doMock|stubGlobal|stubEnv|useFakeTimers|resetModules)\b|@vitest-environment|process\.env\.\w+\s*=(?!=)|delete process\.env/;
