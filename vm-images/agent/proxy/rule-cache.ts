// Incremental rendering: remembers each service's rendered rules by a signature of its model and
// renders again only services whose model changed (or everything when the render context did:
// cluster CIDR, large-cluster mode). The result equals buildRules(model) for the same model.
import type { ProxyModel, ServiceModel } from './model';
import {
  assembleRules, renderContext, renderService, serviceKey, servicesWithRules, type RuleSet, type ServiceRules,
} from './rules';

interface Entry { signature: string; rules: ServiceRules }

/** Everything a service's rendering reads from its model. */
function signature(svc: ServiceModel): string {
  return JSON.stringify(svc);
}

export class RuleCache {
  private context = '';
  private entries = new Map<string, Entry>();
  /** Services rendered (not taken from the cache) by the last build. */
  rendered = 0;

  build(model: ProxyModel): RuleSet {
    const ctx = renderContext(model);
    const context = `${ctx.clusterCIDR}|${ctx.largeCluster}|${ctx.nodeName ?? ''}`;
    if (context !== this.context) this.entries.clear();
    this.context = context;
    this.rendered = 0;
    const next = new Map<string, Entry>();
    const list: (readonly [string, ServiceRules])[] = [];
    for (const svc of servicesWithRules(model)) {
      const key = serviceKey(svc);
      const sig = signature(svc);
      let entry = this.entries.get(key);
      if (entry?.signature !== sig) {
        entry = { signature: sig, rules: renderService(svc, ctx) };
        this.rendered++;
      }
      next.set(key, entry);
      list.push([key, entry.rules]);
    }
    this.entries = next;
    return assembleRules(list);
  }
}
