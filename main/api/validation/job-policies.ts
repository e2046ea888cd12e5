// The parts of validateJobSpec (pkg/apis/batch/validation) about who manages a Job and when an
// Indexed Job is done: spec.managedBy (a domain-prefixed path, at most 63 bytes), spec.successPolicy
// (rules of succeededIndexes/succeededCount) and the limits on maxFailedIndexes, with Kubernetes' messages.
import type { Cause } from './cause';
import { invalid, required, tooLong } from './cause';
import { nonNegative } from './container';
import { GoRepr } from './gofmt';
import { isDNS1123Subdomain, regexError, utf8Length } from './names';
import { isSet, list, obj, str } from './read';

const MAX_MANAGED_BY_LENGTH = 63;
const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH_RE = new RegExp(`^(?:${HTTP_PATH_FMT})$`);
const MAX_SUCCESS_POLICY_RULES = 20;
const MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024;
const MAX_FAILED_INDEXES = 100_000;
const COMPLETIONS_SOFT_LIMIT = 100_000;
const HIGH_COMPLETIONS_LIMIT = 10_000;

/** apimachinery's IsDomainPrefixedPath: "<DNS-1123 subdomain>/<HTTP path>". */
export function validateDomainPrefixedPath(path: string, value: string): Cause[] {
  if (value.length === 0) return [required(path)];
  const slash = value.indexOf('/');
  const host = slash < 0 ? '' : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (!host || !rest) return [invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const causes = isDNS1123Subdomain(host).map((m) => invalid(path, host, m));
  if (!HTTP_PATH_RE.test(rest)) return [...causes, invalid(path, rest, regexError('Invalid path', HTTP_PATH_FMT))];
  return causes;
}

export function validateManagedBy(spec: Record<string, unknown>, path: string): Cause[] {
  if (!isSet(spec.managedBy)) return [];
  const v = str(spec.managedBy);
  const causes = validateDomainPrefixedPath(path, v);
  if (utf8Length(v) > MAX_MANAGED_BY_LENGTH) causes.push(tooLong(path, MAX_MANAGED_BY_LENGTH));
  return causes;
}

/** parseIndexInterval: "x" or "x-y" with x < y < completions. */
function parseInterval(s: string, completions: number): [number, number] {
  const limits = s.split('-');
  if (limits.length > 2) throw new Error(`the fragment ${JSON.stringify(s)} violates the requirement that an index interval can have at most two parts separated by '-'`);
  const atoi = (t: string): number => {
    if (!/^[+-]?\d+$/.test(t)) throw new Error(`cannot convert string to integer for index: ${JSON.stringify(t)}`);
    return Number(t);
  };
  const x = atoi(limits[0]);
  if (x >= completions) throw new Error(`too large index: ${JSON.stringify(limits[0])}`);
  if (limits.length === 1) return [x, x];
  const y = atoi(limits[1]);
  if (y >= completions) throw new Error(`too large index: ${JSON.stringify(limits[1])}`);
  if (x >= y) throw new Error(`non-increasing order, previous: ${x}, current: ${y}`);
  return [x, y];
}

/** validateIndexesFormat: the number of indexes in "1,3-5,7", or the parse error. */
export function indexesFormatTotal(s: string, completions: number): number {
  if (s.length === 0) return 0;
  let last: number | undefined;
  let total = 0;
  for (const part of s.split(',')) {
    const [x, y] = parseInterval(part, completions);
    if (last !== undefined && last >= x) throw new Error(`non-increasing order, previous: ${last}, current: ${x}`);
    total += y - x + 1;
    last = y;
  }
  return total;
}

function validateSuccessPolicyRule(rule: Record<string, unknown>, path: string, completions: number): Cause[] {
  const causes: Cause[] = [];
  if (!isSet(rule.succeededCount) && !isSet(rule.succeededIndexes)) causes.push(required(path, 'at least one of succeededCount or succeededIndexes must be specified'));
  let total = 0;
  if (isSet(rule.succeededIndexes)) {
    const s = str(rule.succeededIndexes);
    if (s.length > MAX_SUCCEEDED_INDEXES_LENGTH) causes.push(tooLong(`${path}.succeededIndexes`, MAX_SUCCEEDED_INDEXES_LENGTH));
    try {
      total = indexesFormatTotal(s, completions);
    } catch (e) {
      causes.push(invalid(`${path}.succeededIndexes`, s, `error parsing succeededIndexes: ${(e as Error).message}`));
    }
  }
  if (isSet(rule.succeededCount)) {
    const count = Number(rule.succeededCount);
    const p = `${path}.succeededCount`;
    causes.push(...nonNegative(count, p));
    if (count > completions) causes.push(invalid(p, count, `must be less than or equal to ${completions} (the number of specified completions)`));
    if (isSet(rule.succeededIndexes) && count > total) {
      causes.push(invalid(p, count, `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`));
    }
  }
  return causes;
}

export function validateSuccessPolicy(spec: Record<string, unknown>, path: string): Cause[] {
  if (!isSet(spec.successPolicy)) return [];
  if (spec.completionMode !== 'Indexed') {
    return [invalid(path, new GoRepr('batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{…}}'), 'requires indexed completion mode')];
  }
  const causes: Cause[] = [];
  const rules = list(obj(spec.successPolicy).rules);
  if (rules.length === 0) causes.push(required(`${path}.rules`, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > MAX_SUCCESS_POLICY_RULES) {
    causes.push({ reason: 'FieldValueInvalid', field: `${path}.rules`, message: `Too many: ${rules.length}: must have at most ${MAX_SUCCESS_POLICY_RULES} items` });
  }
  const completions = typeof spec.completions === 'number' ? spec.completions : 0;
  rules.forEach((r, i) => causes.push(...validateSuccessPolicyRule(obj(r), `${path}.rules[${i}]`, completions)));
  return causes;
}

/** The Indexed-mode limits on maxFailedIndexes and parallelism with backoffLimitPerIndex. */
export function validateIndexLimits(spec: Record<string, unknown>, path: string): Cause[] {
  if (spec.completionMode !== 'Indexed') return [];
  const causes: Cause[] = [];
  const completions = typeof spec.completions === 'number' ? spec.completions : undefined;
  const maxFailed = typeof spec.maxFailedIndexes === 'number' ? spec.maxFailedIndexes : undefined;
  if (completions !== undefined && maxFailed !== undefined && maxFailed > completions) {
    causes.push(invalid(`${path}.maxFailedIndexes`, maxFailed, 'must be less than or equal to completions'));
  }
  if (maxFailed !== undefined && maxFailed > MAX_FAILED_INDEXES) {
    causes.push(invalid(`${path}.maxFailedIndexes`, maxFailed, `must be less than or equal to ${MAX_FAILED_INDEXES}`));
  }
  if (completions !== undefined && completions > COMPLETIONS_SOFT_LIMIT && isSet(spec.backoffLimitPerIndex)) {
    const above = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
    if (maxFailed === undefined) causes.push(required(`${path}.maxFailedIndexes`, `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`));
    if (typeof spec.parallelism === 'number' && spec.parallelism > HIGH_COMPLETIONS_LIMIT) {
      causes.push(invalid(`${path}.parallelism`, spec.parallelism, `must be less than or equal to ${HIGH_COMPLETIONS_LIMIT} ${above}`));
    }
    if (maxFailed !== undefined && maxFailed > HIGH_COMPLETIONS_LIMIT) {
      causes.push(invalid(`${path}.maxFailedIndexes`, maxFailed, `must be less than or equal to ${HIGH_COMPLETIONS_LIMIT} ${above}`));
    }
  }
  return causes;
}
