// Who may do what: members of system:masters everything (the admin's token; in-process clients do
// not come through here), a node's agent what the node authorizer allows (its graph kept from the
// store by node-graph-index.ts), then everyone what RBAC grants. A denial is Kubernetes' 403 with
// forbiddenMessage and the authorizers' reasons (one a line, as Kubernetes' union authorizer joins them).
import type { PolicyRule } from '../../api/types';
import { errors } from '../status';
import type { Store } from '../../store/types';
import type { Attributes, UserInfo } from './attributes';
import { forbiddenMessage } from './attributes';
import { nodeDecide, nodeOfUser } from './node';
import { NodeGraphIndex } from './node-graph-index';
import { RbacAuthorizer } from './rbac';
import { RbacIndex } from './rbac-index';

export const MASTERS = 'system:masters';

/** A user the API knows as a node's agent (its token, or impersonation of system:node:<name> in system:nodes). */
export interface Subject extends UserInfo {
  node?: string;
}

export interface Decision {
  allowed: boolean;
  reason: string;
}

export class Authorizer {
  readonly rbac: RbacAuthorizer;
  private readonly index: RbacIndex;
  private readonly nodeGraph: NodeGraphIndex;

  /** Reads the RBAC objects, pods and volumes of `source.store` (a Registry will do) once, then follows its watch. */
  constructor(source: { readonly store: Store }) {
    this.index = new RbacIndex(source.store);
    this.rbac = new RbacAuthorizer(this.index);
    this.nodeGraph = new NodeGraphIndex(source.store);
  }

  /** Stops following the store. */
  close(): void {
    this.index.close();
    this.nodeGraph.close();
  }

  decide(a: Attributes & { user: Subject }): Decision {
    if (a.user.groups.includes(MASTERS)) return { allowed: true, reason: '' };
    // A SubjectAccessReview's user is a node by its name and group too, as Kubernetes identifies nodes.
    const node = a.user.node ?? nodeOfUser(a.user);
    if (!node) return this.rbac.authorize(a);
    const byNode = nodeDecide(node, a, this.nodeGraph.graph);
    if (byNode.allowed) return byNode;
    const byRbac = this.rbac.authorize(a);
    if (byRbac.allowed) return byRbac;
    return { allowed: false, reason: [byNode.reason, byRbac.reason].filter(Boolean).join('\n') };
  }

  /** Throws Kubernetes' 403 unless allowed. */
  authorize(a: Attributes & { user: Subject }): void {
    const d = this.decide(a);
    if (d.allowed) return;
    const msg = d.reason ? `${forbiddenMessage(a)}: ${d.reason}` : forbiddenMessage(a);
    throw errors.forbidden(a.group, a.resource, a.name, msg);
  }

  /**
   * SelfSubjectRulesReview: the rules of the user in `namespace` as the rule resolvers give them (the
   * node authorizer's, which cannot list its rules, then RBAC's — masters too get theirs from RBAC, as
   * Kubernetes' superuser authorizer lists none), whether the list may be incomplete, and the errors met.
   */
  rulesFor(user: Subject, namespace: string): { resourceRules: PolicyRule[]; nonResourceRules: PolicyRule[]; incomplete: boolean; evaluationError?: string } {
    const { rules, errors: errs } = this.rbac.rulesFor(user, namespace);
    if (user.node) errs.unshift('node authorizer does not support user rule resolution');
    const out = {
      resourceRules: rules.filter((r) => (r.resources ?? []).length)
        .map((r) => ({ verbs: r.verbs, apiGroups: r.apiGroups, resources: r.resources, resourceNames: r.resourceNames })),
      nonResourceRules: rules.filter((r) => (r.nonResourceURLs ?? []).length).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
      incomplete: Boolean(user.node),
    };
    // An aggregate error prints one error as is, several as [a, b].
    return errs.length ? { ...out, evaluationError: errs.length === 1 ? errs[0] : `[${errs.join(', ')}]` } : out;
  }
}
