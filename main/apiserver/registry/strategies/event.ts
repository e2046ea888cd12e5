// Events: the only kind still created in a namespace being deleted (what deletes it reports there).
import type { Strategy } from '../strategy';

export const eventStrategy: Strategy = { createInTerminatingNamespace: true };
