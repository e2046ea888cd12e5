// The search box's and the command palette's matching (renderer/src/lib/search.ts, fuzzy.ts).
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import { imagesOf, matches, parseQuery, searchFields, textMatches } from '../../../renderer/src/lib/search';
import { fuzzyRank, fuzzyScore } from '../../../renderer/src/lib/fuzzy';

function pod(name: string, labels: Record<string, string>, images: string[]): KObject {
  const o: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels } };
  return { ...o, spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } };
}

const web = pod('web-7d9c-abcde', { app: 'Web', tier: 'frontend' }, ['docker.io/flotilla/hello:1']);
const db = pod('postgres-0', { app: 'db' }, ['docker.io/library/postgres:16']);

describe('parseQuery', () => {
  it('splits on whitespace, lower-cases, and reads key=value terms', () => {
    expect(parseQuery('  Web  app=Front ')).toEqual([{ text: 'web' }, { key: 'app', text: 'front' }]);
    expect(parseQuery('')).toEqual([]);
    expect(parseQuery('   ')).toEqual([]);
  });
  it('treats a leading "=" as text and drops an empty term', () => {
    expect(parseQuery('=abc =')).toEqual([{ text: 'abc' }]);
  });
  it('keeps `key=` as "has the label key"', () => {
    expect(parseQuery('tier=')).toEqual([{ key: 'tier', text: '' }]);
  });
});

describe('matches', () => {
  const find = (q: string) => [web, db].filter((o) => matches(o, parseQuery(q))).map((o) => o.metadata?.name);

  it('finds by a substring of the name, case-insensitive', () => {
    expect(find('WEB-7D')).toEqual(['web-7d9c-abcde']);
    expect(find('gres')).toEqual(['postgres-0']);
  });
  it('finds by label key=value (value a substring, key exact) and by a label key alone', () => {
    expect(find('app=web')).toEqual(['web-7d9c-abcde']);
    expect(find('app=d')).toEqual(['postgres-0']);
    expect(find('ap=web')).toEqual([]);
    expect(find('tier')).toEqual(['web-7d9c-abcde']);
    expect(find('tier=')).toEqual(['web-7d9c-abcde']);
  });
  it('finds by image', () => {
    expect(find('library/postgres')).toEqual(['postgres-0']);
    expect(find('flotilla/hello:1')).toEqual(['web-7d9c-abcde']);
  });
  it('needs every term to match', () => {
    expect(find('web frontend')).toEqual(['web-7d9c-abcde']);
    expect(find('web postgres')).toEqual([]);
  });
  it('matches everything with no terms, and nothing for text nowhere', () => {
    expect(find('')).toEqual(['web-7d9c-abcde', 'postgres-0']);
    expect(find('nginx')).toEqual([]);
  });
  it('reads images of workloads from the pod template and caches fields per object', () => {
    const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, spec: { template: { spec: { containers: [{ name: 'a', image: 'Repo/API:2' }] } } } } as KObject;
    expect(imagesOf(deploy)).toEqual(['Repo/API:2']);
    expect(matches(deploy, parseQuery('repo/api'))).toBe(true);
    expect(searchFields(deploy)).toBe(searchFields(deploy));
  });
});

describe('textMatches', () => {
  it('matches plain text terms and never label terms', () => {
    expect(textMatches('web-1\nBackOff\nBack-off restarting', parseQuery('backoff web'))).toBe(true);
    expect(textMatches('web-1', parseQuery('app=web'))).toBe(false);
    expect(textMatches('anything', [])).toBe(true);
  });
});

describe('fuzzy', () => {
  it('matches characters in order, not necessarily adjacent; refuses others', () => {
    expect(fuzzyScore('dpw', 'Deployment web')).toBeDefined();
    expect(fuzzyScore('wpd', 'Deployment web')).toBeUndefined();
    expect(fuzzyScore('', 'anything')).toBe(0);
  });
  it('ranks a direct substring above a scattered match, and a word start above the middle', () => {
    const items = ['Pod wxeb-1', 'Pod web-1', 'Pod cobweb'];
    expect(fuzzyRank(items, 'web', (s) => s, 10)).toEqual(['Pod web-1', 'Pod cobweb', 'Pod wxeb-1']);
  });
  it('keeps the given order among equals and stops at the limit', () => {
    expect(fuzzyRank(['a1', 'a2', 'a3'], '', (s) => s, 2)).toEqual(['a1', 'a2']);
  });
  it('is case-insensitive and ignores spaces in the query', () => {
    expect(fuzzyRank(['Add node…', 'Go to Events'], 'ADD N', (s) => s, 5)).toEqual(['Add node…']);
  });
});
