// Controller expectations (client-go's ControllerExpectations): after a controller creates or
// deletes pods it waits until the informer has seen them before acting on the same owner again,
// so a lagging cache never causes double creates. Expectations expire after a timeout.

const TTL_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  at: number;
}

export class Expectations {
  private readonly m = new Map<string, Expectation>();

  expect(key: string, add: number, del: number): void {
    this.m.set(key, { add, del, at: Date.now() });
  }

  raise(key: string, add: number, del: number): void {
    const e = this.m.get(key);
    if (!e) return this.expect(key, add, del);
    e.add += add;
    e.del += del;
  }

  observedAdd(key: string): void {
    const e = this.m.get(key);
    if (e) e.add--;
  }

  observedDel(key: string): void {
    const e = this.m.get(key);
    if (e) e.del--;
  }

  satisfied(key: string): boolean {
    const e = this.m.get(key);
    if (!e) return true;
    return (e.add <= 0 && e.del <= 0) || Date.now() - e.at > TTL_MS;
  }

  delete(key: string): void {
    this.m.delete(key);
  }
}
