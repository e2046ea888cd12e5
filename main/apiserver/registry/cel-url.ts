// Kubernetes' CEL URL library (k8s.io/apiserver/pkg/cel/library/urls.go): isURL, url(), and a URL's getScheme,
// getHost, getHostname, getPort, getEscapedPath and getQuery — read with Go's net/url (api/go-url.ts): url() takes
// what url.ParseRequestURI takes (an absolute URI or an absolute path) and keeps what url.Parse reads of it.
// `==` compares the URLs' String(), as apiserver's URL.Equal.
import { CelScalar, celFunc, celMethod, listType, mapType } from '@bufbuild/cel';
import { escapedPath, hostPort, parseRequestURI, parseURL, query, urlString, type GoURL } from '../../api/go-url';
import { CelOpaque } from './cel-types';

const { STRING, BOOL } = CelScalar;

export const URL_TYPE = new CelOpaque<{ text: string }, GoURL>('kubernetes', 'URL', { text: 'string' });

function toURL(s: string) {
  const request = parseRequestURI(s);
  const u = 'error' in request ? request : parseURL(s);
  if ('error' in u) throw new Error(`URL parse error during conversion from string: ${u.error}`);
  return URL_TYPE.of({ text: urlString(u) }, u);
}

const T = URL_TYPE.type;
const u = (v: unknown) => URL_TYPE.must(v);

export const URL_FUNCS = [
  celFunc('url', [STRING], T, (s) => toURL(s)),
  celFunc('isURL', [STRING], BOOL, (s) => !('error' in parseRequestURI(s))),
  celMethod('getScheme', T, [], STRING, function f() { return u(this).scheme; }),
  celMethod('getHost', T, [], STRING, function f() { return u(this).host; }),
  celMethod('getHostname', T, [], STRING, function f() { return hostPort(u(this)).hostname; }),
  celMethod('getPort', T, [], STRING, function f() { return hostPort(u(this)).port; }),
  celMethod('getEscapedPath', T, [], STRING, function f() { return escapedPath(u(this)); }),
  celMethod('getQuery', T, [], mapType(STRING, listType(STRING)), function f() { return query(u(this)); }),
];
