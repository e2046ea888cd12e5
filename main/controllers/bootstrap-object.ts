// An object the cluster starts with (a cluster addon: kube-dns, the default StorageClass, the default
// IngressClass): created once the informers have synced unless it exists, retried until the API takes it.
// A user who deletes it gets it back at the next start.
import type { ApiObject } from '../api/types';
import { isAlreadyExists, type ResourceRef } from '../client/types';
import type { Controller, ControllerContext } from './controller';

const RETRY_MS = 1000;

export interface BootstrapObject {
  /** The controller's name, which also prefixes its log lines. */
  name: string;
  ref: ResourceRef;
  object: () => ApiObject;
  /** Whether it exists already (read from an informer once they have synced). */
  exists: () => boolean;
  /** The log line after a create. */
  created: string;
}

export function newBootstrapObject(ctx: ControllerContext, b: BootstrapObject): Controller {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const namespace = b.object().metadata?.namespace;
  const attempt = (): void => {
    ctx.client.create(b.ref, b.object(), namespace ? { namespace } : undefined).then(
      () => ctx.log(`${b.name}: ${b.created}`),
      (err: unknown) => {
        if (isAlreadyExists(err) || stopped) return;
        ctx.log(`${b.name}: ${err instanceof Error ? err.message : String(err)} (retrying)`);
        timer = setTimeout(attempt, RETRY_MS);
      },
    );
  };
  return {
    name: b.name,
    register: () => () => undefined,
    run: () => {
      if (!b.exists()) attempt();
      return () => { stopped = true; if (timer) clearTimeout(timer); };
    },
  };
}
