// APIServices (kube-aggregator's strategy): a create starts with no status but the Local condition of an API this
// server serves itself; an update keeps the status (its own subresource writes it).
import { isRemote, localAvailableCondition } from '../../../api/apiservices';
import type { APIService, KObject } from '../../../api/types';
import type { Strategy } from '../strategy';
import { timestamp } from '../objects';

export const apiServiceStrategy: Strategy = {
  prepareForCreate(obj: KObject): void {
    const a = obj as unknown as APIService;
    if (!isRemote(a)) a.status = { conditions: [localAvailableCondition(timestamp())] };
  },
};
