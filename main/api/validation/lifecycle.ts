// Container lifecycle hooks (validateLifecycle, validateHandler, validateSleepAction): one handler per
// hook, exec with a command, httpGet/tcpSocket with a port, sleep within the grace period.
import type { Cause } from './cause';
import { forbidden, invalid, notSupported, required } from './cause';
import { validatePortNumOrName } from './container';
import { isObj, list, obj, str } from './read';

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;

function validateHandler(raw: unknown, gracePeriod: number | undefined, path: string): Cause[] {
  const causes: Cause[] = [];
  const h = obj(raw);
  let count = 0;
  for (const kind of HANDLERS) {
    if (!isObj(h[kind])) continue;
    const p = `${path}.${kind}`;
    if (count++ > 0) { causes.push(forbidden(p, 'may not specify more than 1 handler type')); continue; }
    const action = obj(h[kind]);
    if (kind === 'exec' && list(action.command).length === 0) causes.push(required(`${p}.command`));
    if (kind === 'httpGet') {
      if (!str(action.path)) causes.push(required(`${p}.path`));
      causes.push(...validatePortNumOrName(action.port, `${p}.port`));
      const scheme = str(action.scheme);
      if (scheme !== 'HTTP' && scheme !== 'HTTPS') causes.push(notSupported(`${p}.scheme`, scheme, ['HTTP', 'HTTPS']));
    }
    if (kind === 'tcpSocket') causes.push(...validatePortNumOrName(action.port, `${p}.port`));
    if (kind === 'sleep' && gracePeriod !== undefined) {
      const seconds = typeof action.seconds === 'number' ? action.seconds : 0;
      if (seconds <= 0 || seconds > gracePeriod) {
        causes.push(invalid(p, seconds, `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod})`));
      }
    }
  }
  if (count === 0) causes.push(required(path, 'must specify a handler type'));
  return causes;
}

/** A container's lifecycle; `gracePeriod` is the pod's terminationGracePeriodSeconds. */
export function validateLifecycle(raw: unknown, gracePeriod: number | undefined, path: string): Cause[] {
  if (raw === undefined || raw === null) return [];
  const lc = obj(raw);
  return [
    ...(lc.postStart !== undefined && lc.postStart !== null ? validateHandler(lc.postStart, gracePeriod, `${path}.postStart`) : []),
    ...(lc.preStop !== undefined && lc.preStop !== null ? validateHandler(lc.preStop, gracePeriod, `${path}.preStop`) : []),
  ];
}
