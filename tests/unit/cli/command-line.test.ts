// The `flotilla` command line, in process: every command rejects unknown flags, bad values,
// unknown subcommands and missing arguments (exit code 2, naming them, with the command's help);
// every command's help lists every flag with its default; the invocations the repo itself uses
// parse to the values meant; README.md's "Command line" section is the one made from the definitions.
// Nothing here runs an action: the parsing checks that succeed use the definitions with a
// recording action in place of the real one (tests/integration/cli runs the real CLI).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../main/cli/commands';
import { isGroup, type CommandDef, type Flag } from '../../../main/cli/define';
import { buildProgram, EXIT_USAGE, runCli } from '../../../main/cli/program';
import { commandLineReference, REFERENCE_BEGIN, REFERENCE_END, withReference } from '../../../main/cli/reference';
import { defaultDataDir } from '../../../main/cli/data-dir';

const README = path.resolve(__dirname, '../../../README.md');

interface Run {
  code: number | 'running';
  out: string;
  err: string;
}

async function run(argv: string[], commands: readonly CommandDef[] = COMMANDS): Promise<Run> {
  let out = '';
  let err = '';
  const code = await runCli(commands, argv, { writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  return { code, out, err };
}

/** Every command that does something, as its words after `flotilla`, with its definition. */
function leaves(defs: readonly CommandDef[], prefix: string[] = []): Array<{ words: string[]; flags: Flag<unknown>[]; positionals: number }> {
  return defs.flatMap((d) => (isGroup(d)
    ? leaves(d.subcommands, [...prefix, d.name])
    : [{
      words: [...prefix, d.name],
      flags: Object.values(d.fields).filter((f): f is Flag<unknown> => f.kind === 'flag'),
      positionals: Object.values(d.fields).filter((f) => f.kind === 'positional').length,
    }]));
}

/** The definitions with each action replaced by one that records the values it was given. */
function recording(defs: readonly CommandDef[], seen: Array<Record<string, unknown>>): CommandDef[] {
  return defs.map((d) => (isGroup(d)
    ? { ...d, subcommands: recording(d.subcommands, seen) }
    : { ...d, run: async (v: Record<string, unknown>) => void seen.push({ ...v }) }));
}

async function parsed(argv: string[]): Promise<Record<string, unknown>> {
  const seen: Array<Record<string, unknown>> = [];
  const r = await run(argv, recording(COMMANDS, seen));
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(seen).toHaveLength(1);
  return seen[0];
}

const longName = (f: Flag<unknown>) => f.syntax.split(/[ ,]/).find((w) => w.startsWith('--')) ?? f.syntax;
const ALL = leaves(COMMANDS);

describe('flotilla: usage errors exit 2 and say what was wrong', () => {
  it.each(ALL.map((l) => [l.words.join(' '), l]))('%s rejects an unknown flag, naming it and the command, with its help', async (name, l) => {
    const r = await run([...l.words, ...Array<string>(l.positionals).fill('x'), '--bogus-flag']);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.err).toContain(`flotilla ${name}: unknown option '--bogus-flag'`);
    expect(r.err).toContain(`Usage: flotilla ${name}`);
    for (const f of l.flags) expect(r.err).toContain(longName(f));
  });

  it('suggests the flag meant: serve --node 2', async () => {
    const r = await run(['serve', '--node', '2']);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.err).toMatch(/unknown option '--node'\s*\(Did you mean --nodes\?\)/);
  });

  it.each([
    [['serve', '--nodes', 'abc'], '--nodes', 'abc'],
    [['serve', '--nodes', '-1'], '--nodes', '-1'],
    [['serve', '--nodes', '1.5'], '--nodes', '1.5'],
    [['serve', '--hollow-nodes', '2x'], '--hollow-nodes', '2x'],
    [['serve', '--api-port', '70000'], '--api-port', '70000'],
    [['serve', '--provider', 'vmware'], '--provider', 'vmware'],
    [['serve', '--load-balancer', 'metallb'], '--load-balancer', 'metallb'],
    [['serve', '--insecure-registry', 'http://r:5000'], '--insecure-registry', 'http://r:5000'],
    [['serve', '--registry-port', '-5'], '--registry-port', '-5'],
    [['serve', '--compaction-interval', 'soon'], '--compaction-interval', 'soon'],
    [['serve', '--compaction-interval', '500ms'], '--compaction-interval', '500ms'],
    [['serve', '--cluster-cidr', '10.244.0.0'], '--cluster-cidr', '10.244.0.0'],
    [['serve', '--cluster-cidr', '10.244.0.0/25'], '--cluster-cidr', '10.244.0.0/25'],
    [['node', 'add', '--memory', '2T'], '--memory', '2T'],
    [['node', 'add', '--cpus', '0'], '--cpus', '0'],
    [['bench', 'scheduler', '--pods', '0'], '--pods', '0'],
    [['bench', 'node-add', '--provider', 'docker'], '--provider', 'docker'],
  ])('%j: a bad value is an error naming the flag and the value', async (argv, flag, value) => {
    const r = await run(argv);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.err).toContain(`option '${flag} `);
    expect(r.err).toContain(`argument '${value}' is invalid`);
  });

  it('a flag without its value is an error', async () => {
    const r = await run(['serve', '--nodes']);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.err).toContain("option '--nodes <n>' argument missing");
  });

  it.each([[['bogus']], [['node', 'bogus']], [['bench', 'nope']], [['images', 'export']]])('%j: an unknown command is an error', async (argv) => {
    const r = await run(argv);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.err).toContain(`unknown command '${argv[argv.length - 1]}'`);
  });

  it.each([[['node', 'rm']], [['node', 'stop']], [['node', 'start']], [['images', 'import']], [['images', 'build']]])('%j: a missing argument is an error', async (argv) => {
    const r = await run(argv);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.err).toMatch(/missing required argument '(name|file|dir)'/);
  });

  it('extra arguments are an error', async () => {
    const r = await run(['serve', '2']);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.err).toContain('too many arguments');
  });

  it('no command, or a group without its subcommand, prints that help to stderr and exits 2', async () => {
    for (const argv of [[], ['node'], ['bench']]) {
      const r = await run(argv);
      expect(r.code).toBe(EXIT_USAGE);
      expect(r.out).toBe('');
      expect(r.err).toContain(`Usage: ${['flotilla', ...argv].join(' ')} [options] [command]`);
    }
  });
});

