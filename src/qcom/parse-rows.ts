// Reads qcom,devmem rows typed or pasted by a user (`dtkit devmem decode`): DTS cell
// lists `<0x110000 0x110000 0x4000 0x1>, <...>` (optionally with `qcom,devmem =` and `;`),
// or bare numbers. Cells may be the header's flag macros (QCOM_DEVMEM_READ, or the
// kernel's IOMMU_READ) and parenthesised C expressions over them, as in a .dts file.
import type { Diagnostic } from '../report/diagnostic.js';
import type { SourceSpan } from '../report/source.js';
import { DEVMEM_FLAGS } from './devmem.js';
import { parseCInteger } from './format.js';
import type { ExprStream } from '../dts/expr.js';
import { parseIntegerExpr, parseIntegerPrim } from '../dts/expr.js';
import type { Token as DtsToken } from '../dts/lexer.js';
import { MAX_QUOTED, clipText } from '../report/safe-text.js';

export interface ParsedCells {
  cells: number[];
  /** where each cell was written */
  spans: SourceSpan[];
  diagnostics: Diagnostic[];
}

/** Flag macro names understood in typed rows, with their values. */
export const FLAG_MACROS: ReadonlyMap<string, number> = new Map(
  DEVMEM_FLAGS.flatMap((f) => [[f.macro, f.bit], [`IOMMU_${f.name.toUpperCase()}`, f.bit]] as Array<[string, number]>),
);

interface Token {
  text: string;
  span: SourceSpan;
}

const TOKEN_SOURCE = /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|(\/bits\/\s*[0-9]+|0[xX][0-9a-fA-F]+[uUlL]*|[0-9]+[uUlL]*|[A-Za-z_][A-Za-z0-9_]*|<<|>>|[<>(),;|&^~+\-*])|(\S)/.source;

function tokenize(text: string, file: string, diags: Diagnostic[]): Token[] {
  const out: Token[] = [];
  let line = 1, lineStart = 0;
  const re = new RegExp(TOKEN_SOURCE, 'g'); // a fresh one per call: a /g regex carries state
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index;
    const span: SourceSpan = { file, line, column: at - lineStart + 1, length: m[0].length };
    if (m[1] !== undefined) out.push({ text: m[1], span });
    else if (m[2] !== undefined) diags.push({ rule: 'qcom_devmem_format', severity: 'error', message: `unexpected character '${m[2]}'`, span });
    for (let i = at; i < at + m[0].length; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
  }
  return out;
}

/** The operators typed rows may use (a subset of DTS's; `<`, `>` and `,` delimit rows). */
const ROW_OPERATORS = new Set(['|', '^', '&', '<<', '>>', '+', '-', '*', '~', '(', ')']);

/** Ends an expression after its error has been reported. */
class RowSyntaxAbort extends Error {}

/**
 * Typed-row tokens as the DTS expression evaluator reads them (numbers and flag macros as
 * literals), so that cell expressions are computed as dtc computes them (64-bit unsigned),
 * by the one evaluator that takes any nesting without recursion.
 */
class RowExprStream implements ExprStream {
  pos = 0;
  private readonly converted: DtsToken[] = [];
  constructor(private readonly toks: Token[], private readonly diags: Diagnostic[]) {}

  private convert(i: number): DtsToken {
    const tok = this.toks[i];
    const base = { str: '', num: 0, src: undefined as unknown as DtsToken['src'], offset: i, length: 0 };
    if (!tok) return { ...base, kind: 'eof', text: '' };
    if (ROW_OPERATORS.has(tok.text)) return { ...base, kind: 'punct', text: tok.text };
    const n = parseCInteger(tok.text) ?? parseBigHex(tok.text) ?? FLAG_MACROS.get(tok.text);
    if (n !== undefined) {
      return typeof n === 'bigint' && n > BigInt(Number.MAX_SAFE_INTEGER) ? { ...base, kind: 'literal', text: tok.text, big: n } : { ...base, kind: 'literal', text: tok.text, num: Number(n) };
    }
    return { ...base, kind: /^[A-Za-z_]/.test(tok.text) ? 'ident' : 'bad', text: tok.text };
  }

  peek(): DtsToken {
    return (this.converted[this.pos] ??= this.convert(this.pos));
  }

  next(): DtsToken {
    const t = this.peek();
    this.pos++;
    return t;
  }

  private fail(at: DtsToken, message: string): never {
    const t = this.toks[Math.min(at.offset, this.toks.length - 1)];
    this.diags.push({ rule: 'qcom_devmem_format', severity: 'error', message, span: t?.span });
    throw new RowSyntaxAbort();
  }

  expect(text: string): DtsToken {
    const t = this.peek();
    if (t.kind !== 'punct' || t.text !== text) this.fail(t, `expected '${text}'`);
    return this.next();
  }

