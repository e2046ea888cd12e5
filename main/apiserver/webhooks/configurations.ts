// The stored webhook configurations, read from the store at each request (parsed once per revision): mutating
// ones in name order, each's webhooks in their order, as Kubernetes' dispatcher calls them.
import { resourceFor } from '../../api/resources';
import type { MutatingWebhookConfiguration, ValidatingWebhookConfiguration } from '../../api/types';
import type { Store } from '../../store/types';
import { ParsedCache } from '../registry/parsed-cache';
import type { ConfiguredWebhook } from './types';

type Configuration = MutatingWebhookConfiguration | ValidatingWebhookConfiguration;

const GROUP = 'admissionregistration.k8s.io';

export class WebhookConfigurations {
  private readonly mutatingConfigs: ParsedCache<Configuration> | undefined;
  private readonly validatingConfigs: ParsedCache<Configuration> | undefined;

  constructor(store: Store) {
    const cache = (plural: string): ParsedCache<Configuration> | undefined => {
      const r = resourceFor(GROUP, 'v1', plural);
      return r && new ParsedCache<Configuration>(store, r);
    };
    this.mutatingConfigs = cache('mutatingwebhookconfigurations');
    this.validatingConfigs = cache('validatingwebhookconfigurations');
  }

  /** Whether any mutating (validating) webhook configuration is stored: a request checks before it builds its attributes. */
  anyMutating(): boolean {
    return !!this.mutatingConfigs && !this.mutatingConfigs.empty();
  }

  anyValidating(): boolean {
    return !!this.validatingConfigs && !this.validatingConfigs.empty();
  }

  mutating(): ConfiguredWebhook[] {
    return webhooksOf(this.mutatingConfigs?.all() ?? []);
  }

  validating(): ConfiguredWebhook[] {
    return webhooksOf(this.validatingConfigs?.all() ?? []);
  }
}

function webhooksOf(configs: Configuration[]): ConfiguredWebhook[] {
  const out: ConfiguredWebhook[] = [];
  const sorted = [...configs].sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
  for (const c of sorted) for (const hook of c.webhooks ?? []) out.push({ configuration: c.metadata?.name ?? '', hook });
  return out;
}
