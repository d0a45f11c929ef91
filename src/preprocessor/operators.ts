// The # and ## operators on token spellings, as GCC's cpp applies them.
import { lexFile } from './lexer.js';
import { CHAR, PADDING, PREV_WHITE, PUNCT, STRING, type Token, type TokenKind } from './tokens.js';

/** `#arg`: the argument's spelling as a string literal; spacing follows the tokens'
 *  PREV_WHITE and padding, strings and char constants are escaped. */
export function stringifySpelling(arg: Token[]): { text: string; droppedBackslash: boolean } {
  const parts: string[] = ['"'];
  let source: Token | null = null;
  let any = false;
  for (const t of arg) {
    if (t.kind === PADDING) {
      if (source === null || (!(source.flags & PREV_WHITE) && t.source === null)) source = t.source;
      continue;
    }
    if (any) {
      if (source === null) source = t;
      if (source.flags & PREV_WHITE) parts.push(' ');
    }
    source = null;
    parts.push(t.kind === STRING || t.kind === CHAR ? t.text.replace(/[\\"]/g, '\\$&') : t.text);
    any = true;
  }
  let text = parts.join('');
  // an odd run of trailing backslashes would escape the closing quote
  const m = /\\+$/.exec(text);
  const droppedBackslash = m !== null && m[0].length % 2 === 1;
  if (droppedBackslash) text = text.slice(0, -1);
  return { text: text + '"', droppedBackslash };
}

/** `lhs ## rhs`: the kind and spelling of the single token they form, or null when the
 *  joined spelling is not one token (assembler mode then keeps them apart, silently). */
export function pasteSpelling(lhs: Token, rhs: Token): { kind: TokenKind; text: string } | null {
  // a space keeps `/` `/` from turning into a comment, as cpp does
  const sep = lhs.kind === PUNCT && lhs.text === '/' && !(rhs.kind === PUNCT && rhs.text === '=') ? ' ' : '';
  const text = lhs.text + sep + rhs.text;
  const lexed = lexFile('', text);
  if (lexed.tokens.length !== 1 || lexed.errors.length || lexed.tokens[0].text.length !== text.length) return null;
  return { kind: lexed.tokens[0].kind, text };
}
