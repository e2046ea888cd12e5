// Go's net/url parsing (url.Parse, url.ParseRequestURI) and the parts Kubernetes reads of a URL — Hostname, Port,
// EscapedPath, Query, String — as Go 1.23 has them, for what Kubernetes validates with Go's parser (CEL's url()
// and isURL, the uri format). The WHATWG URL parser of JavaScript accepts and rewrites differently (it lower-cases
// hosts, resolves dot segments, percent-encodes on its own), so it cannot stand in. Pure.

export interface GoURL {
  scheme: string;
  opaque: string;
  /** The userinfo, decoded, or undefined when there is none. */
  user?: { username: string; password?: string };
  host: string;
  path: string;
  /** The encoded path as written, when it differs from the default encoding of `path`. */
  rawPath: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
  rawFragment: string;
}

type Mode = 'path' | 'host' | 'zone' | 'userPassword' | 'queryComponent' | 'fragment';

const isAlnum = (c: string) => /^[A-Za-z0-9]$/.test(c);

/** url.shouldEscape for one ASCII character. */
function shouldEscape(c: string, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  if ((mode === 'host' || mode === 'zone') && '!$&\'()*+,;=:[]<>"'.includes(c)) return false;
  if ('-_.~'.includes(c)) return false;
  if ('$&+,/:;=?@'.includes(c)) {
    switch (mode) {
      case 'path': return c === '?';
      case 'userPassword': return c === '@' || c === '/' || c === '?' || c === ':';
      case 'queryComponent': return true;
      case 'fragment': return false;
      default: return false;
    }
  }
  if (mode === 'fragment' && '!()*'.includes(c)) return false;
  return true;
}

const HEX = '0123456789ABCDEF';
const unhex = (c: string): number => parseInt(c, 16);
const isHex = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** url.unescape: the decoded text, or Go's error text. Works on UTF-8 bytes, as Go's strings are. */
function unescape(s: string, mode: Mode): string | { error: string } {
  const bytes = utf8.encode(s);
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    const c = String.fromCharCode(b);
    if (c === '%') {
      const h1 = String.fromCharCode(bytes[i + 1] ?? 0);
      const h2 = String.fromCharCode(bytes[i + 2] ?? 0);
      if (i + 2 >= bytes.length || !isHex(h1) || !isHex(h2)) {
        const bad = String.fromCharCode(...bytes.subarray(i, Math.min(i + 3, bytes.length)));
        return { error: `invalid URL escape ${JSON.stringify(bad)}` };
      }
      if (mode === 'host' && unhex(h1) < 8 && `%${h1}${h2}` !== '%25') return { error: `invalid URL escape ${JSON.stringify(`%${h1}${h2}`)}` };
      out.push(unhex(h1) * 16 + unhex(h2));
      i += 2;
    } else if (c === '+') {
      out.push(mode === 'queryComponent' ? 0x20 : b);
    } else {
      if ((mode === 'host' || mode === 'zone') && b < 0x80 && shouldEscape(c, mode)) return { error: `invalid character ${JSON.stringify(c)} in host name` };
      out.push(b);
    }
  }
  return fromUtf8.decode(Uint8Array.from(out));
}

/** url.escape. */
function escape(s: string, mode: Mode): string {
  let out = '';
  for (const b of utf8.encode(s)) {
    const c = String.fromCharCode(b);
    if (b >= 0x80 || shouldEscape(c, mode)) {
      out += c === ' ' && mode === 'queryComponent' ? '+' : `%${HEX[b >> 4]}${HEX[b & 15]}`;
    } else {
      out += c;
    }
  }
  return out;
}

/** url.getScheme. */
function getScheme(raw: string): { scheme: string; rest: string } | { error: string } {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return { scheme: '', rest: raw };
      continue;
    }
    if (c === ':') {
      if (i === 0) return { error: 'missing protocol scheme' };
      return { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    }
    return { scheme: '', rest: raw };
  }
  return { scheme: '', rest: raw };
}

/** url.validOptionalPort. */
const validOptionalPort = (port: string) => port === '' || /^:[0-9]*$/.test(port);

/** url.parseHost. */
function parseHost(host: string): string | { error: string } {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) return { error: "missing ']' in host" };
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) return { error: `invalid port ${JSON.stringify(colonPort)} after host` };
    const zone = host.slice(0, i).indexOf('%25');
    if (zone >= 0) {
      const h1 = unescape(host.slice(0, zone), 'host');
      if (typeof h1 !== 'string') return h1;
      const h2 = unescape(host.slice(zone, i), 'zone');
      if (typeof h2 !== 'string') return h2;
      const h3 = unescape(host.slice(i), 'host');
      if (typeof h3 !== 'string') return h3;
      return h1 + h2 + h3;
    }
  } else {
    const i = host.lastIndexOf(':');
    if (i >= 0) {
      const colonPort = host.slice(i);
      if (!validOptionalPort(colonPort)) return { error: `invalid port ${JSON.stringify(colonPort)} after host` };
    }
  }
  return unescape(host, 'host');
}

/** url.validUserinfo. */
const validUserinfo = (s: string) => /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(s);

