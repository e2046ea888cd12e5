// The stored webhook configurations, read from the store at each request (parsed once per revision): mutating
// ones in name order, each's webhooks in their order, as Kubernetes' dispatcher calls them.
import type { ResourceInfo } from '../../api/resources';
import { resourceFor, storagePrefix } from '../../api/resources';
import type { MutatingWebhookConfiguration, ValidatingWebhookConfiguration } from '../../api/types';
import type { Store } from '../../store/types';
import type { ConfiguredWebhook } from './types';

type Configuration = MutatingWebhookConfiguration | ValidatingWebhookConfiguration;

const GROUP = 'admissionregistration.k8s.io';

export class WebhookConfigurations {
  private readonly parsed = new Map<string, { revision: number; config: Configuration }>();

  constructor(private readonly store: Store) {}

  mutating(): ConfiguredWebhook[] {
    return this.webhooks('mutatingwebhookconfigurations');
  }

  validating(): ConfiguredWebhook[] {
    return this.webhooks('validatingwebhookconfigurations');
  }

  private webhooks(plural: string): ConfiguredWebhook[] {
    const r: ResourceInfo | undefined = resourceFor(GROUP, 'v1', plural);
    if (!r) return [];
    const prefix = storagePrefix(r);
    const items = this.store.list(prefix).items;
    if (items.length === 0) return [];
    const out: ConfiguredWebhook[] = [];
    const configs = items.map((kv) => {
      let hit = this.parsed.get(kv.key);
      if (hit?.revision !== kv.modRevision) this.parsed.set(kv.key, (hit = { revision: kv.modRevision, config: JSON.parse(kv.value) as Configuration }));
      return hit.config;
    });
    configs.sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
    for (const c of configs) for (const hook of c.webhooks ?? []) out.push({ configuration: c.metadata?.name ?? '', hook });
    if (this.parsed.size > items.length * 2 + 16) this.prune(prefix, new Set(items.map((kv) => kv.key)));
    return out;
  }

  private prune(prefix: string, live: Set<string>): void {
    for (const key of this.parsed.keys()) if (key.startsWith(prefix) && !live.has(key)) this.parsed.delete(key);
  }
}
