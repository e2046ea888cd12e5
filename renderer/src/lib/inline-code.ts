// Messages from the control plane mark commands with backticks (`npm run setup`), as a terminal
// reader expects; the UI shows those parts as code instead of literal backticks.

export interface TextPart {
  text: string;
  code: boolean;
}

/** Splits on pairs of backticks; an unpaired backtick stays as it is. */
export function splitInlineCode(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let rest = text;
  for (;;) {
    const open = rest.indexOf('`');
    const close = open < 0 ? -1 : rest.indexOf('`', open + 1);
    if (close < 0) break;
    if (open > 0) parts.push({ text: rest.slice(0, open), code: false });
    if (close > open + 1) parts.push({ text: rest.slice(open + 1, close), code: true });
    rest = rest.slice(close + 1);
  }
  if (rest) parts.push({ text: rest, code: false });
  return parts;
}
