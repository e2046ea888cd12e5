// The one-click failures' bridge calls (FaultCalls in contract.ts): failures on this Flotilla's sandbox nodes and their
// pods, the heal, and the cluster's node-lifecycle timings. Refused for other clusters (a kubeconfig's): they are
// Flotilla's own, done from the host.
import { NODE_FAULTS, POD_FAULTS, type NodeFault, type PodFault } from '../api/faults';
import type { NodeLifecycleSettings } from '../api/node-lifecycle-settings';
import type { NodeFaults } from '../nodes/node-faults';
import { FaultError } from '../nodes/node-faults';
import type { FaultCalls } from './contract';
import { BridgeFailure } from './errors';
import { BadRequest } from './kinds';

export interface FaultDeps {
  /** The node manager's failures (absent: another cluster, or a core without nodes). */
  faults?: NodeFaults;
  /** The cluster's timings (absent: another cluster, whose controller manager's flags are not known here). */
  nodeLifecycle?: NodeLifecycleSettings;
}

type Impl = { [K in keyof FaultCalls]: (req: FaultCalls[K]['req']) => Promise<FaultCalls[K]['res']> };

function text(req: unknown, name: string): string {
  const v = req !== null && typeof req === 'object' ? (req as Record<string, unknown>)[name] : undefined;
  if (typeof v !== 'string' || v === '') throw new BadRequest(`${name} must be a non-empty string`);
  return v;
}

function oneOf<F extends string>(req: unknown, known: ReadonlyArray<{ fault: F }>): F {
  const v = text(req, 'fault');
  const f = known.find((k) => k.fault === v);
  if (!f) throw new BadRequest(`fault must be one of ${known.map((k) => k.fault).join(', ')}`);
  return f.fault;
}

function local(deps: FaultDeps): NodeFaults {
  if (!deps.faults) throw new BridgeFailure(501, 'NotImplemented', 'one-click failures are Flotilla\'s own: this cluster is not run by this Flotilla (or has no nodes it runs)');
  return deps.faults;
}

async function mapped<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof FaultError) throw new BridgeFailure(e.code, e.code === 404 ? 'NotFound' : e.code === 501 ? 'NotImplemented' : 'Conflict', e.message);
    throw e;
  }
}

export function faultCalls(deps: FaultDeps): Impl {
  return {
    nodeLifecycleSettings: async () => {
      if (!deps.nodeLifecycle) throw new BridgeFailure(501, 'NotImplemented', 'the node-lifecycle timings of this cluster are its controller manager\'s and API server\'s flags');
      return deps.nodeLifecycle;
    },
    nodeFaults: async (req) => local(deps).state(text(req, 'node')),
    injectNodeFault: (req) => mapped(() => local(deps).inject(text(req, 'node'), oneOf<NodeFault>(req, NODE_FAULTS))),
    healNode: (req) => mapped(() => local(deps).heal(text(req, 'node'))),
    injectPodFault: (req) => mapped(async () => {
      const container = req && typeof req.container === 'string' && req.container ? req.container : undefined;
      await local(deps).podFault(text(req, 'namespace'), text(req, 'name'), oneOf<PodFault>(req, POD_FAULTS), container);
      return null;
    }),
    podFaults: async (req) => local(deps).podState(text(req, 'namespace'), text(req, 'name')),
    healPod: (req) => mapped(() => local(deps).healPod(text(req, 'namespace'), text(req, 'name'))),
  };
}
