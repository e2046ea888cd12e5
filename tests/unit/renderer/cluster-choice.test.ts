// The window's cluster choice across reloads, and contexts grouped by their kubeconfig file.
// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { CLUSTER_KEY, groupByFile, readClusterChoice, writeClusterChoice } from '../../../renderer/src/lib/cluster-choice';

beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
});

describe('cluster choice', () => {
  it('is this Flotilla until one is chosen; the tab\'s own choice wins over the last one of any window', () => {
    expect(readClusterChoice(sessionStorage, localStorage)).toBe('');
    localStorage.setItem(CLUSTER_KEY, '/k#other-window');
    expect(readClusterChoice(sessionStorage, localStorage)).toBe('/k#other-window');
    writeClusterChoice(sessionStorage, localStorage, '/k#mine');
    localStorage.setItem(CLUSTER_KEY, '/k#later-elsewhere');
    expect(readClusterChoice(sessionStorage, localStorage)).toBe('/k#mine');
    writeClusterChoice(sessionStorage, localStorage, '');
    expect(readClusterChoice(sessionStorage, localStorage)).toBe('');
    expect(localStorage.getItem(CLUSTER_KEY)).toBeNull();
  });

  it('groups contexts by file, keeping the order', () => {
    const g = groupByFile([{ file: 'a', n: 1 }, { file: 'b', n: 2 }, { file: 'a', n: 3 }]);
    expect(g).toEqual([{ file: 'a', contexts: [{ file: 'a', n: 1 }, { file: 'a', n: 3 }] }, { file: 'b', contexts: [{ file: 'b', n: 2 }] }]);
  });
});
