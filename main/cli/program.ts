// The `flotilla` command line made from the definitions (commander does the parsing, the help, the
// "did you mean" suggestions): unknown flags and commands, bad values and missing arguments are
// usage errors (exit code 2, the message, then the command's help); --help and `help CMD` exit 0.
import { Command, CommanderError, Option } from 'commander';
import { isGroup, type CommandDef, type Fields, type Flag, type Leaf, type Values } from './define';

export const EXIT_USAGE = 2;

/** What a run came to: an exit code, or 'running' (serve: the process lives on). */
export type Outcome = number | 'running';

type Finish = (result: void | 'running') => void;

export interface ProgramOptions {
  /** Hears what the action that ran returned. */
  finish?: Finish;
  /** Where help and errors go (default: stdout and stderr). */
  writeOut?: (s: string) => void;
  writeErr?: (s: string) => void;
}

function option(f: Flag<unknown>): Option {
  const o = new Option(f.syntax, f.description);
  if (f.choices) o.choices(f.choices); // for help; the flag's own parser (set next) checks the value
  if (f.parse) o.argParser(f.parse);
  if (f.default !== undefined) o.default(f.default);
  o.defaultValueDescription = f.defaultHelp; // computed defaults (no value here) are said in words
  return o;
}

/** A flag's line in help: its description, then its choices and its default. */
export function describeOption(o: Option): string {
  const extra: string[] = [];
  if (o.argChoices) extra.push(`one of ${o.argChoices.join(', ')}`);
  const def = o.defaultValueDescription ?? (o.defaultValue === undefined || o.negate || !(o.required || o.optional) ? undefined : String(o.defaultValue));
  if (def !== undefined) extra.push(`default: ${def}`);
  return extra.length ? `${o.description} (${extra.join('; ')})` : o.description;
}

/** Usage errors name the command: `flotilla serve: unknown option '--node'`. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function addLeaf(cmd: Command, def: Leaf, finish: Finish): void {
  for (const a of def.aliases ?? []) cmd.alias(a);
  const readers: Array<[string, (c: Command) => unknown]> = [];
  let position = 0;
  for (const [key, f] of Object.entries(def.fields)) {
    if (f.kind === 'positional') {
      const i = position++;
      cmd.argument(`<${f.name}>`, f.description);
      readers.push([key, (c): unknown => c.processedArgs[i]]);
    } else {
      const o = option(f);
      cmd.addOption(o);
      readers.push([key, (c): unknown => c.getOptionValue(o.attributeName())]);
    }
  }
  cmd.action(async (...params: unknown[]) => {
    const c = params[params.length - 1] as Command; // commander passes the command last
    // Each value was made by its own field's parser (or is its default), so it has the field's type.
    const values = Object.fromEntries(readers.map(([key, read]) => [key, read(c)])) as Values<Fields>;
    finish(await def.run(values));
  });
}

function addCommand(parent: Command, def: CommandDef, finish: Finish): void {
  const cmd = parent.command(def.name).summary(def.summary).description(def.summary);
  cmd.configureOutput({ outputError: (str, write) => write(`${commandPath(cmd)}: ${str.replace(/^error: /, '')}`) });
  if (isGroup(def)) {
    for (const sub of def.subcommands) addCommand(cmd, sub, finish);
  } else {
    addLeaf(cmd, def, finish);
  }
}

export function buildProgram(commands: readonly CommandDef[], o: ProgramOptions = {}): Command {
  // Settings made before the subcommands are added are inherited by them.
  const program = new Command('flotilla')
    .description('Flotilla: a local Kubernetes (control plane, UI, sandbox and VM nodes)')
    .exitOverride() // errors and help come back to runCli as CommanderError
    .showHelpAfterError(true)
    .configureHelp({ sortSubcommands: false, sortOptions: false, optionDescription: describeOption })
    .helpCommand('help [command...]', 'display help for a command')
    .configureOutput({
      ...(o.writeOut ? { writeOut: o.writeOut } : {}),
      ...(o.writeErr ? { writeErr: o.writeErr } : {}),
      outputError: (str, write) => write(`flotilla: ${str.replace(/^error: /, '')}`),
    });
  for (const def of commands) addCommand(program, def, o.finish ?? (() => undefined));
  return program;
}

/** `flotilla help node add`: the help of the command those words name (commander's own help command looks one word deep). */
function showHelp(program: Command, words: readonly string[]): never {
  let cmd = program;
  for (const w of words) {
    if (w.startsWith('-')) break; // flags after the command words change nothing: `serve --help --nodes 2` is serve's help too
    const sub = cmd.commands.find((c) => c.name() === w || c.aliases().includes(w));
    if (!sub) return cmd.error(`unknown command '${w}'`, { code: 'commander.unknownCommand' });
    cmd = sub;
  }
  return cmd.help();
}

/** Parses argv (without node and the script) and runs the command it names. */
export async function runCli(commands: readonly CommandDef[], argv: readonly string[], o: Omit<ProgramOptions, 'finish'> = {}): Promise<Outcome> {
  let outcome: Outcome = 0;
  const program = buildProgram(commands, {
    ...o,
    finish: (r) => {
      if (r === 'running') outcome = 'running';
    },
  });
  try {
    if (argv[0] === 'help' && argv.length > 1) showHelp(program, argv.slice(1));
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    // Help asked for exits 0; help shown because a command is missing, and every parse error, exit 2.
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_USAGE;
    throw e;
  }
  return outcome;
}
