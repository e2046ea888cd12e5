import { describe, expect, it } from 'vitest';
import { appNameOf, contextProblem, defaultImageName, displayName, otherNames, podsText } from '../../../renderer/src/lib/images';

describe('the Images view helpers', () => {
  it('names an image by its first tag as Docker prints it, the rest for the tooltip', () => {
    expect(displayName(['docker.io/library/nginx:1.27', 'docker.io/library/nginx@sha256:ab'])).toBe('nginx:1.27');
    expect(displayName(['docker.io/flotilla/hello:1', 'localhost:5000/flotilla/hello:1'])).toBe('flotilla/hello:1');
    expect(displayName(['localhost:5000/web@sha256:cd'])).toBe('localhost:5000/web@sha256:cd');
    expect(displayName([], 'sha256:ef')).toBe('sha256:ef');
    expect(otherNames(['docker.io/flotilla/hello:1', 'localhost:5000/flotilla/hello:1'], 'flotilla/hello:1')).toEqual(['localhost:5000/flotilla/hello:1']);
  });

  it('lists the pods using an image, namespaces beyond default shown, the rest counted', () => {
    expect(podsText([])).toBe('');
    expect(podsText([{ namespace: 'default', name: 'a' }, { namespace: 'team', name: 'b' }])).toBe('a, team/b');
    expect(podsText([{ namespace: 'default', name: 'a' }, { namespace: 'default', name: 'b' }, { namespace: 'default', name: 'c' }])).toBe('a, b and 1 more');
  });

  it('refuses a build folder without a Dockerfile at its top or over the limit', () => {
    expect(contextProblem([], 100)).toBe('The folder is empty: choose the folder that holds your Dockerfile.');
    expect(contextProblem([{ path: 'app/Dockerfile', size: 1 }], 100)).toBe('There is no Dockerfile at the top of this folder: choose the folder that holds it.');
    expect(contextProblem([{ path: 'Dockerfile', size: 1 }, { path: 'big', size: 3 * 1024 * 1024 }], 2 * 1024 * 1024))
      .toBe('The folder holds 3.0 MiB, more than the 2.0 MiB a build from the UI takes: run `flotilla images build DIR` instead.');
    expect(contextProblem([{ path: 'Containerfile', size: 1 }], 100)).toBeUndefined();
  });

  it('suggests image and app names from a folder and an image', () => {
    expect(defaultImageName('My Web_App')).toBe('my-web_app:latest');
    expect(defaultImageName('...')).toBe('image:latest');
    expect(appNameOf('localhost:5000/team/hello-web:1')).toBe('hello-web');
  });
});
