// Applies the agent's V8 tuning (v8-flags.ts) before any other module of the bundle runs: main.ts imports this first.
// Not on node's command line with the other flags (AGENT_NODE_FLAGS): there an unknown flag stops node, and the V8 of
// an older node (a distribution's package on a VM node) may not know --bytecode-old-age; set here, a flag it does not
// know is only reported on stderr.
import { setFlagsFromString } from 'node:v8';
import { AGENT_V8_TUNING } from './v8-flags';

for (const flag of AGENT_V8_TUNING) setFlagsFromString(flag);
