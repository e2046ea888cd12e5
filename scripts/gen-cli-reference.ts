// Writes the "Command line" reference of README.md from the command definitions (main/cli/commands.ts).
// Run: npm run gen:cli-reference  (npx tsx scripts/gen-cli-reference.ts)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../main/cli/commands';
import { buildProgram } from '../main/cli/program';
import { commandLineReference, withReference } from '../main/cli/reference';

const README = join(__dirname, '..', 'README.md');
const before = readFileSync(README, 'utf8');
const after = withReference(before, commandLineReference(buildProgram(COMMANDS)));
if (after !== before) writeFileSync(README, after);
console.log(after === before ? 'README.md is up to date' : 'README.md: command line reference rewritten');
