// What every control loop is: informers feeding keys into a work queue, workers syncing keys.
import type { ApiClient } from '../client/types';
import type { EventRecorder } from '../client/record/recorder';
import type { SharedInformers } from '../client/cache/shared-informers';

export interface ControllerContext {
  client: ApiClient;
  informers: SharedInformers;
  recorder(component: string): EventRecorder;
  log(line: string): void;
}

export interface Controller {
  name: string;
  /** Registers handlers (before informers start); returns a disposer. */
  register(): () => void;
  /** Starts the workers once informers have synced; returns a disposer. */
  run(): () => void;
}
