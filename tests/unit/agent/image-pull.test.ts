import { describe, expect, it } from 'vitest';
import { formatGoDurationMs } from '../../../main/api/go-duration';
import { parseImageRef, withDefaultTag } from '../../../vm-images/agent/pods/image-ref';
import { credentialsFor, keyMatches, keyringKey, PullSecretError, type PullSecret } from '../../../vm-images/agent/pods/keyring';
import { podPullCredentials } from '../../../vm-images/agent/pods/pull-credentials';
import { oneLine, pullFailureKind, pullWaitingMessage } from '../../../vm-images/agent/pods/pull-errors';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const json = (name: string, auths: Record<string, unknown>): PullSecret => ({
  name, type: 'kubernetes.io/dockerconfigjson', data: new Map([['.dockerconfigjson', Buffer.from(JSON.stringify({ auths }))]]),
});
const users = (image: string, secrets: PullSecret[]): string[] => credentialsFor(image, secrets).map((a) => `${a.username}:${a.password}`);

describe('image references (parsers.ParseImageName)', () => {
  it('normalizes Docker Hub names and keeps other registries', () => {
    expect(parseImageRef('busybox')).toEqual({ repository: 'docker.io/library/busybox', domain: 'docker.io' });
    expect(parseImageRef('team/app:1')).toEqual({ repository: 'docker.io/team/app', domain: 'docker.io', tag: '1' });
    expect(parseImageRef('index.docker.io/library/nginx:1.27').repository).toBe('docker.io/library/nginx');
    expect(parseImageRef('10.251.3.1:5000/flotilla/hello:1')).toEqual({ repository: '10.251.3.1:5000/flotilla/hello', domain: '10.251.3.1:5000', tag: '1' });
    expect(parseImageRef('localhost/app@sha256:abc')).toMatchObject({ repository: 'localhost/app', digest: 'sha256:abc' });
  });
  it('applies :latest only when there is neither tag nor digest', () => {
    expect(withDefaultTag('busybox')).toBe('busybox:latest');
    expect(withDefaultTag('localhost:5000/app')).toBe('localhost:5000/app:latest');
    expect(withDefaultTag('app:1')).toBe('app:1');
    expect(withDefaultTag('app@sha256:abc')).toBe('app@sha256:abc');
  });
  it('refuses malformed references with the reason', () => {
    expect(() => parseImageRef('Busybox')).toThrow('couldn\'t parse image name "Busybox": invalid reference format');
    expect(() => parseImageRef('a//b')).toThrow('invalid reference format');
    expect(() => parseImageRef('')).toThrow('invalid reference format');
  });
});

describe('keyring (pkg/credentialprovider)', () => {
  it('makes keys as the kubelet: scheme dropped, /v1/ and /v2/ the host alone', () => {
    expect(keyringKey('https://index.docker.io/v1/')).toBe('index.docker.io');
    expect(keyringKey('http://reg.example.com:5000/v2/')).toBe('reg.example.com:5000');
    expect(keyringKey('quay.io/coreos')).toBe('quay.io/coreos');
    expect(keyringKey('10.0.0.1:5000')).toBe('10.0.0.1:5000');
  });
  it('matches host globs per label, the port exactly and the path as a prefix', () => {
    expect(keyMatches('*.example.com', 'reg.example.com/app')).toBe(true);
    expect(keyMatches('*.example.com', 'a.reg.example.com/app')).toBe(false);
    expect(keyMatches('reg.example.com', 'reg.example.com:5000/app')).toBe(false);
    expect(keyMatches('reg.example.com:5000', 'reg.example.com:5000/app')).toBe(true);
    expect(keyMatches('quay.io/coreos', 'quay.io/coreos/etcd')).toBe(true);
    expect(keyMatches('quay.io/coreos', 'quay.io/other/etcd')).toBe(false);
  });
  it('tries the most specific key first, across all the pod\'s secrets', () => {
    const s1 = json('one', { 'quay.io': { username: 'host', password: 'p1' } });
    const s2 = json('two', { 'quay.io/coreos': { auth: b64('path:p2') } });
    expect(users('quay.io/coreos/etcd:3', [s1, s2])).toEqual(['path:p2', 'host:p1']);
    expect(users('quay.io/other/x', [s1, s2])).toEqual(['host:p1']);
    expect(users('gcr.io/x', [s1, s2])).toEqual([]);
  });
  it('uses https://index.docker.io/v1/ credentials for Docker Hub images only', () => {
    const hub = json('hub', { 'https://index.docker.io/v1/': { username: 'me', password: 'pw' } });
    expect(users('busybox', [hub])).toEqual(['me:pw']);
    expect(users('docker.io/team/app:1', [hub])).toEqual(['me:pw']);
    expect(users('10.0.0.1:5000/app', [hub])).toEqual([]);
  });
  it('reads kubernetes.io/dockercfg secrets and ignores other types', () => {
    const cfg: PullSecret = { name: 'old', type: 'kubernetes.io/dockercfg', data: new Map([['.dockercfg', Buffer.from(JSON.stringify({ 'reg:5000': { auth: b64('u:p:w') } }))]]) };
    expect(users('reg:5000/app', [cfg])).toEqual(['u:p:w']);
    const opaque: PullSecret = { name: 'o', type: 'Opaque', data: new Map([['.dockerconfigjson', Buffer.from('{"auths":{"reg:5000":{"username":"x"}}}')]]) };
    expect(users('reg:5000/app', [opaque])).toEqual([]);
  });
  it('puts the node\'s own credentials after the pull secrets\'', () => {
    const node = { username: 'node', password: 'n', auth: '', server_address: '', identity_token: '', registry_token: '' };
    const s = json('s', { 'reg:5000': { username: 'pod', password: 'p' } });
    expect(credentialsFor('reg:5000/app', [s], [node]).map((a) => a.username)).toEqual(['pod', 'node']);
  });
  it('fails on an unreadable secret with its name', () => {
    const bad: PullSecret = { name: 'bad', type: 'kubernetes.io/dockerconfigjson', data: new Map([['.dockerconfigjson', Buffer.from('{nope')]]) };
    expect(() => credentialsFor('reg:5000/app', [bad])).toThrow(PullSecretError);
    expect(() => credentialsFor('reg:5000/app', [bad])).toThrow(/secret "bad": \.dockerconfigjson:/);
    expect(() => users('reg:5000/app', [json('x', { 'reg:5000': { auth: b64('nocolon') } })])).toThrow('expected username:password');
  });
});

