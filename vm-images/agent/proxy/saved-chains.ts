// Reads iptables-save output: which chains exist per table, and which rule lines they hold.
import { run, type Exec } from './exec';
import type { Table } from './rules';

/** Chains of a table, and each rule line with how many times it occurs. */
export interface SavedTable { chains: Set<string>; rules: Map<string, number> }
export type SavedTables = Map<string, SavedTable>;

/** Pure parser of iptables-save text. */
export function parseSave(text: string): SavedTables {
  const tables: SavedTables = new Map();
  let current: SavedTable | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) {
      current = { chains: new Set(), rules: new Map() };
      tables.set(line.slice(1).trim(), current);
    } else if (!current) {
      continue;
    } else if (line.startsWith(':')) {
      const name = line.slice(1).split(' ')[0];
      if (name) current.chains.add(name);
    } else if (line.startsWith('-A ')) {
      const rule = line.trim();
      current.rules.set(rule, (current.rules.get(rule) ?? 0) + 1);
    }
  }
  return tables;
}

/** A rule as iptables-save prints it once appended to `chain` with these arguments (a comment's text quoted). */
export function savedRuleLine(chain: string, args: readonly string[]): string {
  return `-A ${chain} ${args.map((a, i) => (args[i - 1] === '--comment' ? `"${a}"` : a)).join(' ')}`;
}

/** The restore line inserting that rule at the top of its chain. */
export function topInsertLine(chain: string, args: readonly string[]): string {
  return savedRuleLine(chain, args).replace(/^-A (\S+) /, '-I $1 1 ');
}

/** iptables-save of the given tables (all when none are given). */
export async function saveTables(exec: Exec, table?: Table): Promise<SavedTables> {
  return parseSave(await run(exec, ['iptables-save', ...(table ? ['-t', table] : [])]));
}

export async function savedChains(exec: Exec, table: Table): Promise<Set<string>> {
  return (await saveTables(exec, table)).get(table)?.chains ?? new Set();
}
