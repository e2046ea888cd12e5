import { describe, expect, it } from 'vitest';
import { formatLabelSelector, formatLabels, selectorString } from '../../../main/apiserver/tables/selector';

describe('label and selector formatting', () => {
  it('formats label maps sorted by key, <none> when empty', () => {
    expect(formatLabels({ tier: 'web', app: 'shop' })).toBe('app=shop,tier=web');
    expect(formatLabels({})).toBe('<none>');
    expect(formatLabels(undefined)).toBe('<none>');
  });

  it('formats selectors with sorted requirements and set values', () => {
    expect(
      selectorString({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['frontend', 'cache'] },
          { key: 'env', operator: 'NotIn', values: ['prod'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'zone', operator: 'Exists' },
        ],
      }),
    ).toBe('app=web,!canary,env notin (prod),tier in (cache,frontend),zone');
  });

  it('distinguishes empty (<none>) from invalid (<error>)', () => {
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector(undefined)).toBe('<none>');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Near' }] })).toBe('<error>');
    expect(formatLabelSelector({ matchLabels: { app: 'not a valid value!' } })).toBe('<error>');
    expect(selectorString({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toBeUndefined();
    expect(selectorString({})).toBe('');
  });
});
