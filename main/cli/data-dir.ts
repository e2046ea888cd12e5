// Where a Flotilla cluster keeps its state: --data-dir, else $FLOTILLA_DATA_DIR, else ~/.flotilla.
import * as os from 'node:os';
import * as path from 'node:path';
import { stringFlag } from './define';

export function defaultDataDir(): string {
  return path.resolve(process.env.FLOTILLA_DATA_DIR ?? path.join(os.homedir(), '.flotilla'));
}

export const dataDirFlag = stringFlag('--data-dir <dir>', 'where the cluster keeps its state (D/kubeconfig, D/state.db, ...)', defaultDataDir(), '$FLOTILLA_DATA_DIR, else ~/.flotilla', (raw) => path.resolve(raw));
