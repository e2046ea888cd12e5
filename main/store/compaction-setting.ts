// The compaction interval a person chose in the UI, kept in <data-dir>/compaction.json so the next start uses it
// (a --compaction-interval flag given to `flotilla serve` wins over it).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compactionIntervalProblem } from '../api/compaction';

const FILE = 'compaction.json';

/** The saved interval in ms, or undefined when none is saved (or the file is not one this program wrote). */
export function readCompactionSetting(dataDir: string): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir, FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const v = (JSON.parse(text) as { intervalMs?: unknown }).intervalMs;
    return typeof v === 'number' && !compactionIntervalProblem(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function writeCompactionSetting(dataDir: string, intervalMs: number): void {
  const file = path.join(dataDir, FILE);
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify({ intervalMs })}\n`, { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}
