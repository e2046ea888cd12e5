// Whether this test process runs as root, and the one rule for tests that need it: skip without root, except under CI,
// where they must run (and fail loudly). No test framework imports: scripts run before the tests use it too.
export const isRoot = process.getuid?.() === 0;
export const skipUnlessRoot = !isRoot && process.env.CI !== 'true';
