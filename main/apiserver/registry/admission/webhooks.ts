// The admission webhooks in the registry's chain (apiserver/webhooks does the calling): mutating webhooks after the
// built-in mutating admission, validating webhooks after validation, for creates, updates (incl. the subresources
// that are the object itself, e.g. pods/status) and deletes, by users and in-process writers alike.
import type { ResourceInfo } from '../../../api/resources';
import { applyDefaults } from '../../../api/defaults';
import type { DefaultingOptions } from '../../../api/defaults';
import type { KObject } from '../../../api/types';
import type { WebhookAdmission } from '../../webhooks/dispatch';
import type { AdmissionAttributes, AdmissionUser, Operation } from '../../webhooks/types';
import type { DeleteOptions, WriteOptions } from '../options';

/** Who in-process writers (controllers, the scheduler, the UI bridge) are: the API server's own loopback user. */
const IN_PROCESS: AdmissionUser = { username: 'system:apiserver', groups: ['system:authenticated', 'system:masters'] };

type Options = (WriteOptions | DeleteOptions) & { subresource?: string };

/** Subresources whose writes carry the object itself (status, finalize, …), as webhooks see them. */
function callsWebhooks(r: ResourceInfo, subresource: string | undefined): boolean {
  if (!subresource) return true;
  const sub = r.subresources.find((s) => s.name === subresource);
  return !!sub && sub.kind === r.kind && sub.group === r.group;
}

function attributes(r: ResourceInfo, operation: Operation, obj: KObject | undefined, old: KObject | undefined, opts: Options): AdmissionAttributes {
  const meta = (obj ?? old)?.metadata ?? {};
  const isNamespace = r.group === '' && r.plural === 'namespaces';
  const u = opts.requester?.user;
  const optionsKind = operation === 'CREATE' ? 'CreateOptions' : operation === 'UPDATE' ? 'UpdateOptions' : 'DeleteOptions';
  const options: KObject = { kind: optionsKind, apiVersion: 'meta.k8s.io/v1' };
  if (opts.dryRun) (options as Record<string, unknown>).dryRun = ['All'];
  if ('fieldManager' in opts && opts.fieldManager) (options as Record<string, unknown>).fieldManager = opts.fieldManager;
  if ('propagationPolicy' in opts && opts.propagationPolicy) (options as Record<string, unknown>).propagationPolicy = opts.propagationPolicy;
  return {
    resource: r, subresource: opts.subresource ?? '', operation, name: meta.name ?? '',
    namespace: isNamespace ? (meta.name ?? '') : (meta.namespace ?? ''),
    kind: { group: r.group, version: r.version, kind: r.kind }, object: obj, oldObject: old, dryRun: !!opts.dryRun, options,
    user: u ? { username: u.name, uid: u.uid, groups: u.groups, extra: u.extra } : IN_PROCESS,
  };
}

/** The mutating webhooks of a create or update: `obj` is changed in place; their warnings go to `warnings`. */
export async function mutateByWebhooks(
  w: WebhookAdmission, r: ResourceInfo, obj: KObject, old: KObject | undefined, opts: Options, warnings?: string[], defaulting?: DefaultingOptions,
): Promise<void> {
  if (!callsWebhooks(r, opts.subresource) || !w.hasMutating()) return;
  const out = await w.mutate(attributes(r, old ? 'UPDATE' : 'CREATE', obj, old, opts), (o) => applyDefaults(r.kind, o, defaulting));
  warnings?.push(...out);
}

/** The validating webhooks of a create or update (`old` set) or, with no `obj`, of a delete. */
export async function validateByWebhooks(
  w: WebhookAdmission, r: ResourceInfo, obj: KObject | undefined, old: KObject | undefined, opts: Options, warnings?: string[],
): Promise<void> {
  if (!callsWebhooks(r, opts.subresource)) return;
  const operation: Operation = !obj ? 'DELETE' : old ? 'UPDATE' : 'CREATE';
  if (!w.hasValidating() && (operation !== 'DELETE' || !w.hasMutating())) return;
  const a = attributes(r, operation, obj, old, opts);
  if (operation === 'DELETE') await w.mutate(a, () => {});
  const out = await w.validate(a); // awaited first: `warnings?.push(...)` would skip the call without a sink
  warnings?.push(...out);
}

/** The CONNECT options object a streaming request names (PodExecOptions, PodAttachOptions, PodPortForwardOptions) from its query. */
function connectOptions(kind: string, q: URLSearchParams): KObject {
  const o: Record<string, unknown> = { kind, apiVersion: 'v1' };
  if (kind === 'PodPortForwardOptions') {
    const ports = q.getAll('ports').flatMap((p) => p.split(',')).map(Number).filter((n) => Number.isInteger(n));
    if (ports.length) o.ports = ports;
    return o;
  }
  for (const flag of ['stdin', 'stdout', 'stderr', 'tty']) if (q.get(flag) === 'true' || q.get(flag) === '1') o[flag] = true;
  if (q.get('container')) o.container = q.get('container');
  if (kind === 'PodExecOptions' && q.getAll('command').length) o.command = q.getAll('command');
  return o;
}

/** The webhooks of a CONNECT (pods/exec, pods/attach, pods/portforward): mutating, then validating; the object is the options. */
export async function connectByWebhooks(
  w: WebhookAdmission, r: ResourceInfo, subresource: string, target: KObject, query: URLSearchParams,
  user: { name: string; uid?: string; groups: readonly string[] },
): Promise<void> {
  const sub = r.subresources.find((s) => s.name === subresource);
  if (!sub) return;
  const a: AdmissionAttributes = {
    resource: r, subresource, operation: 'CONNECT', name: target.metadata?.name ?? '', namespace: target.metadata?.namespace ?? '',
    kind: { group: sub.group, version: sub.version, kind: sub.kind }, object: connectOptions(sub.kind, query), dryRun: false,
    user: { username: user.name, uid: user.uid, groups: user.groups },
  };
  await w.mutate(a, () => {});
  await w.validate(a);
}
