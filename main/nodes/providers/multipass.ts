// placeholder, replaced below
import type { MachineProvider } from '../../api/types';
import type { Availability, CreateSpec, MachineInfo, ProgressFn, Provider } from '../types';

export class MultipassProvider implements Provider {
  readonly name: MachineProvider = 'multipass';
  constructor(readonly opts: { dataDir: string; multipass?: string }) {}
  async available(): Promise<Availability> { return { ok: false, reason: 'not yet' }; }
  async create(_s: CreateSpec, _p: ProgressFn): Promise<MachineInfo> { throw new Error('no'); }
  async start(_n: string): Promise<MachineInfo> { throw new Error('no'); }
  async stop(_n: string): Promise<void> { /* */ }
  async delete(_n: string): Promise<void> { /* */ }
  async list(): Promise<MachineInfo[]> { return []; }
}
