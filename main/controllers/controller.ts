// What every control loop gets: the client, the shared informers, an event recorder per component
// and a log. Every controller is built with the reconciler (main/client/reconciler.ts); what the
// builder does not express goes in through controllers/extras.ts.
import type { ApiClient } from '../client/types';
import type { EventRecorder } from '../client/record/recorder';
import type { SharedInformers } from '../client/cache/shared-informers';
import type { ReconcilerContext } from '../client/reconciler';

export type { Controller } from '../client/reconciler';

export interface ControllerContext extends ReconcilerContext {
  client: ApiClient;
  informers: SharedInformers;
  recorder(component: string): EventRecorder;
  log(line: string): void;
}
