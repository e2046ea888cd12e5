// `flotilla bench image [--size-mb 50] [--nodes 3]`: an image with one random (incompressible) layer of
// --size-mb MB, built with buildah (FROM scratch, COPY), pushed with buildah to the built-in registry
// (localhost:<port>, as a user pushes; nodes reach it through the bridge's gateway) and pulled onto --nodes
// sandbox nodes at once through each node's containerd (CRI PullImage, as the kubelet pulls). The
// floors, in the same run (bench-image-floor.ts): `skopeo copy` of the same image between two OCI folders on the local
// disk (the issue's, which `ratio` and the target refer to), and --nodes such copies at once each with its layers
// untarred (`ratio_unpack`: what the nodes' pulls must do at the least, fetch and unpack).
// Everything (nodes, registry, buildah storage) lives in a temp dir removed afterwards, also on
// failure. Prints a table, then the JSON line.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { BenchImageOptions } from './commands';
import { startCore, type Core } from '../core';
import type { KObject, Machine } from '../api/types';
import { R } from '../client/refs';
import { defaultAgentBundle } from '../nodes/artifacts';
import { NODE } from '../nodes/node-paths';
import { hostPathOf } from '../nodes/providers/sandbox/node-state';
import { onPath } from '../nodes/exec';
import { BUILDAH_MISSING, buildahBuild, buildahContext, buildahPush } from '../nodes/image-build';
import type { AgentConfig } from '../protocol/agent-config';
import { PollFailure, pollUntil } from '../protocol/poll';
import { CriClient } from '../../vm-images/agent/cri/client';
import { freeSubnet, stopBenchCluster } from './bench-sandbox';
import { freePort } from '../protocol/free-port';
import { measureFloors } from './bench-image-floor';
import { nowMs, printResult, printTable, round } from './bench-report';

const MB = 1_000_000;

/** A file of random bytes, written in 1 MB pieces. */
function writeRandomFile(file: string, sizeMb: number): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (let i = 0; i < sizeMb; i++) fs.writeSync(fd, randomBytes(MB));
  } finally {
    fs.closeSync(fd);
  }
}

