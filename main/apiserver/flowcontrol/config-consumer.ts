// kube-apiserver's APF configuration controller: the stored PriorityLevelConfigurations and FlowSchemas are the
// filter's configuration (read again after any write to either), and each FlowSchema's Dangling condition says
// whether the priority level it names exists (a dangling schema is not used).
import { storagePrefix, resourceFor } from '../../api/resources';
import type { FlowSchema, PriorityLevelConfiguration } from '../../api/types';
import type { Store } from '../../store/types';
import { ParsedCache } from '../registry/parsed-cache';
import type { Registry } from '../registry/registry';
import { timestamp } from '../registry/objects';
import { compileLevel, compileSchema } from './config';
import type { FlowControl } from './filter';

const FLOW_SCHEMAS = resourceFor('flowcontrol.apiserver.k8s.io', 'v1', 'flowschemas')!;
const PRIORITY_LEVELS = resourceFor('flowcontrol.apiserver.k8s.io', 'v1', 'prioritylevelconfigurations')!;
const MANAGER = { fieldManager: 'api-priority-and-fairness-config-consumer-v1', subresource: 'status' };

type Condition = { type: string; status: string; reason: string; message: string };

function danglingCondition(fs: FlowSchema, levels: ReadonlySet<string>): Condition {
  const pl = fs.spec?.priorityLevelConfiguration.name ?? '';
  return levels.has(pl)
    ? { type: 'Dangling', status: 'False', reason: 'Found', message: `This FlowSchema references the PriorityLevelConfiguration object named ${JSON.stringify(pl)} and it exists` }
    : { type: 'Dangling', status: 'True', reason: 'NotFound', message: `This FlowSchema references the PriorityLevelConfiguration object named ${JSON.stringify(pl)} but there is no such object` };
}

export function startFlowControlConfig(store: Store, registry: Registry, flow: FlowControl, log: (line: string) => void): () => void {
  const schemas = new ParsedCache<FlowSchema>(store, FLOW_SCHEMAS);
  const levels = new ParsedCache<PriorityLevelConfiguration>(store, PRIORITY_LEVELS);
  let scheduled = false;
  let stopped = false;

  const markDangling = async (all: FlowSchema[], names: ReadonlySet<string>): Promise<void> => {
    for (const fs of all) {
      const want = danglingCondition(fs, names);
      const had = fs.status?.conditions?.find((c) => c.type === 'Dangling');
      if (had && had.status === want.status && had.reason === want.reason && had.message === want.message) continue;
      await registry.mutate(FLOW_SCHEMAS, undefined, fs.metadata?.name ?? '', (obj) => {
        const conditions = ((obj.status as FlowSchema['status'])?.conditions ?? []).filter((c) => c.type !== 'Dangling');
        obj.status = { ...(obj.status as object), conditions: [...conditions, { ...want, lastTransitionTime: timestamp() }] };
      }, MANAGER).catch((e: unknown) => log(`flowcontrol: FlowSchema ${fs.metadata?.name ?? ''} status: ${e instanceof Error ? e.message : String(e)}`));
    }
  };

  const apply = (): void => {
    scheduled = false;
    if (stopped) return;
    const ls = levels.all();
    // No stored configuration (yet): the bootstrap one stays.
    if (!ls.length) return;
    const fs = schemas.all();
    flow.configure(ls.map(compileLevel), fs.map(compileSchema));
    void markDangling(fs, new Set(ls.map((l) => l.metadata?.name ?? '')));
  };
  const kick = (): void => {
    if (scheduled || stopped) return;
    scheduled = true;
    setImmediate(apply);
  };
  apply();
  const stops = [store.watch(storagePrefix(FLOW_SCHEMAS), store.revision, kick), store.watch(storagePrefix(PRIORITY_LEVELS), store.revision, kick)];
  return () => {
    stopped = true;
    for (const s of stops) s();
  };
}
