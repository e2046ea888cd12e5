// What a VM node runs the agent and containers with: Ubuntu 24.04's own packages — nodejs 18.19 and
// containerd 1.7 (the worker templates install the distro's). The agent bundle must not call what
// Node added after 18.19, and the containerd config must be a version containerd 1.7 reads (2; the
// version 3 layout is containerd 2.x's). Not run on a real Ubuntu guest here: see the README.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { containerdConfig } from '../../../main/protocol/containerd-config';
import { NODE, NODE_CONTAINERD } from '../../../main/nodes/node-paths';
import { defaultAgentBundle } from '../../../main/nodes/artifacts';

/** APIs Node.js added after 18.19 (the version it first appeared in), as they appear in source. */
const NEWER_THAN_18_19: Array<[RegExp, string]> = [
  [/\bPromise\.withResolvers\b/, '22.0'], [/\b(?:Object|Map)\.groupBy\b/, '21.0'], [/\bArray\.fromAsync\b/, '22.0'],
  [/\bAbortSignal\.any\b/, '20.3'], [/\.to(?:Sorted|Reversed|Spliced)\(/, '20.0'], [/\.(?:is|to)WellFormed\(/, '20.0'],
  [/\bURL\.canParse\b/, '19.9'], [/\bimport\.meta\.(?:dirname|filename)\b/, '20.11'], [/\bprocess\.loadEnvFile\b/, '21.7'],
  [/\bstyleText\b/, '21.7'], [/node:sqlite/, '22.5'], [/\bglobSync\b|\bfs\.glob\b/, '22.0'], [/\bnavigator\./, '21.0'],
  [/\bnew WebSocket\(/, '22.0'], [/\bcopyBytesFrom\b/, '19.8'], [/\bopenAsBlob\b/, '19.8'], [/\bcrc32\(/, '22.2'],
  [/\baddAbortListener\b/, '20.5'], [/\bgetBuiltinModule\b/, '22.3'], [/\bcrypto\.hash\(/, '21.7'], [/\bIterator\.from\b/, '22.0'],
  [/\.(?:union|intersection|symmetricDifference|isSubsetOf|isSupersetOf|isDisjointFrom)\(/, '22.0'],
  [/\bconstrainedMemory\b/, '19.6'], [/readdir(?:Sync)?\([^)]*recursive/, '20.1'],
];

describe('the agent on Ubuntu 24.04\'s Node.js 18.19', () => {
  const bundle = defaultAgentBundle();
  it.skipIf(!fs.existsSync(bundle) && process.env.CI !== 'true')('uses nothing Node added after 18.19', () => {
    const code = fs.readFileSync(bundle, 'utf8');
    const found = NEWER_THAN_18_19.filter(([re]) => re.test(code)).map(([re, v]) => `${re.source} (Node ${v})`);
    expect(found).toEqual([]);
  });

  it('is built for Node 18 (esbuild lowers newer syntax)', () => {
    expect(fs.readFileSync(path.join(__dirname, '../../../scripts/build-agent.mjs'), 'utf8')).toMatch(/target: 'node18'/);
  });
});

describe('containerd\'s config on Ubuntu 24.04\'s containerd 1.7', () => {
  it('is a version 2 config with the CRI plugin under its 1.x name and the distro\'s CNI plugin directory', () => {
    const cfg = containerdConfig(NODE_CONTAINERD, { cniBinDir: NODE.cniBinDir });
    expect(cfg).toMatch(/^version = 2\n/);
    expect(cfg).toContain('[plugins."io.containerd.grpc.v1.cri"]');
    expect(cfg).toContain('bin_dir = "/usr/lib/cni"'); // Ubuntu's containernetworking-plugins
  });
});