describe('flotilla: help', () => {
  it.each(ALL.map((l) => [l.words.join(' '), l]))('%s --help (and help %s) lists every flag with its default, exit 0', async (_name, l) => {
    const r = await run([...l.words, '--help']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const text = r.out.replace(/\s+/g, ' ');
    for (const f of l.flags) {
      expect(text).toContain(f.syntax);
      const def = f.defaultHelp ?? (f.default === undefined ? undefined : `${f.default as string | number | boolean}`); // flag defaults are primitives
      if (def !== undefined) expect(text).toContain(`default: ${def}`);
    }
    const viaHelp = await run(['help', ...l.words]);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.out).toBe(r.out);
  });

  it('help ignores flags after the command words, and says which word it does not know', async () => {
    const serve = await run(['serve', '--help']);
    const withFlags = await run(['help', 'serve', '--nodes', '2']);
    expect(withFlags.code).toBe(0);
    expect(withFlags.out).toBe(serve.out);
    const unknown = await run(['help', 'bench', 'nope']);
    expect(unknown.code).toBe(EXIT_USAGE);
    expect(unknown.err).toContain("flotilla bench: unknown command 'nope'");
  });

  it('flotilla --help lists every command', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const d of COMMANDS) expect(r.out).toMatch(new RegExp(`^  ${d.name}\\b`, 'm'));
    const bench = await run(['help', 'bench']);
    for (const l of ALL.filter((x) => x.words[0] === 'bench')) expect(bench.out).toMatch(new RegExp(`^  ${l.words[1]} `, 'm'));
  });
});

