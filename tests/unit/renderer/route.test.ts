// The URL hash ⇄ nav state mapping (renderer/src/lib/route.ts) and the keyboard shortcuts' keys.
import { describe, expect, it } from 'vitest';
import { fromHash, parseRefPath, toHash } from '../../../renderer/src/lib/route';
import type { RouteState } from '../../../renderer/src/lib/route';
import { isTypingTarget, shortcutFor } from '../../../renderer/src/lib/shortcuts';

type V = 'map' | 'workloads' | 'events' | 'browser';
const isView = (v: string): v is V => ['map', 'workloads', 'events', 'browser'].includes(v);
const roundTrip = (s: RouteState<V>) => fromHash(toHash(s), isView, 'map');

describe('toHash / fromHash', () => {
  it('writes only what says something', () => {
    expect(toHash<V>({ view: 'map', detail: undefined, namespaces: [], query: '' })).toBe('#/map');
    expect(toHash<V>({ view: 'events', detail: undefined, namespaces: ['default', 'kube-system'], query: 'app=web x' })).toBe(
      '#/events?ns=default,kube-system&q=app%3Dweb%20x',
    );
  });
  it('round-trips views, pods, nodes, namespaced and cluster-scoped objects of any group', () => {
    const states: Array<RouteState<V>> = [
      { view: 'map', detail: { type: 'pod', namespace: 'default', name: 'web-1' }, namespaces: ['default'], query: 'web' },
      { view: 'workloads', detail: { type: 'node', name: 'node-1' }, namespaces: [], query: '' },
      { view: 'browser', detail: { type: 'object', group: 'apps', version: 'v1', resource: 'deployments', namespace: 'a b', name: 'web' }, namespaces: [], query: '' },
      {
        view: 'browser', detail: { type: 'object', group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', name: 'system:x' },
        namespaces: [], query: '',
      },
      { view: 'browser', detail: { type: 'object', group: '', version: 'v1', resource: 'services', namespace: 'default', name: 'web' }, namespaces: [], query: '' },
      { view: 'map', detail: undefined, namespaces: [], query: 'a&b=c #?%' },
    ];
    for (const s of states) {
      const back = roundTrip(s);
      expect({ ...back, namespaces: back.namespaces ?? [] }).toEqual(s);
    }
  });
  it('falls back to the given view for an unknown or empty one, and ignores broken parameters', () => {
    expect(fromHash('#/nowhere?q=%E0%A4%A', isView, 'map')).toEqual({ view: 'map', detail: undefined, query: '' });
    expect(fromHash('', isView, 'map')).toEqual({ view: 'map', detail: undefined, query: '' });
    expect(fromHash('#/events?open=v1/pods&zzz', isView, 'map')).toEqual({ view: 'events', detail: undefined, query: '' });
  });
  it('says nothing about namespaces unless the hash does ("" is all)', () => {
    expect(fromHash('#/map', isView, 'map').namespaces).toBeUndefined();
    expect(fromHash('#/map?ns=', isView, 'map').namespaces).toEqual([]);
    expect(fromHash('#/map?ns=a,b', isView, 'map').namespaces).toEqual(['a', 'b']);
  });
  it('reads a pod and a node as their own detail types, anything else as an object', () => {
    expect(parseRefPath('v1/pods/default/web')).toEqual({ type: 'pod', namespace: 'default', name: 'web' });
    expect(parseRefPath('v1/nodes/n1')).toEqual({ type: 'node', name: 'n1' });
    expect(parseRefPath('v1/pods/web')).toEqual({ type: 'object', group: '', version: 'v1', resource: 'pods', name: 'web' });
    expect(parseRefPath('example.com/v1beta2/widgets/ns/w')).toEqual({ type: 'object', group: 'example.com', version: 'v1beta2', resource: 'widgets', namespace: 'ns', name: 'w' });
    expect(parseRefPath('apps/deployments/ns/w')).toBeUndefined();
    expect(parseRefPath('v1/pods/a/b/c')).toBeUndefined();
    expect(parseRefPath('v1//x')).toBeUndefined();
  });
});

describe('shortcuts', () => {
  type Mods = Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }>;
  const key = (k: string, mods: Mods = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });
  it('opens the palette with Ctrl+K or Cmd+K even while typing', () => {
    expect(shortcutFor(key('k', { ctrlKey: true }), true)).toEqual({ id: 'palette' });
    expect(shortcutFor(key('K', { metaKey: true }), false)).toEqual({ id: 'palette' });
    expect(shortcutFor(key('k', { ctrlKey: true, altKey: true }), false)).toBeUndefined();
  });
  it('takes single keys only outside text fields', () => {
    expect(shortcutFor(key('/'), false)).toEqual({ id: 'search' });
    expect(shortcutFor(key('?'), false)).toEqual({ id: 'help' });
    expect(shortcutFor(key('2'), false)).toEqual({ id: 'view', index: 1 });
    expect(shortcutFor(key('0'), false)).toBeUndefined();
    expect(shortcutFor(key('/'), true)).toBeUndefined();
    expect(shortcutFor(key('1', { ctrlKey: true }), false)).toBeUndefined();
  });
  it('knows which elements take text', () => {
    const el = (tagName: string, attrs: Record<string, string> = {}) => ({ tagName, getAttribute: (n: string) => attrs[n] ?? null });
    expect(isTypingTarget(el('INPUT'))).toBe(true);
    expect(isTypingTarget(el('INPUT', { type: 'search' }))).toBe(true);
    expect(isTypingTarget(el('INPUT', { type: 'checkbox' }))).toBe(false);
    expect(isTypingTarget(el('TEXTAREA'))).toBe(true);
    expect(isTypingTarget(el('BUTTON'))).toBe(false);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget(null)).toBe(false);
  });
});
