import { describe, expect, it } from 'vitest';
import { compileSelection } from '../../../main/apiserver/registry/selection';
import { deepFreeze } from '../../../main/apiserver/registry/objects';
import type { KObject } from '../../../main/api/types';

const pod = (nodeName: string, phase: string): KObject & { spec: { nodeName: string }; status: { phase: string } } =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels: { app: 'a' } }, spec: { nodeName }, status: { phase } });

describe('compileSelection', () => {
  it('matches field selectors on frozen (shared watch event) objects, each object by its own fields', () => {
    const onNode1 = compileSelection('Pod', undefined, 'spec.nodeName=node-1')!;
    const notRunning = compileSelection('Pod', 'app=a', 'status.phase!=Running')!;
    const a = deepFreeze(pod('node-1', 'Pending'));
    const b = deepFreeze(pod('node-2', 'Running'));
    for (let i = 0; i < 2; i++) {
      expect(onNode1(a)).toBe(true);
      expect(onNode1(b)).toBe(false);
      expect(notRunning(a)).toBe(true);
      expect(notRunning(b)).toBe(false);
    }
  });

  it('reads an object that is not frozen afresh each time: a change to it is seen', () => {
    const onNode1 = compileSelection('Pod', undefined, 'spec.nodeName=node-1')!;
    const p = pod('', 'Pending');
    expect(onNode1(p)).toBe(false);
    p.spec.nodeName = 'node-1';
    expect(onNode1(p)).toBe(true);
  });
});
