// One word for sh: single-quoted, a ' inside written as '\''.
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, '\'\\\'\'')}'`;
}