/** serve's node-lifecycle flags at Kubernetes' defaults. */
const K8S_LIFECYCLE = { nodeMonitorGracePeriod: 40, defaultNotReadyTolerationSeconds: 300, defaultUnreachableTolerationSeconds: 300 };

describe('flotilla: the invocations the repo uses parse to what they mean', () => {
  it('serve, as bench api, the e2e tests, serve-e2e, scripts/start.mjs and the README run it', async () => {
    expect(await parsed(['serve', '--data-dir', '/tmp/d', '--api-port', '0', '--ui-port', '0', '--nodes', '0'])).toEqual({
      dataDir: '/tmp/d', apiPort: 0, uiPort: 0, nodes: 0, provider: undefined, hollowNodes: 0, ingressPort: 8080, ingressHttpsPort: 8443,
      loadBalancer: undefined, registryPort: 5000, insecureRegistry: [], ...K8S_LIFECYCLE, tracing: true, otlpEndpoint: undefined,
      hostRoutes: true, metrics: true, eventTtl: 3600,
    });
    // Tracing switched off (options starting with --no- would clash with the parser), and a collector's endpoint completed to OTLP's traces path.
    expect(await parsed(['serve', '--tracing=false', '--otlp-endpoint', 'http://localhost:4318'])).toMatchObject({ tracing: false, otlpEndpoint: 'http://localhost:4318/v1/traces' });
    const badUrl = await run(['serve', '--otlp-endpoint', 'localhost:4318']);
    expect(badUrl.code).toBe(EXIT_USAGE);
    expect(badUrl.err).toContain('an OTLP/HTTP endpoint is http:// or https://');
    expect((await run(['serve', '--tracing', 'maybe'])).err).toContain('It must be true or false.');
    expect(await parsed(['serve', '--data-dir', '/tmp/d', '--api-port', '0', '--ui-port', '0', '--nodes', '0', '--hollow-nodes', '2'])).toMatchObject({ nodes: 0, hollowNodes: 2 });
    expect(await parsed(['serve', '--data-dir', 'rel', '--api-port', '41234', '--ui-port', '0', '--nodes', '2', '--provider', 'sandbox'])).toMatchObject({ dataDir: path.resolve('rel'), apiPort: 41234, nodes: 2, provider: 'sandbox' });
    expect(await parsed(['serve', '--nodes', '2'])).toEqual({
      dataDir: defaultDataDir(), apiPort: 6443, uiPort: 7080, nodes: 2, provider: undefined, hollowNodes: 0, ingressPort: 8080, ingressHttpsPort: 8443,
      loadBalancer: undefined, registryPort: 5000, insecureRegistry: [], ...K8S_LIFECYCLE, tracing: true, otlpEndpoint: undefined,
      hostRoutes: true, metrics: true, eventTtl: 3600,
    });
    expect(await parsed(['serve', '--ingress-port', '0', '--ingress-https-port', '9443'])).toMatchObject({ ingressPort: 0, ingressHttpsPort: 9443 });
    expect(await parsed(['serve', '--load-balancer', 'localhost'])).toMatchObject({ loadBalancer: 'localhost' });
    // A second cluster beside one that holds the host's routes (the fault tests' serve runs beside other tests).
    expect(await parsed(['serve', '--host-routes=false'])).toMatchObject({ hostRoutes: false });
    expect((await run(['serve', '--host-routes', 'no'])).err).toContain('It must be true or false.');
    expect(await parsed(['serve', '--load-balancer=pool'])).toMatchObject({ loadBalancer: 'pool' });
    expect(await parsed(['serve', '--data-dir=/tmp/e', '--nodes=3'])).toMatchObject({ dataDir: '/tmp/e', nodes: 3 });
    expect(await parsed(['serve', '--registry-port', '0', '--insecure-registry', '10.0.0.1:5000', '--insecure-registry=reg.local:5001']))
      .toMatchObject({ registryPort: 0, insecureRegistry: ['10.0.0.1:5000', 'reg.local:5001'] });
    expect(await parsed(['serve', '--compaction-interval', '90s'])).toMatchObject({ compactionInterval: 90_000 });
    expect(await parsed(['serve', '--compaction-interval=1h30m'])).toMatchObject({ compactionInterval: 5_400_000 });
    expect(await parsed(['serve', '--compaction-interval', '0'])).toMatchObject({ compactionInterval: 0 });
    expect(await parsed(['serve', '--cluster-cidr', '10.128.16.0/20'])).toMatchObject({ clusterCIDR: '10.128.16.0/20' });
    expect((await run(['serve', '--cluster-cidr', '10.96.0.0/12'])).err).toContain('it overlaps the service CIDR 10.96.0.0/16');
    expect(await parsed(['serve', '--node-monitor-grace-period', '4s', '--default-not-ready-toleration-seconds', '5', '--default-unreachable-toleration-seconds=6']))
      .toMatchObject({ nodeMonitorGracePeriod: 4, defaultNotReadyTolerationSeconds: 5, defaultUnreachableTolerationSeconds: 6 });
    expect(await parsed(['serve', '--node-monitor-grace-period', '1m30s'])).toMatchObject({ nodeMonitorGracePeriod: 90 });
    const bad = await run(['serve', '--node-monitor-grace-period', '4']);
    expect(bad.code).toBe(EXIT_USAGE);
    expect(bad.err).toContain('It must be a duration like 40s, 1m30s or 500ms.');
    expect((await run(['serve', '--node-monitor-grace-period', '0s'])).err).toContain('It must be more than 0s.');
    expect(await parsed(['serve'])).toMatchObject({ eventTtl: 3600 });
    expect(await parsed(['serve', '--event-ttl', '10m'])).toMatchObject({ eventTtl: 600 });
    expect((await run(['serve', '--event-ttl', 'forever'])).err).toContain('It must be a duration like 40s, 1m30s or 500ms.');
  });

  it('node, images and down, as tests/integration/nodes/cli-node runs them', async () => {
    expect(await parsed(['node', 'add', '--provider', 'lima', '--data-dir', '/d'])).toEqual({ dataDir: '/d', provider: 'lima', name: undefined, cpus: 2, memory: 2048, disk: 10, timeout: undefined });
    expect(await parsed(['node', 'add', '--name', 'cli-1', '--cpus', '1', '--memory', '1G', '--data-dir', '/d'])).toMatchObject({ name: 'cli-1', cpus: 1, memory: 1024 });
    expect(await parsed(['node', 'ls', '--data-dir', '/d'])).toEqual({ dataDir: '/d' });
    expect(await parsed(['node', 'list', '--data-dir', '/d'])).toEqual({ dataDir: '/d' });
    expect(await parsed(['images', 'import', 'img.tar', '--data-dir', '/d'])).toEqual({ file: 'img.tar', dataDir: '/d' });
    expect(await parsed(['images', 'build', 'app', '--data-dir', '/d'])).toEqual({ dir: 'app', tag: undefined, file: undefined, registry: 'localhost:5000', buildArg: [], dataDir: '/d' });
    expect(await parsed(['images', 'build', 'app', '-t', 'web:1', '-f', 'app/Web.Dockerfile', '--registry', '10.0.0.1:5001', '--build-arg', 'A=1', '--build-arg', 'B=x=y']))
      .toMatchObject({ dir: 'app', tag: 'web:1', file: 'app/Web.Dockerfile', registry: '10.0.0.1:5001', buildArg: ['A=1', 'B=x=y'] });
    for (const sub of ['stop', 'start', 'rm', 'delete']) expect(await parsed(['node', sub, 'cli-1', '--data-dir', '/d'])).toEqual({ name: 'cli-1', dataDir: '/d' });
    expect(await parsed(['down', '--data-dir', '/d'])).toEqual({ dataDir: '/d' });
  });

  it('each bench with its own flags and defaults', async () => {
    expect(await parsed(['bench', 'api'])).toEqual({ count: 5000, clients: 16, watchers: 100, watchEvents: 1000, protocol: 'http1.1', tracing: true, metrics: true, overhead: 0 });
    expect(await parsed(['bench', 'api', '--overhead', '3'])).toMatchObject({ overhead: 3 });
    expect(await parsed(['bench', 'api', '--metrics=false', '--tracing=false'])).toMatchObject({ metrics: false, tracing: false });
    expect(await parsed(['bench', 'api', '--protocol', 'h2'])).toMatchObject({ protocol: 'h2' });
    expect(await parsed(['bench', 'api', '--tracing=false'])).toMatchObject({ tracing: false });
    expect(await parsed(['bench', 'scheduler', '--nodes', '5000', '--pods', '10000'])).toEqual({ nodes: 5000, pods: 10_000, timeout: 600, statefulset: false });
    expect(await parsed(['bench', 'proxy'])).toEqual({ services: 1000, runs: 5 });
    expect(await parsed(['bench', 'pod-startup', '--pods', '20', '--burst', '10'])).toEqual({ pods: 20, burst: 10, tracing: true, metrics: true, overhead: 0 });
    expect(await parsed(['bench', 'pod-startup', '--overhead', '2'])).toMatchObject({ overhead: 2 });
    expect(await parsed(['bench', 'node-add'])).toEqual({ runs: 5, provider: 'sandbox' });
    expect(await parsed(['bench', 'image'])).toEqual({ sizeMb: 50, nodes: 3 });
    expect(await parsed(['bench', 'ui', '--nodes', '10', '--pods', '200'])).toEqual({ nodes: 10, pods: 200, rate: 100, seconds: 10, chromium: '/usr/bin/chromium' });
    expect(await parsed(['bench', 'soak'])).toEqual({ minutes: 5, compactionInterval: 30_000, nodes: 50, rate: 20, sampleSeconds: 5, eventTtl: 3600 });
    expect(await parsed(['bench', 'soak', '--minutes', '0.2', '--compaction-interval', '2s'])).toMatchObject({ minutes: 0.2, compactionInterval: 2000 });
    expect(await parsed(['bench', 'soak', '--event-ttl', '2m'])).toMatchObject({ eventTtl: 120 });
    for (const [flag, value, message] of [
      ['--minutes', '0', 'It must be a number more than 0'], ['--minutes', 'soon', 'It must be a number more than 0'],
      ['--compaction-interval', '0', 'the interval must be at least 1s'], ['--compaction-interval', '500ms', 'at least 1s'],
    ]) {
      const bad = await run(['bench', 'soak', flag, value]);
      expect(bad.code, `${flag} ${value}`).toBe(EXIT_USAGE);
      expect(bad.err).toContain(message);
    }
  });
});

describe('README.md "Command line"', () => {
  const readme = fs.readFileSync(README, 'utf8');
  const section = readme.slice(readme.indexOf(REFERENCE_BEGIN), readme.indexOf(REFERENCE_END));

  it('lists every command and every flag', () => {
    const blocks = section.split(/^(?=flotilla )/m);
    for (const l of ALL) {
      const block = blocks.find((b) => b.startsWith(`flotilla ${l.words.join(' ')} `) || b.startsWith(`flotilla ${l.words.join(' ')}|`));
      expect(block, `README.md has no \`flotilla ${l.words.join(' ')}\``).toBeDefined();
      for (const f of l.flags) expect(block, `README.md does not list ${longName(f)} of flotilla ${l.words.join(' ')}`).toContain(`${f.syntax} `);
    }
  });

  it('is the reference made from the definitions (npm run gen:cli-reference)', () => {
    const program: Command = buildProgram(COMMANDS);
    expect(withReference(readme, commandLineReference(program))).toBe(readme);
  });
});
