// The Images view's bridge calls (ImageCalls in contract.ts), on the API client plus the node agents,
// the built-in registry and the data dir the core hands the bridge.
import type { ApiClient } from '../client/types';
import type { AgentEndpoint } from '../protocol/agent-connection';
import type { BridgeEvents, ImageCalls } from './contract';
import { BadRequest } from './kinds';
import { listNodeImages, pruneNodeImages, pullNodeImage, removeNodeImage } from './node-images';
import { deleteRegistryImage, listRegistry, type RegistryEndpoint } from './registry-images';
import { startBuild } from './image-builds';
import { BridgeFailure } from './errors';

export interface ImageDeps {
  agents?: AgentEndpoint;
  registry?: RegistryEndpoint;
  /** Where build contexts and buildah's storage go. */
  dataDir?: string;
}

/** What the calls need from their bridge session: its client, events, and its disposers for streams. */
export interface ImageSession {
  client: ApiClient;
  deps: ImageDeps;
  emit: (name: 'build', payload: BridgeEvents['build']) => void;
  nextId: (prefix: string) => string;
  track: (id: string, dispose: () => void) => void;
  untrack: (id: string) => void;
}

type Impl = { [K in keyof ImageCalls]: (req: ImageCalls[K]['req']) => Promise<ImageCalls[K]['res']> };

function field(req: unknown, name: string): string {
  const v = req !== null && typeof req === 'object' ? (req as Record<string, unknown>)[name] : undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new BadRequest(`${name} must be a non-empty string`);
  return v.trim();
}

export function imageCalls(s: ImageSession): Impl {
  const { client, deps } = s;
  return {
    nodeImages: async (req) => listNodeImages(client, deps.agents, req && typeof req.node === 'string' && req.node ? req.node : undefined),
    pullNodeImage: async (req) => pullNodeImage(client, deps.agents, field(req, 'node'), field(req, 'image')),
    removeNodeImage: async (req) => removeNodeImage(client, deps.agents, field(req, 'node'), field(req, 'image')),
    pruneNodeImages: async (req) => pruneNodeImages(client, deps.agents, field(req, 'node')),
    registryImages: async () => listRegistry(client, deps.registry),
    deleteRegistryImage: async (req) => {
      await deleteRegistryImage(deps.registry, field(req, 'repository'), field(req, 'digest'));
      return null;
    },
    buildImage: async (req) => {
      if (!deps.dataDir) throw new BridgeFailure(501, 'NotImplemented', 'this bridge was started without a data dir to build in');
      if (req === null || typeof req !== 'object') throw new BadRequest('the request must be an object');
      const buildId = s.nextId('build');
      s.track(buildId, startBuild({ dataDir: deps.dataDir, registryPort: deps.registry?.port }, req, {
        lines: (lines) => s.emit('build', { buildId, lines }),
        end: (result) => {
          s.untrack(buildId);
          s.emit('build', { buildId, lines: [], end: result });
        },
      }));
      return { buildId };
    },
  };
}
