// What one admission request is, as the webhooks see it (admission.Attributes), and the webhooks themselves.
import type { Duplex } from 'node:stream';
import type { ResourceInfo } from '../../api/resources';
import type { KObject, MutatingWebhook, RuleWithOperations, ValidatingWebhook } from '../../api/types';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionUser {
  username: string;
  uid?: string;
  groups: readonly string[];
  extra?: Readonly<Record<string, readonly string[]>>;
}

export interface AdmissionAttributes {
  resource: ResourceInfo;
  /** '' for the object itself. */
  subresource: string;
  operation: Operation;
  /** '' for a cluster-scoped object (a Namespace's request carries its own name here, as Kubernetes' does). */
  namespace: string;
  name: string;
  /** The kind the request's object is of (the resource's own, or e.g. PodExecOptions for CONNECT). */
  kind: { group: string; version: string; kind: string };
  object?: KObject;
  oldObject?: KObject;
  dryRun: boolean;
  /** CreateOptions, UpdateOptions, DeleteOptions or the CONNECT options object. */
  options?: KObject;
  user: AdmissionUser;
}

/** One webhook of a configuration, with what it needs beyond its own fields. */
export interface ConfiguredWebhook {
  configuration: string;
  hook: MutatingWebhook | ValidatingWebhook;
}

/**
 * A byte stream to a Service's ready endpoint (`namespace/name`, its `port`), or an Error whose message says why
 * there is none (`no endpoints available for service "x"`). Wired by core.ts to the ingress proxy's dialing.
 */
export type ServiceDialer = (namespace: string, name: string, port: number) => Promise<Duplex>;

/** The labels of a namespace, or undefined when it does not exist. */
export type NamespaceLabels = (name: string) => Record<string, string> | undefined;

/** A webhook's rule: kubernetes-types leaves out the fields of the embedded Rule. */
export type WebhookRule = RuleWithOperations & { resources?: string[]; scope?: string };
