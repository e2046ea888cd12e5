import { describe, expect, it } from 'vitest';
import { splitInlineCode } from '../../../renderer/src/lib/inline-code';

describe('splitInlineCode', () => {
  it('makes code of backticked parts and leaves the rest, and unpaired backticks, as text', () => {
    expect(splitInlineCode('run `npm run setup` first')).toEqual([
      { text: 'run ', code: false },
      { text: 'npm run setup', code: true },
      { text: ' first', code: false },
    ]);
    expect(splitInlineCode('`a` and `b`')).toEqual([{ text: 'a', code: true }, { text: ' and ', code: false }, { text: 'b', code: true }]);
    expect(splitInlineCode('it`s odd')).toEqual([{ text: 'it`s odd', code: false }]);
    expect(splitInlineCode('')).toEqual([]);
  });
});
