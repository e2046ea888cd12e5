// JSON syntax errors worded as Go's encoding/json words them (the API server's "json parse error: …"), from what
// JSON.parse says: `invalid character 'b' looking for beginning of object key string`, `unexpected end of JSON input`.
// Pure: no node imports.

/** Go's quoteChar: a byte in single quotes, escaped as strconv.Quote escapes it (`'\n'`, `'\x01'`, `'\''`). */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const escapes: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\x07': '\\a' };
  if (escapes[c]) return `'${escapes[c]}'`;
  const code = c.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `'\\x${code.toString(16).padStart(2, '0')}'`;
  return `'${c}'`;
}

const RULES: Array<[RegExp, string]> = [
  [/^Expected (?:property name or '\}'|double-quoted property name)/, 'looking for beginning of object key string'],
  [/^Expected ',' or '\}' after property value/, 'after object key:value pair'],
  [/^Expected ':' after property name/, 'after object key'],
  [/^Expected ',' or '\]' after array element/, 'after array element'],
  [/^Unexpected non-whitespace character after JSON/, 'after top-level value'],
  [/^Bad (?:control|escaped) character in (?:string literal|JSON)/, 'in string literal'],
  [/^Unexpected (?:token|number|string)/, 'looking for beginning of value'],
];

/** Go's wording of the error JSON.parse threw for `text`; JSON.parse's own message when it is not one of the known ones. */
export function goJsonSyntaxError(text: string, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/^(?:Unexpected end of JSON input|Unterminated string)/.test(message)) return 'unexpected end of JSON input';
  const at = /at position (\d+)/.exec(message);
  const token = /^Unexpected token '(.)'/su.exec(message)?.[1];
  const c = at ? text.charAt(Number(at[1])) : token;
  const rule = RULES.find(([re]) => re.test(message));
  if (!rule || !c) return message;
  return `invalid character ${quoteChar(c)} ${rule[1]}`;
}
