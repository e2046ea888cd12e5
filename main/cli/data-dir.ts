// Where a Flotilla cluster keeps its state: --data-dir, else $FLOTILLA_DATA_DIR, else ~/.flotilla.
import * as os from 'node:os';
import * as path from 'node:path';
import type { ParsedArgs } from './args';
import { flagString } from './args';

export function dataDirFrom(args: ParsedArgs): string {
  return path.resolve(flagString(args, 'data-dir') ?? process.env.FLOTILLA_DATA_DIR ?? path.join(os.homedir(), '.flotilla'));
}
