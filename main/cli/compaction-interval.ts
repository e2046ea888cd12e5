// --compaction-interval: a Go duration ("5m", "90s", "1h"; 0 turns compaction off), as kube-apiserver reads its
// --etcd-compaction-interval.
import { InvalidArgumentError } from 'commander';
import { parseGoDuration } from '../api/go-duration';
import { compactionIntervalProblem } from '../api/compaction';

export function parseCompactionInterval(raw: string): number {
  let ms: number;
  try {
    ms = raw.trim() === '0' ? 0 : parseGoDuration(raw.trim());
  } catch (e) {
    throw new InvalidArgumentError(`${e instanceof Error ? e.message : String(e)} (a duration such as 5m, 90s or 1h; 0: never)`);
  }
  const problem = compactionIntervalProblem(Math.round(ms));
  if (problem) throw new InvalidArgumentError(problem.replace('a whole number of milliseconds, 0 or more', 'a duration such as 5m, 90s or 1h (0: never)'));
  return Math.round(ms);
}