function parse(raw: string, viaRequest: boolean): GoURL | { error: string } {
  if (/[\x00-\x1f\x7f]/.test(raw)) return { error: 'net/url: invalid control character in URL' };
  if (raw === '' && viaRequest) return { error: 'empty url' };
  const url: GoURL = { scheme: '', opaque: '', host: '', path: '', rawPath: '', omitHost: false, forceQuery: false, rawQuery: '', fragment: '', rawFragment: '' };
  if (raw === '*') return { ...url, path: '*' };
  const sch = getScheme(raw);
  if ('error' in sch) return sch;
  url.scheme = sch.scheme.toLowerCase();
  let rest = sch.rest;
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    url.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      url.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (url.scheme !== '') return { ...url, opaque: rest };
    if (viaRequest) return { error: 'invalid URI for request' };
    if (rest.split('/')[0].includes(':')) return { error: 'first path segment in URL cannot contain colon' };
  }
  if ((url.scheme !== '' || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    const at = authority.lastIndexOf('@');
    const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
    if (typeof host !== 'string') return host;
    url.host = host;
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      if (!validUserinfo(userinfo)) return { error: 'net/url: invalid userinfo' };
      const colon = userinfo.indexOf(':');
      const username = unescape(colon < 0 ? userinfo : userinfo.slice(0, colon), 'userPassword');
      if (typeof username !== 'string') return username;
      const password = colon < 0 ? undefined : unescape(userinfo.slice(colon + 1), 'userPassword');
      if (typeof password === 'object') return password;
      url.user = { username, password };
    }
  } else if (url.scheme !== '' && rest.startsWith('/')) {
    url.omitHost = true;
  }
  const path = unescape(rest, 'path');
  if (typeof path !== 'string') return path;
  url.path = path;
  url.rawPath = escape(path, 'path') === rest ? '' : rest;
  return url;
}

function withError<T>(op: string, raw: string, r: T | { error: string }): T | { error: string } {
  return typeof r === 'object' && r !== null && 'error' in r ? { error: `${op} ${JSON.stringify(raw)}: ${r.error}` } : r;
}

/** url.ParseRequestURI: an absolute URI or an absolute path; no fragment. */
export function parseRequestURI(raw: string): GoURL | { error: string } {
  return withError('parse', raw, parse(raw, true));
}

/** url.Parse: any URL reference, with its fragment. */
export function parseURL(raw: string): GoURL | { error: string } {
  const hash = raw.indexOf('#');
  const u = withError('parse', raw, parse(hash < 0 ? raw : raw.slice(0, hash), false));
  if ('error' in u || hash < 0) return u;
  const frag = raw.slice(hash + 1);
  const fragment = unescape(frag, 'fragment');
  if (typeof fragment !== 'string') return { error: `parse ${JSON.stringify(raw)}: ${fragment.error}` };
  return { ...u, fragment, rawFragment: escape(fragment, 'fragment') === frag ? '' : frag };
}

/** url.validEncoded for paths. */
function validEncodedPath(s: string): boolean {
  for (const c of s) {
    if ('!$&\'()*+,;=:@[]%'.includes(c)) continue;
    if (c.charCodeAt(0) >= 0x80 || shouldEscape(c, 'path')) return false;
  }
  return true;
}

/** URL.EscapedPath. */
export function escapedPath(u: GoURL): string {
  if (u.rawPath !== '' && validEncodedPath(u.rawPath) && unescape(u.rawPath, 'path') === u.path) return u.rawPath;
  if (u.path === '*') return '*';
  return escape(u.path, 'path');
}

/** URL.Hostname and URL.Port (splitHostPort). */
export function hostPort(u: GoURL): { hostname: string; port: string } {
  let hostname = u.host;
  let port = '';
  const colon = hostname.lastIndexOf(':');
  if (colon >= 0 && validOptionalPort(hostname.slice(colon))) {
    port = hostname.slice(colon + 1);
    hostname = hostname.slice(0, colon);
  }
  if (hostname.startsWith('[') && hostname.endsWith(']')) hostname = hostname.slice(1, -1);
  return { hostname, port };
}

/** URL.Query: url.ParseQuery, keeping the pairs that parse (a pair with a ';' or a bad escape is left out). */
export function query(u: GoURL): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of u.rawQuery === '' ? [] : u.rawQuery.split('&')) {
    if (pair.includes(';') || pair === '') continue;
    const eq = pair.indexOf('=');
    const key = unescape(eq < 0 ? pair : pair.slice(0, eq), 'queryComponent');
    const value = unescape(eq < 0 ? '' : pair.slice(eq + 1), 'queryComponent');
    if (typeof key !== 'string' || typeof value !== 'string') continue;
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

/** URL.String. */
export function urlString(u: GoURL): string {
  let out = u.scheme ? `${u.scheme}:` : '';
  if (u.opaque !== '') {
    out += u.opaque;
  } else {
    if (u.scheme !== '' || u.host !== '' || u.user !== undefined) {
      if (!(u.omitHost && u.host === '' && u.user === undefined)) {
        if (u.host !== '' || u.path !== '' || u.user !== undefined) out += '//';
        if (u.user !== undefined) {
          out += escape(u.user.username, 'userPassword');
          if (u.user.password !== undefined) out += `:${escape(u.user.password, 'userPassword')}`;
          out += '@';
        }
        if (u.host !== '') out += escape(u.host, 'host');
      }
    }
    const path = escapedPath(u);
    if (path !== '' && path[0] !== '/' && u.host !== '') out += '/';
    if (out === '' && path.split('/')[0].includes(':')) out += './';
    out += path;
  }
  if (u.forceQuery || u.rawQuery !== '') out += `?${u.rawQuery}`;
  if (u.fragment !== '') out += `#${u.rawFragment !== '' ? u.rawFragment : escape(u.fragment, 'fragment')}`;
  return out;
}
