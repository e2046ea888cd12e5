// v1.NodeSelector validation (ValidateNodeSelector, ValidateNodeSelectorTerm, ValidateNodeSelectorRequirement,
// ValidateNodeFieldSelectorRequirement): a pod's node affinity and a PersistentVolume's node affinity share it.
// As in Kubernetes 1.32, the values of a matchExpressions requirement are not checked as label values
// (that came in 1.33); matchFields supports only metadata.name, whose values must be node names.
import type { NodeSelector, NodeSelectorRequirement, NodeSelectorTerm } from '../types';
import type { Cause } from './cause';
import { forbidden, invalid, required } from './cause';
import type { NameFn } from './meta';
import { nameIsDNSSubdomain } from './meta';
import { list, str, wire } from './read';
import { validateLabelName } from './selector';

const NOT_AN_OPERATOR = 'not a valid selector operator';

/** The node fields a matchFields requirement may name, with the check for its values (ValidateNodeName). */
const NODE_FIELD_VALIDATORS = new Map<string, NameFn>([['metadata.name', nameIsDNSSubdomain]]);

export function validateNodeSelectorRequirement(raw: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  const r = wire<NodeSelectorRequirement>(raw);
  const op = str(r.operator);
  const values = list(r.values);
  switch (op) {
    case 'In': case 'NotIn':
      if (values.length === 0) causes.push(required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists': case 'DoesNotExist':
      if (values.length > 0) causes.push(forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt': case 'Lt':
      if (values.length !== 1) causes.push(required(`${path}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      causes.push(invalid(`${path}.operator`, op, NOT_AN_OPERATOR));
  }
  causes.push(...validateLabelName(str(r.key), `${path}.key`));
  return causes;
}

export function validateNodeFieldSelectorRequirement(raw: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  const r = wire<NodeSelectorRequirement>(raw);
  const op = str(r.operator);
  const values = list(r.values).map(str);
  if (op === 'In' || op === 'NotIn') {
    if (values.length !== 1) causes.push(required(`${path}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  } else {
    causes.push(invalid(`${path}.operator`, op, NOT_AN_OPERATOR));
  }
  const key = str(r.key);
  const check = NODE_FIELD_VALIDATORS.get(key);
  if (!check) {
    causes.push(invalid(`${path}.key`, key, 'not a valid field selector key'));
  } else {
    values.forEach((v, i) => {
      for (const m of check(v, false)) causes.push(invalid(`${path}.values[${i}]`, v, m));
    });
  }
  return causes;
}

export function validateNodeSelectorTerm(raw: unknown, path: string): Cause[] {
  const term = wire<NodeSelectorTerm>(raw);
  return [
    ...list(term.matchExpressions).flatMap((r, j) => validateNodeSelectorRequirement(r, `${path}.matchExpressions[${j}]`)),
    ...list(term.matchFields).flatMap((r, j) => validateNodeFieldSelectorRequirement(r, `${path}.matchFields[${j}]`)),
  ];
}

/** ValidateNodeSelector: at least one term, each valid. */
export function validateNodeSelector(raw: unknown, path: string): Cause[] {
  const terms = list(wire<NodeSelector>(raw).nodeSelectorTerms);
  const termsPath = `${path}.nodeSelectorTerms`;
  if (terms.length === 0) return [required(termsPath, 'must have at least one node selector term')];
  return terms.flatMap((t, i) => validateNodeSelectorTerm(t, `${termsPath}[${i}]`));
}