  syntaxError(t: DtsToken): never {
    if (t.kind === 'ident') {
      return this.fail(t, `unknown name '${clipText(t.text, MAX_QUOTED)}' (flag macros: ${[...FLAG_MACROS.keys()].filter((k) => k.startsWith('QCOM')).join(', ')})`);
    }
    return this.fail(t, 'expected a number');
  }

  error(t: DtsToken, message: string): void {
    const tok = this.toks[Math.min(t.offset, this.toks.length - 1)];
    this.diags.push({ rule: 'qcom_devmem_format', severity: 'error', message, span: tok?.span });
  }

  /** A cell: a literal, a macro or a parenthesised expression when `prim`, else an expression. */
  value(prim: boolean): bigint | undefined {
    try {
      return prim ? parseIntegerPrim(this) : parseIntegerExpr(this);
    } catch (e) {
      if (e instanceof RowSyntaxAbort) return undefined;
      throw e;
    }
  }
}

/** Hex literals too large for a safe number still parse (so "does not fit" can be said). */
function parseBigHex(text: string): bigint | undefined {
  const m = /^0[xX]([0-9a-fA-F]+)[uUlL]*$/.exec(text);
  return m ? BigInt(`0x${m[1]}`) : undefined;
}

/** Parses typed rows; problems become diagnostics located in the typed text. */
export function parseTypedCells(text: string, file = '<input>'): ParsedCells {
  const diagnostics: Diagnostic[] = [];
  // an optional `qcom,devmem =` prefix, blanked so columns stay true
  const prefix = /^\s*[A-Za-z0-9_,.#+-]+\s*=/.exec(text);
  const toks = tokenize(prefix ? prefix[0].replace(/[^\n]/g, ' ') + text.slice(prefix[0].length) : text, file, diagnostics);
  const body = toks.filter((t, i, all) => !(t.text === ';' && i === all.length - 1));
  const p = new RowExprStream(body, diagnostics);
  const cells: number[] = [];
  const spans: SourceSpan[] = [];
  let inList = false;
  while (p.pos < body.length && diagnostics.length === 0) {
    const t = body[p.pos];
    if (t.text.startsWith('/bits/')) {
      const bits = t.text.slice(6).trim();
      p.pos++;
      if (bits === '32') continue;
      diagnostics.push({
        rule: 'qcom_devmem_format', severity: 'error', span: t.span,
        message: `row ${Math.floor(cells.length / 4)} is written with /bits/ ${bits}; every qcom,devmem value is a 32-bit cell`,
      });
      break;
    }
    if (t.text === '<' && !inList) {
      inList = true;
      p.pos++;
    } else if (t.text === '>' && inList) {
      inList = false;
      p.pos++;
    } else if (t.text === ',') {
      p.pos++;
    } else {
      const first = body[p.pos];
      // in a DTS cell list an item is a literal, a macro or a parenthesised expression
      const v = p.value(inList);
      if (v === undefined) break;
      if (v > 0xffffffffn) {
        diagnostics.push({
          rule: 'qcom_devmem_format', severity: 'error', span: first.span,
          message: `cell ${cells.length} (row ${Math.floor(cells.length / 4)}): 0x${v.toString(16)} does not fit in 32 bits`,
        });
        break;
      }
      cells.push(Number(v));
      spans.push(first.span);
    }
  }
  if (inList && diagnostics.length === 0) {
    diagnostics.push({ rule: 'qcom_devmem_format', severity: 'error', message: `missing '>'`, span: body[body.length - 1]?.span });
  }
  return { cells, spans, diagnostics };
}

/**
 * Flags as a user names them on the command line: `read,write`, `READ|WRITE`,
 * `QCOM_DEVMEM_READ`, `IOMMU_READ`, or a number (`0x3`). Returns the value or why not.
 */
export function parseFlagList(text: string): { flags: number } | { error: string } {
  let flags = 0;
  const parts = text.split(/[,|+\s]+/).filter((p) => p !== '');
  if (parts.length === 0) return { error: 'no flags given' };
  for (const part of parts) {
    const n = parseCInteger(part);
    if (n !== undefined) {
      if (n > 0xffffffff) return { error: `flags ${part} do not fit in 32 bits` };
      flags = (flags | n) >>> 0;
      continue;
    }
    const name = part.toLowerCase().replace(/^(qcom_devmem_|iommu_)/, '');
    const f = DEVMEM_FLAGS.find((d) => d.name === name);
    if (!f) return { error: `unknown flag '${part}' (known: ${DEVMEM_FLAGS.map((d) => d.name).join(', ')})` };
    flags |= f.bit;
  }
  return { flags };
}
