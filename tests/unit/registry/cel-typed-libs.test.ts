// Kubernetes' typed CEL libraries as CRD rules, admission policies and match conditions evaluate them — quantity,
// IP, CIDR, URL, named formats — with cel-go's optional values and sets. The expectations (values and error texts)
// are those of Kubernetes' own library tests (k8s.io/apiserver/pkg/cel/library/*_test.go).
import { describe, expect, it } from 'vitest';
import { isCelError } from '@bufbuild/cel';
import { compile } from '../../../main/apiserver/registry/custom-cel';
import { desugarOptionalSyntax } from '../../../main/apiserver/registry/cel-optional-syntax';

function run(expr: string, self: unknown = null): unknown {
  const p = compile(expr);
  if (p instanceof Error) throw p;
  const out = p({ self: self as never });
  if (isCelError(out)) throw new Error(out.message);
  return out;
}

const truths = (exprs: string[]) => exprs.filter((e) => run(e) !== true);

describe('the quantity library', () => {
  it('compares, adds and converts as resource.Quantity', () => {
    expect(truths([
      'isQuantity("20") && isQuantity("20M") && isQuantity("20Mi") && !isQuantity("20Mo") && !isQuantity("10Mm")',
      'quantity("200M") == quantity("200M")',
      'quantity("200M") == quantity("0.2G") && quantity("0.2G") == quantity("200M")',
      'quantity("2M") == quantity("0.002G") && quantity("2000k") == quantity("2M") && quantity("0.002G") == quantity("2000k")',
      'quantity("200M") != quantity("0.3G")',
      'quantity("50M").isLessThan(quantity("50Mi"))',
      'quantity("50M").isLessThan(quantity("100M"))',
      '!quantity("100M").isLessThan(quantity("50M"))',
      'quantity("50Mi").isGreaterThan(quantity("50M"))',
      'quantity("150Mi").isGreaterThan(quantity("100Mi"))',
      '!quantity("50M").isGreaterThan(quantity("100M"))',
      'quantity("200M").compareTo(quantity("0.2G")) == 0',
      'quantity("50M").compareTo(quantity("50Mi")) == -1',
      'quantity("50Mi").compareTo(quantity("50M")) == 1',
      'quantity("50k").add(quantity("20")) == quantity("50.02k")',
      '!quantity("50k").add(20).isLessThan(quantity("50020"))',
      'quantity("50k").sub(quantity("20")) == quantity("49.98k")',
      'quantity("50k").sub(20) == quantity("49980")',
      'quantity("50k").add(20).sub(quantity("100k")).asInteger() == -49980',
      'quantity("50k").add(20).sub(quantity("100k")).sub(-50000).asInteger() == 20',
      'quantity("50k").asInteger() == 50000',
      '!quantity("9999999999999999999999999999999999999G").isInteger()',
      'quantity("50").isInteger()',
      'quantity("50.703k").asApproximateFloat() == 50703.0',
      '[quantity("9999999999999999999999999999999999999")].all(x, x.add(quantity("1")).compareTo(x.add(quantity("2"))) == -1)',
      'sign(quantity("-1Gi")) == -1 && sign(quantity("0")) == 0 && sign(quantity("100m")) == 1',
      // Go's representation: "1000m" is an int64Amount at scale -3, which AsInt64 does not turn into an integer.
      '!quantity("1000m").isInteger() && quantity("1.5k").isInteger() && quantity("1.5k").asInteger() == 1500',
      // Sums that overflow int64 carry on exactly (as inf.Dec), and are no longer "integers".
      'quantity("9223372036854775807").add(1).compareTo(quantity("9223372036854775808")) == 0',
      '!quantity("9223372036854775807").add(1).sub(1).isInteger()',
      'type(quantity("1")) == kubernetes.Quantity',
    ])).toEqual([]);
  });

  it('fails as Kubernetes does', () => {
    expect(() => run('quantity("10Mo")')).toThrow("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    expect(() => run('quantity("10Mm")')).toThrow("unable to parse quantity's suffix");
    expect(() => run('quantity("9999999999999999999999999999999999999G").asInteger()')).toThrow('cannot convert value to integer');
    expect(() => run('quantity("1").isLessThan(1)')).toThrow();
  });
});

describe('the IP and CIDR libraries', () => {
  it('reads addresses with netip', () => {
    expect(truths([
      'ip("192.168.0.1") == ip("192.168.0.1") && ip("192.168.0.1") != ip("192.168.0.2")',
      'isIP("192.168.0.1") && !isIP("192.168.0.1.0") && isIP("2001:db8::68") && !isIP("2001:db8:::68")',
      'ip.isCanonical("127.0.0.1") && ip.isCanonical("2001:db8::68") && !ip.isCanonical("2001:DB8::68") && !ip.isCanonical("2001:db8:0:0::68")',
      'ip("192.168.0.1").family() == 4 && ip("2001:db8::68").family() == 6',
      'ip("0.0.0.0").isUnspecified() && !ip("127.0.0.1").isUnspecified() && ip("::").isUnspecified() && !ip("::1").isUnspecified()',
      'ip("127.0.0.1").isLoopback() && !ip("1.2.3.4").isLoopback() && ip("::1").isLoopback() && !ip("2001:db8::abcd").isLoopback()',
      'ip("224.0.0.1").isLinkLocalMulticast() && !ip("224.0.1.1").isLinkLocalMulticast() && ip("ff02::1").isLinkLocalMulticast() && !ip("fd00::1").isLinkLocalMulticast()',
      'ip("169.254.169.254").isLinkLocalUnicast() && !ip("192.168.0.1").isLinkLocalUnicast() && ip("fe80::1").isLinkLocalUnicast() && !ip("fd80::1").isLinkLocalUnicast()',
      'ip("192.168.0.1").isGlobalUnicast() && !ip("255.255.255.255").isGlobalUnicast() && ip("2001:db8::abcd").isGlobalUnicast() && !ip("ff00::1").isGlobalUnicast()',
      'string(ip("192.168.0.1")) == "192.168.0.1" && string(ip("2001:0db8:0:0:1:0:0:1")) == "2001:db8::1:0:0:1" && string(ip("1:0:0:1:0:0:0:0")) == "1:0:0:1::" && string(ip("1:0:0:1:0:0:1:1")) == "1::1:0:0:1:1" && string(ip("1:0:1:0:1:0:1:0")) == "1:0:1:0:1:0:1:0"',
      'type(ip("192.168.0.1")) == net.IP',
      '!isIP("::ffff:1.2.3.4") && !isIP("fe80::1%eth0") && !isIP("01.2.3.4")',
    ])).toEqual([]);
    expect(() => run('ip("192.168.0.1.0")')).toThrow('IP Address "192.168.0.1.0" parse error during conversion from string: ParseAddr("192.168.0.1.0"): IPv4 address too long');
    expect(() => run('ip.isCanonical("2001:db8:::68")'))
      .toThrow('IP Address "2001:db8:::68" parse error during conversion from string: ParseAddr("2001:db8:::68"): each colon-separated field must have at least one digit (at ":68")');
    expect(() => run('ip("::ffff:1.2.3.4")')).toThrow('IPv4-mapped IPv6 address "::ffff:1.2.3.4" is not allowed');
    expect(() => run('ip("fe80::1%eth0")')).toThrow('IP address "fe80::1%eth0" with zone value is not allowed');
  });

  it('reads prefixes with netip and keeps their address', () => {
    expect(truths([
      'cidr("192.168.0.0/24").containsIP(ip("192.168.0.1")) && !cidr("192.168.0.0/24").containsIP(ip("192.168.1.1"))',
      'cidr("192.168.0.0/24").containsIP("192.168.0.1") && !cidr("192.168.0.0/24").containsIP("192.168.1.1")',
      'cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.0/25")) && cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.1/32"))',
      '!cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.0/23")) && !cidr("192.168.0.0/24").containsCIDR(cidr("192.169.0.1/32"))',
      'cidr("192.168.0.0/24").containsCIDR("192.168.0.0/25") && !cidr("192.168.0.0/24").containsCIDR("192.168.0.0/23")',
      'cidr("192.168.0.0/24").ip() == ip("192.168.0.0") && cidr("192.168.0.1/24").masked() == cidr("192.168.0.0/24")',
      'cidr("192.168.0.1/24") != cidr("192.168.0.0/24") && cidr("192.168.0.0/24").prefixLength() == 24',
      'cidr("2001:db8::/32").containsIP(ip("2001:db8::1")) && !cidr("2001:db8::/32").containsIP("2001:dc8::1")',
      'cidr("2001:db8::/32").containsCIDR(cidr("2001:db8::/33")) && !cidr("2001:db8::/32").containsCIDR("2001:db8::/31")',
      'cidr("2001:db8:1::/32").masked() == cidr("2001:db8::/32") && cidr("2001:db8::/32").prefixLength() == 32',
      '!cidr("10.0.0.0/8").containsIP("::1") && !cidr("::/0").containsCIDR("10.0.0.0/8")',
      'string(cidr("192.168.0.0/24")) == "192.168.0.0/24" && type(cidr("192.168.0.0/24")) == net.CIDR',
      'isCIDR("10.0.0.0/8") && !isCIDR("10.0.0.0/08") && !isCIDR("10.0.0.0/33") && !isCIDR("::ffff:1.2.3.4/120")',
    ])).toEqual([]);
    expect(() => run('cidr("192.168.0.0/")')).toThrow('network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("192.168.0.0/"): bad bits after slash: ""');
  });
});

describe('the URL library', () => {
  it('reads URLs with Go net/url', () => {
    expect(truths([
      'url("https://user:pass@example.com:8443/a%20b/c?x=1&x=2&y=%41#frag").getScheme() == "https"',
      'url("https://example.com:8443/path").getHost() == "example.com:8443"',
      'url("https://example.com:8443/path").getHostname() == "example.com" && url("https://example.com:8443/path").getPort() == "8443"',
      'url("https://[::1]:80/").getHostname() == "::1" && url("https://[::1]/").getPort() == ""',
      'url("https://example.com/a%20b/c").getEscapedPath() == "/a%20b/c" && url("https://example.com/a b").getEscapedPath() == "/a%20b"',
      'url("https://example.com/%2F").getEscapedPath() == "/%2F"',
      'url("https://e.com/?x=1&x=2&y=%41&z").getQuery() == {"x": ["1", "2"], "y": ["A"], "z": [""]}',
      'url("https://e.com/?a=1;b=2&c=3").getQuery() == {"c": ["3"]}',
      'url("/absolute/path").getScheme() == "" && url("/absolute/path").getEscapedPath() == "/absolute/path"',
      'url("HTTPS://Example.com").getScheme() == "https" && url("HTTPS://Example.com").getHost() == "Example.com"',
      'url("https://example.com") == url("https://example.com") && url("https://example.com") != url("https://example.com/")',
      'isURL("https://example.com") && isURL("/path") && !isURL("example.com") && !isURL("") && !isURL("https://exa mple.com")',
      '!isURL("http://[::1") && !isURL("https://e.com:port/") && !isURL("ht tp://x")',
      'type(url("https://example.com")) == kubernetes.URL',
    ])).toEqual([]);
    expect(() => run('url("example.com")')).toThrow('URL parse error during conversion from string: parse "example.com": invalid URI for request');
    expect(() => run('url("https://e.com/%zz")')).toThrow('URL parse error during conversion from string: parse "https://e.com/%zz": invalid URL escape "%zz"');
  });
});

describe('the format library and optional values', () => {
  it('validates named formats with apimachinery\'s messages', () => {
    expect(truths([
      '!format.dns1123Label().validate("my-label-name").hasValue()',
      'format.dns1123Label().validate("My_Label").hasValue()',
      '!format.dns1123Subdomain().validate("apiextensions.k8s.io").hasValue()',
      '!format.dns1035Label().validate("my-label-name").hasValue() && format.dns1035Label().validate("1abc").hasValue()',
      '!format.qualifiedName().validate("apiextensions.k8s.io/v1beta1").hasValue()',
      '!format.dns1123LabelPrefix().validate("my-label-prefix-").hasValue() && format.dns1123Label().validate("my-label-prefix-").hasValue()',
      '!format.labelValue().validate("").hasValue() && format.labelValue().validate("-x").hasValue()',
      '!format.uri().validate("http://example.com").hasValue() && format.uri().validate("example").hasValue()',
      '!format.uuid().validate("123e4567-e89b-12d3-a456-426614174000").hasValue() && format.uuid().validate("x").value() == ["does not match the UUID format"]',
      '!format.byte().validate("aGVsbG8=").hasValue() && format.byte().validate("!").value() == ["invalid base64"]',
      '!format.date().validate("2021-01-01").hasValue() && format.date().validate("2021-13-01x").value() == ["invalid date"]',
      '!format.datetime().validate("2021-01-01T00:00:00Z").hasValue() && format.datetime().validate("x").value() == ["invalid datetime"]',
      'format.named("dns1123Label").hasValue() && !format.named("nope").hasValue() && format.named("dns1123Label").value() == format.dns1123Label()',
      'format.named("labelValue").value().validate("a b").hasValue()',
      'type(format.dns1123Label()) == kubernetes.NamedFormat',
    ])).toEqual([]);
    expect(run('format.dns1123Label().validate("My_Label").value().join("\\n")'))
      .toBe("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
  });

  it('answers optional values', () => {
    expect(truths([
      'optional.of(1).hasValue() && optional.of(1).value() == 1 && !optional.none().hasValue()',
      'optional.none().orValue(5) == 5 && optional.of(2).orValue(5) == 2',
      'optional.none().or(optional.of(3)).value() == 3 && optional.of(1).or(optional.of(3)).value() == 1',
      '!optional.ofNonZeroValue("").hasValue() && !optional.ofNonZeroValue(0).hasValue() && !optional.ofNonZeroValue([]).hasValue()',
      'optional.ofNonZeroValue("x").hasValue()',
      'optional.of(1) == optional.of(1) && optional.of(1) != optional.of(2) && optional.none() == optional.none()',
      'optional.of({"b": [1], "a": "x"}) == optional.of({"a": "x", "b": [1]})',
    ])).toEqual([]);
    expect(() => run('optional.none().value()')).toThrow('optional.none() dereference');
  });
});

describe('sets and list equality', () => {
  it('compares elements with CEL equality', () => {
    expect(truths([
      'sets.contains([1, 2, 3], [1, 2]) && !sets.contains([1, 2], [3]) && sets.contains([1], [])',
      'sets.contains([1], [1.0]) && sets.equivalent([1, 2, 2], [2, 1]) && !sets.equivalent([1], [1, 2])',
      'sets.intersects([1, 2], [2, 3]) && !sets.intersects([1], [2]) && !sets.intersects([], [1])',
      'sets.contains([[1], {"a": 1}], [{"a": 1}])',
      '[[1, 2], [3]].indexOf([3]) == 1 && [{"a": 1}, {"a": 2}, {"a": 1}].lastIndexOf({"a": 1}) == 2',
      '[quantity("1"), quantity("1000m")].indexOf(quantity("1000m")) == 0',
    ])).toEqual([]);
  });
});

describe('the regex library', () => {
  it('finds with RE2, in linear time', () => {
    // A pattern that backtracks exponentially in JavaScript's engine answers at once with RE2.
    expect(run(`'${'a'.repeat(5000)}!'.find('(a+)+$')`)).toBe('');
    expect(run("'x1y22z333'.findAll('[0-9]+', 2) == ['1', '22'] && 'abc'.findAll('[0-9]', 0) == []")).toBe(true);
    expect(() => run("'x'.find('(?=x)')")).toThrow(/Illegal regex/);
  });
});

describe('optional selection syntax', () => {
  it('rewrites x.?f and x[?k] into calls, leaving other text alone', () => {
    expect(desugarOptionalSyntax('self.a ? "x.?y" : [1][0]')).toBe('self.a ? "x.?y" : [1][0]');
    expect(desugarOptionalSyntax('self.?spec.?replicas.orValue(1)')).toBe('__optSelect(__optSelect(self, "spec"), "replicas").orValue(1)');
    expect(desugarOptionalSyntax('!self.items[?0].name.hasValue()')).toBe('!__optSelect(__optIndex(self.items, 0), "name").hasValue()');
    expect(desugarOptionalSyntax('f(a).b.?c == optional.none()')).toBe('__optSelect(f(a).b, "c") == optional.none()');
    expect(desugarOptionalSyntax('[1, ?x, f(2, 3)]')).toBe('__optList([optional.of(1), x, optional.of(f(2, 3))])');
    expect(desugarOptionalSyntax("{'a': 1, ?'b': y}")).toBe("__optMap([['a', optional.of(1)], ['b', y]])");
  });

  it('selects and indexes optionally, as cel-go', () => {
    const self = new Map<string, unknown>([['spec', new Map<string, unknown>([['replicas', 3n], ['ports', [80n, 443n]]])], ['labels', new Map([['app', 'web']])]]);
    const yes = (e: string) => expect(run(e, self)).toBe(true);
    yes('self.?spec.?replicas.orValue(1) == 3');
    yes('self.?status.?replicas.orValue(1) == 1');
    yes('!self.?status.hasValue() && self.?spec.hasValue()');
    yes('self.spec.?ports[1].orValue(0) == 443 && self.spec.ports[?5].orValue(0) == 0 && self.spec.ports[?0].value() == 80');
    yes("self.labels[?'app'].orValue('') == 'web' && !self.labels[?'tier'].hasValue()");
    yes('self.?spec.replicas.orValue(0) == 3 && !self.?status.replicas.hasValue()');
    yes('[1, ?self.?spec.?replicas, ?self.?status.?replicas] == [1, 3]');
    yes("{'a': 1, ?'r': self.?spec.?replicas, ?'s': optional.none()} == {'a': 1, 'r': 3}");
    expect(() => run("{'a': 1, ?'a': optional.of(2)}")).toThrow(/repeated key/);
  });

  it('expands the optMap and optFlatMap macros, as cel-go', () => {
    const self = new Map<string, unknown>([['spec', new Map<string, unknown>([['replicas', 3n], ['name', 'web']])]]);
    const yes = (e: string) => expect(run(e, self)).toBe(true);
    yes('optional.of(42).optMap(y, y + 1) == optional.of(43)');
    yes('optional.none().optMap(y, y + 1) == optional.none()');
    yes('optional.of(1).optFlatMap(x, optional.of(x + 1)) == optional.of(2)');
    yes('optional.of(1).optFlatMap(x, optional.none()) == optional.none()');
    yes('optional.none().optFlatMap(x, optional.of(x)) == optional.none()');
    yes("self.?spec.?name.optMap(n, n + '-svc').orValue('') == 'web-svc'");
    yes('self.?status.?replicas.optMap(r, r * 2).orValue(-1) == -1');
    yes('self.spec.?replicas.optMap(r, r * 2).value() == 6');
    // Nested, the inner one seeing the outer's variable; a variable that shadows one outside.
    yes('optional.of(1).optMap(x, optional.of(x + 1).optMap(y, x + y).value()) == optional.of(3)');
    yes('[10, 20].map(x, optional.of(x).optMap(x, x + 1).value()) == [11, 21]');
    expect(desugarOptionalSyntax('f(a).optMap(v, v.size())')).toBe('((f(a)).hasValue() ? optional.of([(f(a)).value()].map(v, v.size())[0]) : optional.none())');
    expect(() => run('optional.of(42).optMap(y.z, y.z + 1)')).toThrow('optMap() variable name must be a simple identifier');
  });
});
