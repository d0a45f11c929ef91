// dtc's escape set for strings and character literals: \a \b \t \n \v \f \r, octal (up to
// three digits), \x with up to two hex digits; any other escaped character stands for itself.
// Text is latin1 throughout (one char per byte).

export interface UnescapeResult {
  value: string;
  /** set when `\x` has no hex digit after it (dtc refuses the input) */
  error?: string;
}

const SIMPLE: Record<string, string> = { a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r' };

function isOctal(c: string): boolean {
  return c >= '0' && c <= '7';
}

function isHex(c: string): boolean {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

export function unescape(s: string): UnescapeResult {
  if (s.indexOf('\\') < 0) return { value: s };
  let out = '';
  let error: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const e = s[++i];
    if (SIMPLE[e] !== undefined) {
      out += SIMPLE[e];
    } else if (isOctal(e)) {
      let j = i;
      while (j < s.length && j < i + 3 && isOctal(s[j])) j++;
      out += String.fromCharCode(parseInt(s.slice(i, j), 8) & 0xff);
      i = j - 1;
    } else if (e === 'x') {
      let j = i + 1;
      while (j < s.length && j < i + 3 && isHex(s[j])) j++;
      if (j === i + 1) {
        error ??= '\\x used with no following hex digits';
      } else {
        out += String.fromCharCode(parseInt(s.slice(i + 1, j), 16));
      }
      i = j - 1;
    } else {
      out += e;
    }
  }
  return { value: out, error };
}
