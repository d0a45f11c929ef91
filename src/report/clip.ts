// Input text quoted in a message (a token, a name, a reference) is clipped: a message
// says what is wrong and where; the excerpt shows the text. A 10 MB token must not make
// a 10 MB message.

/** Longest piece of input quoted whole in a message. */
export const MAX_QUOTED = 64;

/** `text`, or its start and length when longer than MAX_QUOTED: `0x0000...` (1048576 characters). */
export function clipText(text: string, max = MAX_QUOTED): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 16)}... (${text.length} characters)`;
}
