// The agent's V8 tuning, set at its start (vm-images/agent/v8-tuning.ts, from v8-flags.ts): flags this node's V8 knows (an unknown one is
// only reported, so a typo would go unnoticed), and set before the rest of the bundle runs.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { AGENT_V8_TUNING } from '../../../vm-images/agent/v8-flags';

describe('the agent\'s V8 tuning', () => {
  it('is made of flags this node\'s V8 accepts', () => {
    const script = `const v8 = require('node:v8'); for (const f of ${JSON.stringify(AGENT_V8_TUNING)}) v8.setFlagsFromString(f);`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/unrecognized flag/i);
    // And the check can fail: V8 names a flag it does not know.
    const bad = spawnSync(process.execPath, ['-e', 'require("node:v8").setFlagsFromString("--no-such-v8-flag=2")'], { encoding: 'utf8' });
    expect(bad.stderr).toMatch(/unrecognized flag --no-such-v8-flag/);
  });
});
