// Python's repr() of instance values and schema fragments, as python-jsonschema's messages
// print them (`'x' is not one of ['a', 'b']`, `b'\x00\x01' is not of type ...`). Node
// instances (Maps) print in their own order; schema mappings print with sorted keys, as
// dt-mk-schema writes the processed schema (`json.dump(..., sort_keys=True)`). Iterative:
// a node nested 10,000 deep prints without exhausting the stack.

/** str.isprintable() for one UTF-16 unit / code point (Python's repr escapes the others). */
function printable(cp: number): boolean {
  if (cp >= 0x20 && cp < 0x7f) return true;
  if (cp < 0xa0) return false;
  return !/[\p{C}\p{Z}]/u.test(String.fromCodePoint(cp));
}

function hexEscape(cp: number): string {
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** Python's quote choice: double quotes when the text has a ' and no ". */
function quoteFor(has: (c: number) => boolean): string {
  return has(0x27) && !has(0x22) ? '"' : "'";
}

export function pyStr(s: string): string {
  const q = quoteFor((c) => s.includes(String.fromCharCode(c)));
  let out = q;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += `\\${q}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (!printable(cp)) out += hexEscape(cp);
    else out += ch;
  }
  return out + q;
}

export function pyBytes(b: Uint8Array): string {
  const q = quoteFor((c) => b.includes(c));
  let out = `b${q}`;
  for (const c of b) {
    if (c === 0x5c) out += '\\\\';
    else if (c === q.charCodeAt(0)) out += `\\${q}`;
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20 || c >= 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(c);
  }
  return out + q;
}

function pyNumber(n: number | bigint): string {
  if (typeof n === 'bigint') return n.toString();
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? BigInt(n).toString() : BigInt(n).toString();
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  // Python's shortest round-trip float repr: exponent form from 1e16 and below 1e-4
  const abs = Math.abs(n);
  if (abs >= 1e16 || abs < 1e-4) {
    const [m, e] = n.toExponential().split('e');
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

type Frame = { kind: 'text'; text: string } | { kind: 'value'; v: unknown };

/** Python's repr() of `v`. */
export function pyRepr(v: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [{ kind: 'value', v }];
  while (stack.length) {
    const f = stack.pop()!;
    if (f.kind === 'text') {
      out.push(f.text);
      continue;
    }
    const x = f.v;
    if (x === null || x === undefined) out.push('None');
    else if (x === true) out.push('True');
    else if (x === false) out.push('False');
    else if (typeof x === 'number' || typeof x === 'bigint') out.push(pyNumber(x));
    else if (typeof x === 'string') out.push(pyStr(x));
    else if (x instanceof Uint8Array) out.push(pyBytes(x));
    else if (Array.isArray(x)) {
      const parts: Frame[] = [{ kind: 'text', text: '[' }];
      x.forEach((e, i) => {
        if (i) parts.push({ kind: 'text', text: ', ' });
        parts.push({ kind: 'value', v: e });
      });
      parts.push({ kind: 'text', text: ']' });
      for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i]);
    } else if (x instanceof Map || typeof x === 'object') {
      const entries: [string, unknown][] = x instanceof Map
        ? [...x.entries()]
        : Object.keys(x).sort(byCodePoint).map((k) => [k, (x as Record<string, unknown>)[k]]);
      const parts: Frame[] = [{ kind: 'text', text: '{' }];
      entries.forEach(([k, e], i) => {
        parts.push({ kind: 'text', text: `${i ? ', ' : ''}${pyStr(k)}: ` });
        parts.push({ kind: 'value', v: e });
      });
      parts.push({ kind: 'text', text: '}' });
      for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i]);
    } else out.push(String(x));
  }
  return out.join('');
}

/** Python's ordering of str keys (code points; equal to UTF-16 order outside the astral planes). */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `extras_msg`: "'a', 'b' were" / "'a' was". */
export function extrasMsg(extras: unknown[]): string {
  return `${extras.map(pyRepr).join(', ')} ${extras.length === 1 ? 'was' : 'were'}`;
}
