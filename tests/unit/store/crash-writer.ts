// Child process for crash.test.ts: writes to the store at argv[2] as fast as it can, keeping many
// writes in flight (so group commit batches them), and prints "<revision> <key>" for every
// acknowledged write. stdout to a pipe is synchronous on Linux: a printed line was acknowledged.
// Runs until killed.
import { openStore } from '../../../main/store/sqlite-store';

const path = process.argv[2];
if (!path) throw new Error('usage: crash-writer.ts DB_PATH');
const store = openStore({ path, autoCompactMs: 0 });
const inFlight = 32;
let next = 0;

function writeOne(): void {
  const i = next++;
  // Mostly creates of fresh keys, plus updates of a few hot keys.
  const hot = i % 5 === 0 ? `/hot/${i % 3}` : undefined;
  const write = hot && store.get(hot) ? store.update(hot, `{"i":${i}}`) : store.create(hot ?? `/k/${i}`, `{"i":${i}}`);
  write.then(
    (kv) => {
      process.stdout.write(`${kv.modRevision} ${kv.key}\n`);
      writeOne();
    },
    (err: unknown) => {
      // A hot key created twice in one batch: AlreadyExists is expected; anything else is fatal.
      if (err instanceof Error && 'code' in err && err.code === 'AlreadyExists') return writeOne();
      process.stderr.write(`write failed: ${String(err)}\n`);
      process.exit(1);
    },
  );
}

for (let k = 0; k < inFlight; k++) writeOne();
