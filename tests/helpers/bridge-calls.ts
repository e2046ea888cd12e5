// Typed calls on a bridge session in tests: `call` gives the BridgeResult, `ok` the value or throws
// with the call's name and the server's message. The session is read when a call is made (tests
// create it in a hook).
import type { BridgeResult, CallName, CallReq, CallRes } from '../../main/bridge/contract';
import type { BridgeSession } from '../../main/bridge/handlers';

export function bridgeCalls(session: () => BridgeSession) {
  const call = <K extends CallName>(name: K, req: CallReq<K>): Promise<BridgeResult<CallRes<K>>> =>
    session().call(name, req) as Promise<BridgeResult<CallRes<K>>>;
  const ok = async <K extends CallName>(name: K, req: CallReq<K>): Promise<CallRes<K>> => {
    const r = await call(name, req);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value;
  };
  return { call, ok };
}
