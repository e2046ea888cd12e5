// Reads which chains exist in a table (iptables-save's ":NAME POLICY [p:b]" lines).
import { run, type Exec } from './exec';
import type { Table } from './rules';

export async function savedChains(exec: Exec, table: Table): Promise<Set<string>> {
  const text = await run(exec, ['iptables-save', '-t', table]);
  const chains = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.startsWith(':')) chains.add(line.slice(1).split(' ')[0] ?? '');
  }
  chains.delete('');
  return chains;
}
