// Kubernetes resource quantities for the pod runtime: the one parser in main/api/quantity.ts (pure,
// bundled into the agent), plus the kubelet's roundings.
import { parseQuantity as parse } from '../../../main/api/quantity';

export function parseQuantity(q: string | number | undefined): number | undefined {
  return q === undefined ? undefined : parse(q);
}

/** CPU in millicores, rounded up as the kubelet does. */
export function milliCpu(q: string | number | undefined): number | undefined {
  const v = parseQuantity(q);
  return v === undefined ? undefined : Math.ceil(v * 1000 - 1e-9);
}

export function bytes(q: string | number | undefined): number | undefined {
  const v = parseQuantity(q);
  return v === undefined ? undefined : Math.ceil(v - 1e-9);
}
