// JSON syntax errors in Go's encoding/json words (what kube-apiserver's "json parse error: …" says), from JSON.parse's.
import { describe, expect, it } from 'vitest';
import { goJsonSyntaxError } from '../../../main/apiserver/json-syntax';

function wording(text: string): string {
  try {
    JSON.parse(text);
  } catch (e) {
    return goJsonSyntaxError(text, e);
  }
  throw new Error(`${text} parsed`);
}

describe('goJsonSyntaxError', () => {
  it('words each kind of syntax error as encoding/json does', () => {
    expect(wording('{bad json')).toBe("invalid character 'b' looking for beginning of object key string");
    expect(wording('{"a":1,}')).toBe("invalid character '}' looking for beginning of object key string");
    expect(wording('{"a":1 "b":2}')).toBe('invalid character \'"\' after object key:value pair');
    expect(wording('{"a" 1}')).toBe("invalid character '1' after object key");
    expect(wording('[1 2]')).toBe("invalid character '2' after array element");
    expect(wording('[1,]')).toBe("invalid character ']' looking for beginning of value");
    expect(wording('x')).toBe("invalid character 'x' looking for beginning of value");
    expect(wording('{} x')).toBe("invalid character 'x' after top-level value");
    expect(wording('{"a":"b\nc"}')).toBe("invalid character '\\n' in string literal");
    expect(wording('{"a":"b\u0001"}')).toBe("invalid character '\\x01' in string literal");
    expect(wording("{'a':1}")).toBe("invalid character '\\'' looking for beginning of object key string");
  });

  it('says the input ended where it did', () => {
    expect(wording('')).toBe('unexpected end of JSON input');
    expect(wording('{"a":')).toBe('unexpected end of JSON input');
    expect(wording('"abc')).toBe('unexpected end of JSON input');
  });

  it('passes on a message it does not know', () => {
    expect(goJsonSyntaxError('?', new Error('something else'))).toBe('something else');
  });
});
