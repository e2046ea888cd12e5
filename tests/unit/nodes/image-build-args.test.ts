// What `flotilla images build` pushes to (Docker's reference rules) and its plain errors for bad input,
// before buildah is ever started.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRegistry, defaultName, formatRef, parseTarget } from '../../../main/nodes/image-ref';
import { buildImage, buildahContext, resolveDockerfile } from '../../../main/nodes/image-build';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-image-build-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the image a build is pushed as', () => {
  it.each([
    ['web', 'localhost:5000', 'localhost:5000/web:latest'],
    ['web:1', 'localhost:5000', 'localhost:5000/web:1'],
    ['team/web:v1.2-rc_3', '10.251.3.1:5123', '10.251.3.1:5123/team/web:v1.2-rc_3'],
    ['registry.example.com/web:2', 'localhost:5000', 'registry.example.com/web:2'],
    ['localhost/web', 'localhost:5000', 'localhost/web:latest'],
    ['my-reg:5001/a/b:c', 'localhost:5000', 'my-reg:5001/a/b:c'],
  ])('%s with registry %s → %s', (name, registry, want) => {
    expect(formatRef(parseTarget(name, registry))).toBe(want);
  });

  it.each([
    ['Web:1', 'invalid reference format: "Web:1": repository name must be lowercase'],
    ['web:', 'invalid reference format: "web:": invalid tag ""'],
    ['web:-x', 'invalid reference format: "web:-x": invalid tag "-x"'],
    ['we b', 'invalid reference format: "we b"'],
    ['web@sha256:abc', 'invalid reference format: "web@sha256:abc": a build is tagged, not pinned to a digest'],
    ['localhost:5000/', 'invalid reference format: "localhost:5000/": no repository name'],
  ])('%s is refused: %s', (name, message) => {
    expect(() => parseTarget(name)).toThrow(message);
  });

  it('a registry is HOST or HOST:PORT', () => {
    expect(checkRegistry('localhost:5000')).toBe('localhost:5000');
    expect(() => checkRegistry('http://localhost:5000')).toThrow('invalid registry address "http://localhost:5000": it must be HOST or HOST:PORT');
    expect(() => parseTarget('web', 'a/b')).toThrow('invalid registry address "a/b"');
  });

  it('without -t: the folder\'s name made a repository name, tagged latest', () => {
    expect(defaultName('/src/My App')).toBe('my-app:latest');
    expect(defaultName('/src/web_2')).toBe('web_2:latest');
    expect(defaultName('/src/---')).toBe('image:latest');
  });
});

describe('a build\'s input', () => {
  it('the context must be a folder with a Dockerfile (or Containerfile), or -f names one', () => {
    const ctx = path.join(dir, 'ctx');
    fs.mkdirSync(ctx);
    expect(() => resolveDockerfile(path.join(dir, 'missing'))).toThrow(`build context ${path.join(dir, 'missing')} does not exist`);
    fs.writeFileSync(path.join(dir, 'file'), '');
    expect(() => resolveDockerfile(path.join(dir, 'file'))).toThrow(`build context ${path.join(dir, 'file')} is not a directory`);
    expect(() => resolveDockerfile(ctx)).toThrow(`no Dockerfile in ${ctx} (nor a Containerfile); name one with -f`);
    fs.writeFileSync(path.join(ctx, 'Containerfile'), 'FROM scratch\n');
    expect(resolveDockerfile(ctx)).toBe(path.join(ctx, 'Containerfile'));
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM scratch\n');
    expect(resolveDockerfile(ctx)).toBe(path.join(ctx, 'Dockerfile'));
    expect(() => resolveDockerfile(ctx, path.join(ctx, 'Other'))).toThrow(`Dockerfile ${path.join(ctx, 'Other')} does not exist`);
  });

  it('a --build-arg must be KEY=VALUE (or KEY, from the environment)', async () => {
    const ctx = fs.mkdtempSync(path.join(dir, 'ctx-'));
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM scratch\n');
    await expect(buildImage({ dir: ctx, dataDir: dir, buildArgs: ['=x'] })).rejects.toThrow('invalid --build-arg "=x": it must be KEY=VALUE');
    await expect(buildImage({ dir: ctx, dataDir: dir, buildArgs: ['A B'] })).rejects.toThrow('invalid --build-arg "A B": it must be KEY=VALUE');
  });

  it('buildah keeps to the data dir, and only the target registry is insecure', () => {
    const ctx = buildahContext(path.join(dir, 'data'), ['localhost:5000', 'localhost:5000']);
    expect(ctx.globalArgs).toEqual(['--root', path.join(dir, 'data/buildah/storage'), '--runroot', path.join(dir, 'data/buildah/run'), '--storage-driver', 'vfs']);
    expect(ctx.env.TMPDIR).toBe(path.join(dir, 'data/buildah/tmp'));
    const conf = fs.readFileSync(ctx.env.CONTAINERS_REGISTRIES_CONF ?? '', 'utf8');
    expect(conf.match(/\[\[registry\]\]/g)).toHaveLength(1);
    expect(conf).toContain('location = "localhost:5000"\ninsecure = true');
    expect(conf).toContain('unqualified-search-registries = ["docker.io"]');
  });
});

describe('without buildah', () => {
  it('says how to get it', async () => {
    const ctx = fs.mkdtempSync(path.join(dir, 'ctx-'));
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM scratch\n');
    const saved = process.env.PATH;
    process.env.PATH = path.join(dir, 'empty-bin');
    try {
      await expect(buildImage({ dir: ctx, dataDir: dir })).rejects.toThrow('buildah is not installed: install it with `apt-get install buildah` (Debian/Ubuntu)');
    } finally {
      process.env.PATH = saved;
    }
  });
});