function isReady(n: KObject | undefined): boolean {
  const conds = (n?.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Makes the machines and waits until each node is Ready; the CRI client of each. */
async function startNodes(core: Core, count: number): Promise<Map<string, CriClient>> {
  if (!core.nodes) throw new Error('the core was started without a node manager');
  const names = await core.nodes.ensureNodes(count, 'sandbox');
  await pollUntil(async () => {
    for (const name of names) {
      const m = await core.client.get<Machine & KObject>(R.machines, name);
      if (m.status?.phase === 'Failed') throw new PollFailure(`machine ${name} failed: ${m.status.message ?? ''}`);
      if (!isReady(await core.client.get<KObject>(R.nodes, name).catch(() => undefined))) return undefined;
    }
    return true;
  }, 240_000, `${count} sandbox nodes Ready`, 100);
  const cris = new Map<string, CriClient>();
  for (const name of names) {
    const configFile = hostPathOf(core.dataDir, name, NODE.agentConfig);
    if (!configFile) throw new Error(`node ${name}: its agent config is not reachable from the host`);
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as AgentConfig;
    const sock = hostPathOf(core.dataDir, name, config.containerdSocket);
    if (!sock) throw new Error(`node ${name}: its containerd socket is not reachable from the host`);
    cris.set(name, new CriClient(sock));
  }
  return cris;
}

async function teardown(core: Core, dir: string, cris: Map<string, CriClient>): Promise<void> {
  for (const cri of cris.values()) cri.close();
  await stopBenchCluster(core, dir);
}

interface Timings { build: number; push: number; pull: number; floor: number; floorUnpack: number; pulledBytes: number }

/** `registry`: the built-in registry's `localhost:<port>`, which every node pulls from as the host's. */
async function measure(dir: string, sizeMb: number, cris: Map<string, CriClient>, registry: string): Promise<Timings> {
  const ctxDir = path.join(dir, 'context');
  fs.mkdirSync(ctxDir);
  writeRandomFile(path.join(ctxDir, 'layer.bin'), sizeMb);
  fs.writeFileSync(path.join(ctxDir, 'Dockerfile'), 'FROM scratch\nCOPY layer.bin /layer.bin\n');
  const image = `${registry}/bench/random:${sizeMb}mb`;
  const ctx = buildahContext(path.join(dir, 'build-data'), [registry]);
  let t0 = nowMs();
  await buildahBuild(ctx, { dir: ctxDir, dockerfile: path.join(ctxDir, 'Dockerfile'), image });
  const build = nowMs() - t0;
  t0 = nowMs();
  await buildahPush(ctx, image);
  const push = nowMs() - t0;
  t0 = nowMs();
  await Promise.all([...cris.values()].map((cri) => cri.pullImage(image)));
  const pull = nowMs() - t0;
  let pulledBytes = 0;
  for (const [name, cri] of cris) {
    const st = await cri.imageStatus(image);
    if (!st) throw new Error(`node ${name}: ${image} is not there after the pull`);
    pulledBytes += Number(st.size);
  }
  const floors = await measureFloors(dir, image, cris.size);
  return { build, push, pull, floor: floors.copy, floorUnpack: floors.copyAndUnpack, pulledBytes };
}

export async function benchImage({ sizeMb, nodes }: BenchImageOptions): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench image must run as root: sandbox nodes need network namespaces, cgroups, mounts and containerd');
  if (!fs.existsSync(defaultAgentBundle())) throw new Error(`no agent bundle at ${defaultAgentBundle()}: run npm run build first`);
  if (!onPath('buildah')) throw new Error(BUILDAH_MISSING);
  if (!onPath('skopeo')) throw new Error('skopeo is not installed: apt-get install skopeo (or npm run setup)');
  const id = `flti${process.pid % 10000}`;
  const subnet = await freeSubnet();
  const sandbox = { bridge: id, subnet, prefix: id };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-image-'));
  let core: Core;
  try {
    core = await startCore({
      dataDir: path.join(dir, 'data'), apiPort: 0, log: () => undefined, nodes: { sandbox, readyTimeoutMs: 120_000 }, registry: { port: await freePort() },
    });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  let cris = new Map<string, CriClient>();
  let t: Timings;
  try {
    cris = await startNodes(core, nodes);
    if (!core.imageRegistry) throw new Error('the built-in registry did not start');
    t = await measure(dir, sizeMb, cris, `localhost:${core.imageRegistry.port}`);
  } finally {
    await teardown(core, dir, cris);
  }
  const s = (ms: number): number => round(ms / 1000, 2);
  const rate = (mb: number, ms: number): number => round(mb / (ms / 1000), 1);
  printTable([
    ['step', 'seconds', 'MB/s'],
    [`buildah build (FROM scratch, COPY ${sizeMb} MB)`, s(t.build), rate(sizeMb, t.build)],
    ['push (buildah → built-in registry)', s(t.push), rate(sizeMb, t.push)],
    [`pull onto ${nodes} nodes at once (CRI PullImage)`, s(t.pull), rate(sizeMb * nodes, t.pull)],
    ['floor: skopeo copy oci → oci, local disk', s(t.floor), rate(sizeMb, t.floor)],
    [`floor with unpacking: ${nodes} such copies at once, each layer untarred`, s(t.floorUnpack), rate(sizeMb * nodes, t.floorUnpack)],
  ]);
  console.log(`pull / floor: ${round(t.pull / t.floor, 2)} (target ≤ 2); pull / floor with unpacking: ${round(t.pull / t.floorUnpack, 2)}`);
  printResult({
    bench: 'image', size_mb: sizeMb, nodes,
    build_s: s(t.build), push_s: s(t.push), push_mb_s: rate(sizeMb, t.push),
    pull_all_nodes_s: s(t.pull), pull_mb_s: rate(sizeMb * nodes, t.pull), pulled_mb: round(t.pulledBytes / MB, 1),
    floor_s: s(t.floor), floor_mb_s: rate(sizeMb, t.floor), ratio: round(t.pull / t.floor, 2), target_ratio: 2,
    floor_unpack_s: s(t.floorUnpack), ratio_unpack: round(t.pull / t.floorUnpack, 2),
  });
}
