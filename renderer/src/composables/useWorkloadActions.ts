// The resource browser's workload actions, reported as notices like every other action:
// restart, scale, roll back (kubectl's own message) and a CronJob's job now.
import type { AnyObjectRef } from '../../../main/bridge/contract';
import { call } from '../bridge/client';
import { useActions } from './useActions';

export function useWorkloadActions() {
  const { attempt } = useActions();
  const label = (r: AnyObjectRef) => `${r.resource.replace(/s$/, '')} ${r.name}`;
  return {
    restart: (r: AnyObjectRef) => attempt(`restart ${label(r)}`, () => call('rolloutRestart', r), () => `Restarting ${label(r)}: its pods are replaced one by one`),
    scale: (r: AnyObjectRef, replicas: number) =>
      attempt(`scale ${label(r)}`, () => call('scaleObject', { ...r, replicas }), () => `Scaled ${label(r)} to ${replicas} ${replicas === 1 ? 'replica' : 'replicas'}`),
    rollback: (r: AnyObjectRef, toRevision: number) =>
      attempt(`roll back ${label(r)}`, () => call('rolloutUndo', { ...r, toRevision }), (v) => `${label(r)}: ${v.message}`),
    trigger: (namespace: string, name: string) =>
      attempt(`start a job from cronjob ${name}`, () => call('triggerCronJob', { namespace, name }), (v) => `Started job ${v.job} from cronjob ${name}`),
  };
}
