// cel-go's sets extension (ext.Sets, in Kubernetes' CEL environment since 1.29): sets.contains(list, sublist),
// sets.equivalent(a, b) and sets.intersects(a, b), elements compared by CEL's `==` (so 1 and 1.0 are one element).
import { CelScalar, celFunc, listType, type CelList, type CelValue } from '@bufbuild/cel';
import { celEquals } from './cel-types';

const LIST = listType(CelScalar.DYN);
const { BOOL } = CelScalar;

const has = (list: CelList, v: CelValue) => [...list].some((x) => celEquals(x, v));
const containsAll = (list: CelList, sub: CelList) => [...sub].every((v) => has(list, v));

export const SETS_FUNCS = [
  celFunc('sets.contains', [LIST, LIST], BOOL, (list, sub) => containsAll(list, sub)),
  celFunc('sets.equivalent', [LIST, LIST], BOOL, (a, b) => containsAll(a, b) && containsAll(b, a)),
  celFunc('sets.intersects', [LIST, LIST], BOOL, (a, b) => [...a].some((v) => has(b, v))),
];