describe('pull failure messages', () => {
  const notFound = 'rpc error: code = NotFound desc = failed to pull and unpack image "10.0.0.1:5000/nope:1": failed to resolve reference "10.0.0.1:5000/nope:1": 10.0.0.1:5000/nope:1: not found';
  const unauthorized = 'rpc error: code = Unknown desc = failed to pull and unpack image "10.0.0.1:5000/app:1": failed to resolve reference "10.0.0.1:5000/app:1": '
    + 'unexpected status from HEAD request to http://10.0.0.1:5000/v2/app/manifests/1: 401 Unauthorized';
  const refused = 'rpc error: code = Unknown desc = failed to pull and unpack image "10.0.0.1:5001/app:1": failed to resolve reference "10.0.0.1:5001/app:1": '
    + 'failed to do request: Head "http://10.0.0.1:5001/v2/app/manifests/1": dial tcp 10.0.0.1:5001: connect: connection refused';
  it('says which failure it is', () => {
    expect(pullFailureKind(notFound)).toBe('not found');
    expect(pullFailureKind(unauthorized)).toBe('unauthorized');
    expect(pullFailureKind(refused)).toBe('unreachable');
    expect(pullFailureKind('... manifest unknown: manifest unknown')).toBe('not found');
    expect(pullFailureKind('dial tcp: lookup reg.invalid: no such host')).toBe('unreachable');
    expect(pullFailureKind('something else')).toBeUndefined();
  });
  it('keeps containerd\'s text on one line and appends which', () => {
    expect(oneLine('a\n  b\tc\n')).toBe('a b c');
    expect(pullWaitingMessage(unauthorized)).toBe(`${unauthorized} (unauthorized: the registry refused the pull credentials (check imagePullSecrets))`);
    expect(pullWaitingMessage(notFound)).toMatch(/: not found \(not found: the registry has no such image or tag\)$/);
    expect(pullWaitingMessage('odd')).toBe('odd');
  });
});

describe('Go durations in the Pulled event', () => {
  it('prints as time.Duration truncated to milliseconds', () => {
    expect(formatGoDurationMs(0)).toBe('0s');
    expect(formatGoDurationMs(313.9)).toBe('313ms');
    expect(formatGoDurationMs(1594)).toBe('1.594s');
    expect(formatGoDurationMs(1500)).toBe('1.5s');
    expect(formatGoDurationMs(2000)).toBe('2s');
    expect(formatGoDurationMs(125_100)).toBe('2m5.1s');
    expect(formatGoDurationMs(3_600_000)).toBe('1h0m0s');
  });
});

describe('a pod\'s pull credentials', () => {
  const pod = { metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [], imagePullSecrets: [{ name: 'gone' }, { name: 'reg' }] } };
  const reg = json('reg', { 'reg:5000': { username: 'pod', password: 'p' } });

  it('reads the pod\'s secrets from its namespace and warns about the missing ones as the kubelet', async () => {
    const asked: string[] = [];
    const events: string[] = [];
    const creds = await podPullCredentials(
      { pullSecrets: async (ns, name) => { asked.push(`${ns}/${name}`); return name === 'reg' ? reg : undefined; } },
      pod, 'reg:5000/app:1', (type, reason, message) => events.push(`${type} ${reason} ${message}`),
    );
    expect(asked).toEqual(['shop/gone', 'shop/reg']);
    expect(creds.map((a) => a.username)).toEqual(['pod']);
    expect(events).toEqual(['Warning FailedToRetrieveImagePullSecret Unable to retrieve some image pull secrets (gone); attempting to pull the image may not succeed.']);
  });

  it('tries the node\'s own credentials for the registry after the pod\'s', async () => {
    const node = { username: 'node', password: 'n', auth: '', server_address: '', identity_token: '', registry_token: '' };
    const creds = await podPullCredentials({ pullSecrets: async (_ns, name) => (name === 'reg' ? reg : undefined), registryAuth: () => [node] },
      pod, 'reg:5000/app:1', () => undefined);
    expect(creds.map((a) => a.username)).toEqual(['pod', 'node']);
  });
});
