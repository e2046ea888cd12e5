// Parsing what multipass prints: `multipass info --format json` and `multipass list --format json`.

export interface MultipassInstance {
  name: string;
  /** Running | Stopped | Starting | Restarting | Delayed Shutdown | Suspending | Suspended | Deleted | Unknown */
  state: string;
  ipv4: string[];
  release: string;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Normalises multipass's state words (older releases print RUNNING). */
export function normaliseState(s: string): string {
  const lower = s.toLowerCase();
  return lower ? lower[0].toUpperCase() + lower.slice(1) : 'Unknown';
}

/** `multipass info --format json [NAME]` → {"errors":[],"info":{"NAME":{state, ipv4, release, …}}} */
export function parseMultipassInfo(text: string): { instances: MultipassInstance[]; errors: string[] } {
  const root = obj(JSON.parse(text));
  const info = obj(root?.info) ?? {};
  const errors = Array.isArray(root?.errors) ? (root?.errors as unknown[]).map((e) => (typeof e === 'string' ? e : JSON.stringify(e))) : [];
  const instances = Object.entries(info).map(([name, v]) => {
    const o = obj(v) ?? {};
    return {
      name, state: normaliseState(typeof o.state === 'string' ? o.state : ''), ipv4: strings(o.ipv4),
      release: typeof o.release === 'string' ? o.release : typeof o.image_release === 'string' ? o.image_release : '',
    };
  });
  return { instances, errors };
}

/** `multipass list --format json` → {"list":[{"name","state","ipv4":[…],"release"}]} */
export function parseMultipassList(text: string): MultipassInstance[] {
  const root = obj(JSON.parse(text));
  const list = Array.isArray(root?.list) ? root.list as unknown[] : [];
  return list.map((v) => obj(v) ?? {}).filter((o) => typeof o.name === 'string').map((o) => ({
    name: o.name as string, state: normaliseState(typeof o.state === 'string' ? o.state : ''), ipv4: strings(o.ipv4),
    release: typeof o.release === 'string' ? o.release : '',
  }));
}
