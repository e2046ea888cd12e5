// registries.yaml's mirror rewrites: parsed and checked (file and key in errors), written for the node (the rewrites file
// and a hosts.toml for each endpoint the agent pulls from by name), and applied as k3s applies them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRegistriesYaml } from '../../../main/nodes/registry/settings';
import { registryNodeFiles } from '../../../main/nodes/registry/node-files';
import { goReplacement, REGISTRY_REWRITE_FILE, rewritePath, rewrittenRefs, type RegistryRewriteFile } from '../../../main/protocol/registry-rewrite';
import { mirrorRewriter, normalizedRef } from '../../../vm-images/agent/pods/mirror-rewrite';
import type { CriClient } from '../../../vm-images/agent/cri/client';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

const YAML = `mirrors:
  docker.io:
    endpoint:
      - "http://localhost:5000"
      - "https://mirror.example.com:8443/v2"
    rewrite:
      "^library/(.*)": "mirrored/$1"
      "^rancher/(?P<rest>.*)": "mirrorproject/rancher-images/\${rest}"
  quay.io:
    endpoint: ["https://quay-mirror.example.com"]
`;

describe('mirror rewrites', () => {
  it('parses them in the file\'s order', () => {
    const s = parseRegistriesYaml(YAML, '/data/registries.yaml');
    expect(s.mirrors['docker.io']?.rewrite).toEqual([['^library/(.*)', 'mirrored/$1'], ['^rancher/(?P<rest>.*)', 'mirrorproject/rancher-images/${rest}']]);
    expect(s.mirrors['quay.io']?.rewrite).toBeUndefined();
  });

  it('refuses an invalid expression naming the file, line and key', () => {
    const bad = (re: string): string => `mirrors:\n  docker.io:\n    endpoint: ["http://localhost:5000"]\n    rewrite:\n      "${re}": "x/$1"\n`;
    expect(() => parseRegistriesYaml(bad('^library/(.*'), '/data/registries.yaml'))
      .toThrow('/data/registries.yaml: line 5: mirrors.docker.io.rewrite.^library/(.*: invalid regular expression: Unterminated group');
    expect(() => parseRegistriesYaml(bad('^(?=library)(.*)'), '/data/registries.yaml'))
      .toThrow('/data/registries.yaml: line 5: mirrors.docker.io.rewrite.^(?=library)(.*): invalid regular expression: lookahead and lookbehind are not supported (Go RE2 syntax)');
    expect(() => parseRegistriesYaml(bad('^(a)\\\\1'), '/data/registries.yaml')).toThrow('backreferences are not supported');
  });

  it('applies the first rewrite that changes the path, with Go\'s replacement syntax', () => {
    const rules: Array<[string, string]> = [['^library/(.*)', 'mirrored/$1'], ['^rancher/(?P<rest>.*)', 'mirrorproject/${rest}'], ['^(.*)$', 'all/${1}']];
    expect(rewritePath('library/nginx', rules)).toBe('mirrored/nginx');
    expect(rewritePath('rancher/coredns-coredns', rules)).toBe('mirrorproject/coredns-coredns');
    expect(rewritePath('team/app', rules)).toBe('all/team/app');
    expect(rewritePath('team/app', [['^nomatch/', 'x/']])).toBeUndefined();
    expect(goReplacement('a$$b${2}c$name')).toBe('a$$b$2c$<name>');
  });

  it('gives the rewritten reference at each endpoint, the `*` mirror for registries without their own', () => {
    const file: RegistryRewriteFile = {
      mirrors: {
        'docker.io': { endpoints: ['localhost:5000', 'mirror.example.com:8443'], rewrite: [['^library/(.*)', 'mirrored/$1']] },
        'quay.io': { endpoints: ['q.example.com'], rewrite: [] },
        '*': { endpoints: ['any.example.com'], rewrite: [['^(.*)$', 'all/$1']] },
      },
    };
    expect(rewrittenRefs('docker.io/library/x:1', file)).toEqual(['localhost:5000/mirrored/x:1', 'mirror.example.com:8443/mirrored/x:1']);
    expect(rewrittenRefs('docker.io/library/x@sha256:abc', file)).toEqual(['localhost:5000/mirrored/x@sha256:abc', 'mirror.example.com:8443/mirrored/x@sha256:abc']);
    expect(rewrittenRefs('docker.io/team/app:2', file)).toEqual([]);
    expect(rewrittenRefs('quay.io/org/app:2', file)).toEqual([]);
    expect(rewrittenRefs('ghcr.io/org/app:3', file)).toEqual(['any.example.com/all/org/app:3']);
    expect(normalizedRef('x:1')).toBe('docker.io/library/x:1');
    expect(normalizedRef('localhost:5000/a/b')).toBe('localhost:5000/a/b:latest');
  });

  it('writes the rewrites file and a hosts.toml for each endpoint the agent pulls from by name', () => {
    const files = registryNodeFiles({
      settings: parseRegistriesYaml(YAML), insecure: [], baseDir: '/data', builtin: { port: 5000, hostAddress: '10.251.7.1' },
    });
    const byPath = new Map(files.map((f) => [f.remote, f.content]));
    expect(JSON.parse(byPath.get(REGISTRY_REWRITE_FILE) ?? '{}')).toEqual({
      mirrors: {
        'docker.io': { endpoints: ['localhost:5000', 'mirror.example.com:8443'], rewrite: [['^library/(.*)', 'mirrored/$1'], ['^rancher/(?P<rest>.*)', 'mirrorproject/rancher-images/${rest}']] },
        'quay.io': { endpoints: ['quay-mirror.example.com'], rewrite: [] },
      },
    });
    const hosts = [...byPath.keys()].filter((p) => p.endsWith('hosts.toml')).map((p) => path.basename(path.dirname(p)));
    expect(hosts.sort()).toEqual(['docker.io', 'localhost:5000', 'mirror.example.com:8443', 'quay.io']);
    expect(byPath.get(files.find((f) => f.remote.includes('/mirror.example.com:8443/'))?.remote ?? '')).toContain('server = "https://mirror.example.com:8443"');
    expect(byPath.get(files.find((f) => f.remote.includes('/localhost:5000/'))?.remote ?? '')).toContain('server = "http://10.251.7.1:5000"');
    // No rewrites anywhere: no file.
    const plain = registryNodeFiles({ settings: parseRegistriesYaml('mirrors:\n  docker.io:\n    endpoint: ["http://localhost:5000"]\n'), insecure: [], baseDir: '/data' });
    expect(plain.map((f) => f.remote)).not.toContain(REGISTRY_REWRITE_FILE);
  });

  it('the agent reads the node file afresh on every pull (none without the file)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-rewrite-'));
    dirs.push(dir);
    const file = path.join(dir, 'rewrite.json');
    const rewriter = mirrorRewriter({ socket: '/nonexistent' } as unknown as CriClient, file);
    expect(rewriter.refs('x:1')).toEqual([]);
    fs.writeFileSync(file, JSON.stringify({ mirrors: { 'docker.io': { endpoints: ['localhost:5000'], rewrite: [['^library/(.*)', 'mirrored/$1']] } } }));
    expect(rewriter.refs('x:1')).toEqual(['localhost:5000/mirrored/x:1']);
    expect(rewriter.refs('Bad Name')).toEqual([]);
  });
});
