// The syntax check of a CronJob's schedule as Kubernetes does it (robfig/cron's ParseStandard: five
// fields or an @-descriptor, `@every <Go duration>` included), with robfig's error messages. Pure: the
// next-run computation lives in the CronJob controller (cron-parser); this only says whether a schedule
// is valid and why not, and what interval an `@every` schedule has.
import { parseGoDuration } from './go-duration';

interface Bounds { min: number; max: number; names?: readonly string[] }

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FIELDS: readonly Bounds[] = [
  { min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 }, { min: 1, max: 12, names: MONTHS }, { min: 0, max: 6, names: DAYS },
];

/** The descriptors robfig/cron accepts, as the five-field schedule each stands for. */
export const CRON_DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

const EVERY = '@every ';

/**
 * The interval of an `@every <duration>` schedule in ms (robfig's Every: at least a second, whole
 * seconds), undefined for any other schedule; throws robfig's error for a bad duration.
 */
export function everyInterval(schedule: string): number | undefined {
  if (!schedule.startsWith(EVERY)) return undefined;
  let ms: number;
  try {
    ms = parseGoDuration(schedule.slice(EVERY.length));
  } catch (e) {
    throw new Error(`failed to parse duration ${schedule}: ${(e as Error).message}`);
  }
  return ms < 1000 ? 1000 : ms - (ms % 1000);
}

/** Go's strconv.Atoi error text. */
function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`failed to parse int from ${s}: strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  return Number(s);
}

function mustParseInt(s: string): number {
  const n = atoi(s);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${s}`);
  return n;
}

function parseIntOrName(s: string, names?: readonly string[]): number {
  const i = names?.indexOf(s.toLowerCase()) ?? -1;
  if (i >= 0) return names === MONTHS ? i + 1 : i;
  return mustParseInt(s);
}

/** robfig's getRange for one comma-separated part of a field. */
function checkRange(expr: string, b: Bounds): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min;
    end = b.max;
  } else {
    start = parseIntOrName(lowAndHigh[0], b.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1], b.names);
    else throw new Error(`too many hyphens: ${expr}`);
  }
  if (rangeAndStep.length === 2) {
    const step = mustParseInt(rangeAndStep[1]);
    if (singleDigit && lowAndHigh[0] !== '*' && lowAndHigh[0] !== '?') end = b.max;
    if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
  } else if (rangeAndStep.length > 2) {
    throw new Error(`too many slashes: ${expr}`);
  }
  if (start < b.min) throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
}

/** The schedule's problem as robfig/cron's ParseStandard words it, or undefined when it parses. */
export function cronScheduleError(schedule: string): string | undefined {
  const s = schedule.trim();
  if (s.length === 0) return 'empty spec string';
  try {
    if (s.startsWith('@')) {
      if (CRON_DESCRIPTORS[s] || everyInterval(s) !== undefined) return undefined;
      return `unrecognized descriptor: ${s}`;
    }
    let fields = s.split(/\s+/);
    if (fields[0].startsWith('TZ=') || fields[0].startsWith('CRON_TZ=')) fields = fields.slice(1);
    if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
    fields.forEach((f, i) => { for (const part of f.split(',')) checkRange(part, FIELDS[i]); });
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The five-field form of a schedule (a descriptor expanded), for the next-run computation. */
export function standardCronFields(schedule: string): string {
  const s = schedule.trim();
  return CRON_DESCRIPTORS[s] ?? s;
}
