// Input text made safe to show: a source file or a message quoting it must not drive the
// reader's terminal (ESC sequences, BEL) nor flood it (a NUL-filled 20 MB "line").
//
// Control characters are shown as C-style hex escapes, `\x1b`, the spelling a DTS string uses
// for the same byte: every C0 character but tab (U+0000-U+0008, U+000A-U+001F), DEL (U+007F)
// and the C1 range (U+0080-U+009F, the 8-bit CSI and friends).

const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;
const CONTROL_BUT_LINE_BREAKS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g;

function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09) || (code >= 0x7f && code <= 0x9f);
}

function hexEscape(code: number): string {
  return `\\x${code.toString(16).padStart(2, '0')}`;
}

/** `s` with its control characters as `\xNN` (tab kept; CR and LF too with `keepLineBreaks`,
 *  for a format that escapes them its own way). */
export function escapeControls(s: string, opts: { keepLineBreaks?: boolean } = {}): string {
  return s.replace(opts.keepLineBreaks ? CONTROL_BUT_LINE_BREAKS : CONTROL, (c) => hexEscape(c.charCodeAt(0)));
}

/** Longest message (in characters, before escaping) shown whole; longer ones are cut. */
export const MAX_MESSAGE = 4000;

/** Longest piece of input (a token, a name, a reference) quoted whole inside a message: a
 *  message says what is wrong and where, the excerpt shows the text, and a 10 MB token must
 *  not make a 10 MB message. */
export const MAX_QUOTED = 64;

/** `s` cut to `max` characters with a count of what was left out (messages can quote input). */
export function clipText(s: string, max = MAX_MESSAGE): string {
  if (s.length <= max) return s;
  let end = max;
  if (isHighSurrogate(s.charCodeAt(end - 1))) end--;
  return `${s.slice(0, end)}... [${s.length - end} more characters]`;
}

/** A message as text shows it: cut, then escaped. */
export function safeMessage(s: string): string {
  return escapeControls(clipText(s));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Widest source excerpt, in columns of shown text (escapes count their full width). */
export const MAX_EXCERPT = 200;

export interface ExcerptWindow {
  /** the shown source text (escaped, `...` where the line was cut) */
  text: string;
  /** what goes under it before the caret: spaces, with the line's tabs kept */
  pad: string;
  /** width of the marker (caret plus tildes), at least 1 */
  width: number;
}

function shownWidth(code: number): number {
  return isControl(code) ? 4 : 1;
}

/**
 * The part of `line` an excerpt shows for a span starting at 0-based `start` and `length`
 * characters long: the whole line when it fits in `max` columns, else a window around the
 * span (its start always shown) with `...` where the line was cut. Only the window is read,
 * so a multi-megabyte line costs what the window costs.
 */
export function excerptWindow(line: string, start: number, length: number, max = MAX_EXCERPT): ExcerptWindow {
  const caret = Math.min(Math.max(0, start), line.length);
  const markEnd = Math.max(caret + 1, Math.min(caret + Math.max(1, length), line.length));
  if (line.length <= max && !/[\x00-\x08\x0a-\x1f\x7f-\x9f]/.test(line)) {
    return { text: line, pad: padOf(line.slice(0, caret)), width: markEnd - caret };
  }
  // Walk outwards from the caret within the column budget: the marked range first (up to
  // three quarters of it), then up to half of what is left as context on the left, then the
  // right, and whatever the right did not use goes to the left.
  const widthAt = (i: number) => shownWidth(line.charCodeAt(i));
  let used = 0;
  let end = caret;
  while (end < markEnd && used + widthAt(end) <= max - Math.floor(max / 4)) used += widthAt(end++);
  const marked = end;
  let begin = caret;
  const leftLimit = used + Math.floor((max - used) / 2);
  while (begin > 0 && used + widthAt(begin - 1) <= leftLimit) used += widthAt(--begin);
  while (end < line.length && used + widthAt(end) <= max) used += widthAt(end++);
  while (begin > 0 && used + widthAt(begin - 1) <= max) used += widthAt(--begin);
  // never cut a surrogate pair in two
  if (begin > 0 && begin < line.length && isLowSurrogate(line.charCodeAt(begin))) begin++;
  if (end < line.length && end > 0 && isHighSurrogate(line.charCodeAt(end - 1))) end--;
  const head = begin > 0 ? '...' : '';
  const tail = end < line.length ? '...' : '';
  const prefix = escapeControls(line.slice(begin, caret));
  const mark = escapeControls(line.slice(caret, Math.min(marked, end)));
  return {
    text: `${head}${prefix}${mark}${escapeControls(line.slice(Math.min(marked, end), end))}${tail}`,
    pad: padOf(head + prefix),
    width: Math.max(1, mark.length),
  };
}

function padOf(shownPrefix: string): string {
  return shownPrefix.replace(/[^\t]/g, ' ');
}
