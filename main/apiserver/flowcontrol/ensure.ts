// kube-apiserver's APF configuration ensurer (its priority-and-fairness-config-producer post-start hook): every
// bootstrap PriorityLevelConfiguration and FlowSchema is created when missing; a mandatory one always gets its fixed
// spec back, a suggested one only while its apf.kubernetes.io/autoupdate-spec annotation is "true" (a user who sets
// it "false" keeps the edits).
import { AUTOUPDATE_SPEC_ANNOTATION, MANDATORY_FLOW_SCHEMAS, MANDATORY_PRIORITY_LEVELS, SUGGESTED_FLOW_SCHEMAS, SUGGESTED_PRIORITY_LEVELS } from '../../api/flowcontrol-bootstrap';
import { resourceFor } from '../../api/resources';
import type { KObject } from '../../api/types';
import { semantic } from '../../api/semantic';
import type { Registry } from '../registry/registry';
import { ApiError } from '../status';

const MANAGER = { fieldManager: 'api-priority-and-fairness-config-producer-v1' };

async function ensure(registry: Registry, plural: string, objects: readonly KObject[], mandatory: boolean): Promise<void> {
  const r = resourceFor('flowcontrol.apiserver.k8s.io', 'v1', plural)!;
  for (const want of objects) {
    const name = want.metadata!.name!;
    const have = registry.tryGet(r, undefined, name);
    if (!have) {
      await registry.create(r, undefined, structuredClone(want), MANAGER).catch((e: unknown) => {
        if (!(e instanceof ApiError && e.reason === 'AlreadyExists')) throw e;
      });
      continue;
    }
    if (!mandatory && have.metadata.annotations?.[AUTOUPDATE_SPEC_ANNOTATION] !== 'true') continue;
    if (semantic(have.spec) === semantic(want.spec)) continue;
    await registry.mutate(r, undefined, name, (obj) => {
      obj.spec = structuredClone(want.spec);
      if (mandatory) obj.metadata.annotations = { ...obj.metadata.annotations, [AUTOUPDATE_SPEC_ANNOTATION]: 'true' };
    }, MANAGER);
  }
}

export async function ensureFlowControlConfiguration(registry: Registry): Promise<void> {
  await ensure(registry, 'prioritylevelconfigurations', MANDATORY_PRIORITY_LEVELS as unknown as KObject[], true);
  await ensure(registry, 'prioritylevelconfigurations', SUGGESTED_PRIORITY_LEVELS as unknown as KObject[], false);
  await ensure(registry, 'flowschemas', MANDATORY_FLOW_SCHEMAS as unknown as KObject[], true);
  await ensure(registry, 'flowschemas', SUGGESTED_FLOW_SCHEMAS as unknown as KObject[], false);
}
