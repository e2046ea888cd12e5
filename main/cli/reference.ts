// The README's "Command line" reference, made from the same program as parsing and --help: every
// command that does something, its usage, its summary and each argument and flag with its default.
// `npm run gen:cli-reference` writes it into README.md; a unit test fails when README.md differs.
import type { Command } from 'commander';

export const REFERENCE_BEGIN = '<!-- cli-reference:begin (made from main/cli/commands.ts by `npm run gen:cli-reference`; do not edit) -->';
export const REFERENCE_END = '<!-- cli-reference:end -->';

function leaves(cmd: Command): Command[] {
  return cmd.commands.length ? cmd.commands.flatMap(leaves) : [cmd];
}

/** The reference as a Markdown code block. */
export function commandLineReference(program: Command): string {
  const lines: string[] = [];
  for (const cmd of leaves(program)) {
    const help = cmd.createHelp();
    lines.push(help.commandUsage(cmd), `    ${cmd.summary()}`);
    const items: Array<[string, string]> = [
      ...help.visibleArguments(cmd).map((a): [string, string] => [help.argumentTerm(a), help.argumentDescription(a)]),
      ...help.visibleOptions(cmd).filter((o) => o.long !== '--help').map((o): [string, string] => [help.optionTerm(o), help.optionDescription(o)]),
    ];
    const width = Math.max(0, ...items.map(([term]) => term.length));
    for (const [term, description] of items) lines.push(`    ${term.padEnd(width)}  ${description}`);
  }
  return ['```', ...lines, '```'].join('\n');
}

/** README text with the reference between the markers replaced by `reference`. */
export function withReference(readme: string, reference: string): string {
  const begin = readme.indexOf(REFERENCE_BEGIN);
  const end = readme.indexOf(REFERENCE_END);
  if (begin < 0 || end < begin) throw new Error(`README.md has no ${REFERENCE_BEGIN} … ${REFERENCE_END} section`);
  return `${readme.slice(0, begin + REFERENCE_BEGIN.length)}\n${reference}\n${readme.slice(end)}`;
}
