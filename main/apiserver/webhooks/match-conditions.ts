// A webhook's matchConditions (admission/plugin/webhook/matchconditions): CEL expressions over `object`,
// `oldObject`, `request` and `authorizer` (registry/cel-authz.ts), with the CEL setup of CRD validation rules
// (registry/custom-cel.ts). All true: the webhook is called; one false: it is skipped; an error is the webhook's
// failure, under its failurePolicy.
import { isCelError, type CelInput } from '@bufbuild/cel';
import type { MatchCondition } from '../../api/types';
import { celValue, compile } from '../registry/custom-cel';

export type ConditionResult = { matches: boolean } | { error: string };

export function evaluateMatchConditions(
  conditions: readonly MatchCondition[] | undefined, review: { request: Record<string, unknown> }, extra: Record<string, CelInput> = {},
): ConditionResult {
  if (!conditions?.length) return { matches: true };
  const req = review.request;
  const bindings: Record<string, CelInput> = {
    object: celValue(req.object ?? null, undefined), oldObject: celValue(req.oldObject ?? null, undefined), request: celValue(req, undefined), ...extra,
  };
  const errors: string[] = [];
  for (const c of conditions) {
    const program = compile(c.expression);
    if (program instanceof Error) {
      errors.push(`compilation failed: ${program.message}`);
      continue;
    }
    const out = program(bindings);
    if (isCelError(out)) errors.push(`expression '${c.name}' resulted in error: ${out.message}`);
    else if (out === false) return { matches: false };
    else if (out !== true) errors.push(`expression '${c.name}' resulted in error: no such overload`);
  }
  return errors.length ? { error: errors.join(', ') } : { matches: true };
}
