// The declarative shape of a `flotilla` command: its positional arguments and flags, each with its
// type (parser), default and description. Parsing, `--help` and the README's command reference are
// all built from these definitions (main/cli/program.ts, main/cli/reference.ts); nothing else
// describes a flag.
import { InvalidArgumentError } from 'commander';
import { parseGoDuration } from '../api/go-duration';

/** A flag that takes a value: `--name <value>`. */
export interface Flag<T> {
  readonly kind: 'flag';
  /** commander's syntax: '--nodes <n>'. */
  readonly syntax: string;
  readonly description: string;
  /** The value when the flag is not given. */
  readonly default: T;
  /** How help shows the default when the value itself would not say it (computed defaults). */
  readonly defaultHelp?: string;
  /** Turns the text given into the value (`previous`: the value so far, for repeatable flags); throws InvalidArgumentError with the reason. */
  parse?(this: void, raw: string, previous: T): T;
  readonly choices?: readonly string[];
}

/** A required positional argument. */
export interface Positional {
  readonly kind: 'positional';
  /** As shown in usage: 'name' becomes `<name>`. */
  readonly name: string;
  readonly description: string;
}

export type Field = Flag<unknown> | Positional;
export type Fields = Readonly<Record<string, Field>>;

/** What a command's action receives: every positional and flag, parsed, defaults applied. */
export type Values<F extends Fields> = {
  readonly [K in keyof F]: F[K] extends Flag<infer T> ? T : string;
};

/** A command that does something: `serve`, `node add`, `bench ui`. */
export interface Leaf<F extends Fields = Fields> {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** One line, shown in the list of commands and at the top of the command's help. */
  readonly summary: string;
  /** Positionals (in order) and flags. */
  readonly fields: F;
  /** 'running' when the command keeps the process alive (serve); otherwise the process exits when it resolves. */
  run(values: Values<F>): Promise<void | 'running'>;
}

/** A command of commands: `node`, `images`, `bench`. */
export interface Group {
  readonly name: string;
  readonly summary: string;
  readonly subcommands: readonly CommandDef[];
}

export type CommandDef = Leaf | Group;

export function isGroup(c: CommandDef): c is Group {
  return 'subcommands' in c;
}

/** Checks a leaf's definition against its action's types. */
export function leaf<F extends Fields>(c: Leaf<F>): Leaf<F> {
  return c;
}

export function positional(name: string, description: string): Positional {
  return { kind: 'positional', name, description };
}

export interface IntRange {
  min?: number;
  max?: number;
}

/** A whole number, in decimal, within the range (by default 0 or more). */
export function parseInteger(raw: string, { min = 0, max }: IntRange = {}): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  const range = max === undefined ? `${min} or more` : `${min} to ${max}`;
  if (!Number.isSafeInteger(n) || n < min || (max !== undefined && n > max)) {
    throw new InvalidArgumentError(`It must be a whole number, ${range}.`);
  }
  return n;
}

/** A size in MiB: 2048, 2048M, 2048MiB, 2G, 2Gi or 2GiB. */
export function parseMemoryMiB(raw: string): number {
  const m = /^(\d+)\s*(M|Mi|MiB|G|Gi|GiB)?$/i.exec(raw.trim());
  const n = m ? Number(m[1]) * (m[2] && /^g/i.test(m[2]) ? 1024 : 1) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('It must be like 2048, 2048M or 2G.');
  return n;
}

/** A Go duration (40s, 1m30s, 500ms) as whole or fractional seconds, more than 0 (as kube-controller-manager's duration flags). */
export function parseDurationSeconds(raw: string): number {
  let ms: number;
  try {
    ms = parseGoDuration(raw);
  } catch {
    throw new InvalidArgumentError('It must be a duration like 40s, 1m30s or 500ms.');
  }
  if (!(ms > 0)) throw new InvalidArgumentError('It must be more than 0s.');
  return ms / 1000;
}

export function intFlag(syntax: string, description: string, def: number, range?: IntRange): Flag<number>;
export function intFlag(syntax: string, description: string, def: undefined, range: IntRange | undefined, defaultHelp: string): Flag<number | undefined>;
export function intFlag(syntax: string, description: string, def: number | undefined, range?: IntRange, defaultHelp?: string): Flag<number | undefined> {
  return { kind: 'flag', syntax, description, default: def, defaultHelp, parse: (raw) => parseInteger(raw, range) };
}

export function stringFlag(syntax: string, description: string, def: string, defaultHelp?: string, parse?: (raw: string) => string): Flag<string>;
export function stringFlag(syntax: string, description: string, def: undefined, defaultHelp: string, parse?: (raw: string) => string): Flag<string | undefined>;
export function stringFlag(
  syntax: string, description: string, def: string | undefined, defaultHelp?: string, parse?: (raw: string) => string,
): Flag<string | undefined> {
  return { kind: 'flag', syntax, description, default: def, defaultHelp, parse };
}

/** One of a fixed set of words; `is` narrows the text to the value type. */
export function choiceFlag<C extends string>(
  syntax: string, description: string, choices: readonly string[], is: (s: string) => s is C, def: C,
): Flag<C>;
export function choiceFlag<C extends string>(
  syntax: string, description: string, choices: readonly string[], is: (s: string) => s is C, def: undefined, defaultHelp: string,
): Flag<C | undefined>;
export function choiceFlag<C extends string>(
  syntax: string, description: string, choices: readonly string[], is: (s: string) => s is C, def: C | undefined, defaultHelp?: string,
): Flag<C | undefined> {
  const parse = (raw: string): C => {
    if (!is(raw)) throw new InvalidArgumentError(`It must be one of ${choices.join(', ')}.`);
    return raw;
  };
  return { kind: 'flag', syntax, description, default: def, defaultHelp, parse, choices };
}

/** A switch without a value (`--statefulset`): true when given, false otherwise. */
export function switchFlag(syntax: string, description: string): Flag<boolean> {
  return { kind: 'flag', syntax, description, default: false, defaultHelp: 'off' };
}

/** A flag of its own kind of value (parse throws InvalidArgumentError with the reason). */
export function customFlag<T>(syntax: string, description: string, def: T, parse: (raw: string) => T, defaultHelp?: string): Flag<T> {
  return { kind: 'flag', syntax, description, default: def, defaultHelp, parse };
}

/** A flag that may be given many times (`--insecure-registry a:5000 --insecure-registry b:5000`): the values in order, each checked by `parseItem`. */
export function listFlag(syntax: string, description: string, parseItem: (raw: string) => string = (raw) => raw): Flag<string[]> {
  const parse = (raw: string, previous: string[]): string[] => {
    try {
      return [...previous, parseItem(raw)];
    } catch (e) {
      throw new InvalidArgumentError(e instanceof Error ? e.message : String(e));
    }
  };
  return { kind: 'flag', syntax, description, default: [], defaultHelp: 'none', parse };
}
