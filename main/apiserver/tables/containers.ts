// layoutContainerCells: the Containers and Images wide columns of workload kinds.
import type { PodTemplateSpec } from '../../api/types';

export function containerCells(template: PodTemplateSpec | undefined): [names: string, images: string] {
  const containers = template?.spec?.containers ?? [];
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image ?? '').join(',')];
}
