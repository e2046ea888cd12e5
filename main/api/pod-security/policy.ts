// A namespace's Pod Security policy from its labels (pod-security.kubernetes.io/<mode>[-version]), as
// k8s.io/pod-security-admission/api's PolicyToEvaluate reads them: each of enforce, audit and warn a level and a version
// ("latest" or v1.x), privileged:latest when unlabelled; warn follows a stricter enforce level unless set; an invalid
// enforce level counts as restricted, an invalid audit or warn level as privileged (fail open), and each is an error
// a namespace write is refused for.
import type { PodSecurityLevel } from './checks';

export const POD_SECURITY_LABEL_PREFIX = 'pod-security.kubernetes.io/';
const LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];
const VERSION = /^v1\.([0-9]|[1-9][0-9]*)$/;

export interface LevelVersion { level: PodSecurityLevel; version: string }
export interface PodSecurityPolicy { enforce: LevelVersion; audit: LevelVersion; warn: LevelVersion }
export interface LabelError { label: string; value: string; message: string }

/** `restricted:latest`, as the messages name a level and version. */
export function levelVersionText(lv: LevelVersion): string {
  return `${lv.level}:${lv.version}`;
}

/** CompareLevels' order: privileged < baseline < restricted. */
export const strictness = (l: PodSecurityLevel): number => LEVELS.indexOf(l);

export function podSecurityPolicy(labels: Readonly<Record<string, string>> | undefined): { policy: PodSecurityPolicy; errors: LabelError[] } {
  const policy: PodSecurityPolicy = {
    enforce: { level: 'privileged', version: 'latest' }, audit: { level: 'privileged', version: 'latest' }, warn: { level: 'privileged', version: 'latest' },
  };
  const errors: LabelError[] = [];
  const l = labels ?? {};
  const level = (mode: keyof PodSecurityPolicy, onError: PodSecurityLevel): boolean => {
    const label = `${POD_SECURITY_LABEL_PREFIX}${mode}`;
    const value = l[label];
    if (value === undefined) return false;
    if ((LEVELS as readonly string[]).includes(value)) { policy[mode].level = value as PodSecurityLevel; return true; }
    policy[mode].level = onError;
    errors.push({ label, value, message: `must be one of ${LEVELS.join(', ')}` });
    return false;
  };
  const version = (mode: keyof PodSecurityPolicy): boolean => {
    const label = `${POD_SECURITY_LABEL_PREFIX}${mode}-version`;
    const value = l[label];
    if (value === undefined) return false;
    if (value === 'latest' || VERSION.test(value)) policy[mode].version = value;
    else errors.push({ label, value, message: 'must be "latest" or "v1.x"' });
    return true;
  };
  const hasEnforce = level('enforce', 'restricted');
  version('enforce');
  level('audit', 'privileged');
  version('audit');
  const hasWarn = `${POD_SECURITY_LABEL_PREFIX}warn` in l;
  level('warn', 'privileged');
  const hasWarnVersion = version('warn');
  if (!hasWarn && hasEnforce && strictness(policy.enforce.level) > strictness(policy.warn.level)) {
    policy.warn.level = policy.enforce.level;
    if (!hasWarnVersion) policy.warn.version = policy.enforce.version;
  }
  return { policy, errors };
}
