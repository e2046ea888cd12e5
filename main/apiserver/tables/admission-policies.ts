// admissionregistration.k8s.io/v1: ValidatingAdmissionPolicies (NAME VALIDATIONS PARAMKIND AGE) and their bindings
// (NAME POLICYNAME PARAMREF AGE), as printValidatingAdmissionPolicy and printValidatingAdmissionPolicyBinding print them.
import type { LabelSelector, ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';

/** The generated protobuf String() of a metav1.LabelSelector, which the binding's printer shows for a paramRef selector. */
export function goLabelSelectorString(s: LabelSelector): string {
  const labels = Object.keys(s.matchLabels ?? {}).sort().map((k) => `${k}: ${s.matchLabels![k]},`).join('');
  const exprs = (s.matchExpressions ?? []).map((r) => `LabelSelectorRequirement{Key:${r.key},Operator:${r.operator},Values:[${(r.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

export const validatingAdmissionPolicyTable = defineTable<ValidatingAdmissionPolicy>({
  columns: [
    nameColumn,
    {
      name: 'Validations', type: 'integer', description: 'Validations indicates the number of validation rules defined in this configuration',
      cell: (p) => p.spec?.validations?.length ?? 0,
    },
    {
      name: 'ParamKind', type: 'string', description: 'ParamKind specifies the kind of resources used to parameterize this policy',
      cell: (p) => (p.spec?.paramKind ? `${p.spec.paramKind.apiVersion ?? ''}/${p.spec.paramKind.kind ?? ''}` : '<unset>'),
    },
    ageColumn,
  ],
});

function paramRef(b: ValidatingAdmissionPolicyBinding): string {
  const pr = b.spec?.paramRef;
  if (!pr) return '<unset>';
  if (pr.name) return `${pr.namespace || '*'}/${pr.name}`;
  return pr.selector ? goLabelSelectorString(pr.selector) : '<unset>';
}

export const validatingAdmissionPolicyBindingTable = defineTable<ValidatingAdmissionPolicyBinding>({
  columns: [
    nameColumn,
    {
      name: 'PolicyName', type: 'string', description: 'PolicyName indicates the policy definition which the policy binding binded to',
      cell: (b) => b.spec?.policyName ?? '',
    },
    { name: 'ParamRef', type: 'string', description: 'ParamRef indicates the param resource which sets the configration param', cell: paramRef },
    ageColumn,
  ],
});
