import { afterEach, describe, expect, it, vi } from 'vitest';
import { bookmarkTimers, everyBookmarkPeriod } from '../../../main/apiserver/handlers/bookmark-ticker';

describe('watch bookmarks on one shared timer', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('watches started at different times get their bookmarks in the same turn; the last remover stops the timer', () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    const stopA = everyBookmarkPeriod(60_000, () => sent.push(`a@${Date.now()}`));
    vi.advanceTimersByTime(25_000);
    const stopB = everyBookmarkPeriod(60_000, () => sent.push(`b@${Date.now()}`));
    expect(bookmarkTimers()).toBe(1);
    vi.advanceTimersByTime(35_000);
    const first = Date.now();
    expect(sent).toEqual([`a@${first}`, `b@${first}`]); // b's first one within a period of its start, with a's
    vi.advanceTimersByTime(60_000);
    expect(sent.slice(2)).toEqual([`a@${first + 60_000}`, `b@${first + 60_000}`]);
    stopA();
    stopA(); // twice: harmless
    expect(bookmarkTimers()).toBe(1);
    stopB();
    expect(bookmarkTimers()).toBe(0);
    vi.advanceTimersByTime(120_000);
    expect(sent).toHaveLength(4);
  });
});
