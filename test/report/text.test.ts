// Text output at a terminal: colour when (and only when) it is wanted, and input that cannot
// drive the terminal (control characters escaped) nor flood it (excerpts and messages capped).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileFile } from '../../src/compile/compile.js';
import type { Diagnostic } from '../../src/report/diagnostic.js';
import { renderAllText, renderText, sourceLines } from '../../src/report/render.js';
import { clipText, escapeControls, excerptWindow, MAX_EXCERPT, MAX_MESSAGE } from '../../src/report/safe-text.js';
import { colorEnabled } from '../../src/report/style.js';
import { projectRoot } from '../support/corpus.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-report-text-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const ESC = '\x1b';
const bold = (s: string) => `${ESC}[1m${s}${ESC}[22m`;
const fg = (code: number, s: string) => `${ESC}[${code}m${s}${ESC}[39m`;

describe('colorEnabled', () => {
  const cases: Array<[string, Parameters<typeof colorEnabled>[0], boolean]> = [
    ['a terminal', { isTTY: true, env: {} }, true],
    ['a pipe', { isTTY: false, env: {} }, false],
    ['--color in a pipe', { flag: true, isTTY: false, env: { NO_COLOR: '1' } }, true],
    ['--no-color at a terminal', { flag: false, isTTY: true, env: { FORCE_COLOR: '1' } }, false],
    ['NO_COLOR at a terminal', { isTTY: true, env: { NO_COLOR: '1' } }, false],
    ['an empty NO_COLOR is no NO_COLOR', { isTTY: true, env: { NO_COLOR: '' } }, true],
    ['NO_COLOR wins over FORCE_COLOR', { isTTY: false, env: { NO_COLOR: 'yes', FORCE_COLOR: '1' } }, false],
    ['FORCE_COLOR=1 in a pipe', { isTTY: false, env: { FORCE_COLOR: '1' } }, true],
    ['FORCE_COLOR=3 in a pipe', { isTTY: false, env: { FORCE_COLOR: '3' } }, true],
    ['FORCE_COLOR empty in a pipe', { isTTY: false, env: { FORCE_COLOR: '' } }, true],
    ['FORCE_COLOR=true in a pipe', { isTTY: false, env: { FORCE_COLOR: 'true' } }, true],
    ['FORCE_COLOR=0 at a terminal', { isTTY: true, env: { FORCE_COLOR: '0' } }, false],
    ['FORCE_COLOR=false at a terminal', { isTTY: true, env: { FORCE_COLOR: 'false' } }, false],
    ['TERM=dumb at a terminal', { isTTY: true, env: { TERM: 'dumb' } }, false],
  ];
  for (const [what, opts, want] of cases) {
    test(`${what}: ${want ? 'colour' : 'none'}`, () => assert.equal(colorEnabled(opts), want));
  }
});

describe('colour in text output', () => {
  const d: Diagnostic = {
    rule: 'unit_address_vs_reg', severity: 'warning', message: 'node has a unit name, but no reg or ranges property', node: '/soc/serial@2000',
    span: { file: 'soc.dtsi', line: 11, column: 3, length: 11, includedFrom: [{ file: 'board.dts', line: 3, column: 1 }] },
    notes: [{ message: 'see', span: { file: 'board.dts', line: 5, column: 2, length: 1 } }],
  };
  const lineText = () => '\t\tserial@2000 {';

  test('gcc\'s colours: bold locus and message, magenta warning, cyan notes, green caret', () => {
    assert.equal(renderText(d, { lineText, color: true }), [
      `${bold('soc.dtsi:11:3:')} ${bold(fg(35, 'warning:'))} ${bold('/soc/serial@2000: node has a unit name, but no reg or ranges property')} ${bold(fg(35, '[unit_address_vs_reg]'))}`,
      '  \t\tserial@2000 {',
      `  \t\t${fg(32, `^${'~'.repeat(10)}`)}`,
      `${bold('board.dts:3:1:')} ${bold(fg(36, 'note:'))} included from here`,
      `${bold('board.dts:5:2:')} ${bold(fg(36, 'note:'))} see`,
    ].join('\n'));
  });

  test('errors are red, info cyan', () => {
    assert.equal(renderText({ rule: 'syntax', severity: 'error', message: 'm', file: 'a.dts' }, { color: true }),
      `${bold('a.dts:')} ${bold(fg(31, 'error:'))} ${bold('m')} ${bold(fg(31, '[syntax]'))}`);
    assert.equal(renderText({ rule: 'r', severity: 'info', message: 'm', file: 'a.dts' }, { color: true }),
      `${bold('a.dts:')} ${bold(fg(36, 'info:'))} ${bold('m')} ${bold(fg(36, '[r]'))}`);
  });

  test('without colour: not one escape sequence, the text as before', () => {
    const plain = [
      'soc.dtsi:11:3: warning: /soc/serial@2000: node has a unit name, but no reg or ranges property [unit_address_vs_reg]',
      '  \t\tserial@2000 {',
      `  \t\t^${'~'.repeat(10)}`,
      'board.dts:3:1: note: included from here',
      'board.dts:5:2: note: see',
    ].join('\n');
    assert.equal(renderText(d, { lineText }), plain);
    assert.equal(renderText(d, { lineText, color: false }), plain);
  });

  test('a real compile in colour differs from plain only by escape sequences', () => {
    const r = compileFile(path.join(projectRoot, 'test', 'report', 'fixtures', 'board.dts'));
    const lineText = sourceLines(r.sources);
    const plain = renderAllText(r.diagnostics, { lineText });
    const colour = renderAllText(r.diagnostics, { lineText, color: true });
    assert.ok(!plain.includes(ESC));
    assert.notEqual(colour, plain);
    assert.equal(colour.replace(/\x1b\[\d+m/g, ''), plain);
  });
});

describe('control characters from the input are shown escaped', () => {
  test('escapeControls: C0 but tab, DEL and C1 as \\xNN', () => {
    assert.equal(escapeControls('a\x1b[31mb\x07\tc\x00\x7f\x9b\u00a0\n\r'), 'a\\x1b[31mb\\x07\tc\\x00\\x7f\\x9b\u00a0\\x0a\\x0d');
    assert.equal(escapeControls('x\r\ny\x1b', { keepLineBreaks: true }), 'x\r\ny\\x1b');
  });

  test('in the excerpt, with the caret still under its text', () => {
    const d: Diagnostic = { rule: 'syntax', severity: 'error', message: 'bad', span: { file: 'a.dts', line: 1, column: 7, length: 3 } };
    assert.equal(renderText(d, { lineText: () => '\x1b]0;\x07 foo = <1>;' }), [
      'a.dts:1:7: error: bad [syntax]',
      '  \\x1b]0;\\x07 foo = <1>;',
      `  ${' '.repeat(12)}^~~`,
    ].join('\n'));
  });

  test('in the message, the node path, the file name and notes', () => {
    const d: Diagnostic = {
      rule: 'r', severity: 'warning', message: "unexpected '\x1b[2J'", node: '/a\x07b', file: 'in\x1bput.dtb',
      notes: [{ message: 'note \x9b1m' }],
    };
    assert.equal(renderText(d), "in\\x1bput.dtb: warning: /a\\x07b: unexpected '\\x1b[2J' [r]\nnote: note \\x9b1m");
  });

  test('a CRLF file: the CR ending each line is not shown', () => {
    const d: Diagnostic = { rule: 'r', severity: 'warning', message: 'm', span: { file: 'a.dts', line: 1, column: 1, length: 3 } };
    assert.equal(renderText(d, { lineText: () => 'foo;\r' }), 'a.dts:1:1: warning: m [r]\n  foo;\n  ^~~');
  });

  test('a real compile of a file with ESC and BEL in it', () => {
    const file = path.join(scratch, 'esc.dts');
    fs.writeFileSync(file, '/dts-v1/;\n/ {\n\tx = <1\x1b[31m>;\x07\n};\n');
    const r = compileFile(file);
    const text = renderAllText(r.diagnostics, { lineText: sourceLines(r.sources) });
    assert.ok(r.diagnostics.length > 0);
    assert.ok(!/[\x00-\x08\x0b-\x1f\x7f]/.test(text), JSON.stringify(text));
    assert.ok(text.includes('  \tx = <1\\x1b[31m>;\\x07'), text);
  });
});

describe('excerpts and messages are capped', () => {
  test('a line that fits is shown whole (the text renderer as before)', () => {
    const line = 'x'.repeat(MAX_EXCERPT);
    assert.deepEqual(excerptWindow(line, 10, 3), { text: line, pad: ' '.repeat(10), width: 3 });
  });

  test('a long line: a window of at most 200 columns around the caret, cut with ...', () => {
    const line = `${'a'.repeat(1000)}TARGET${'b'.repeat(1000)}`;
    const w = excerptWindow(line, 1000, 6);
    // the marked text, then half of what is left on the left and the rest on the right
    assert.equal(w.text, `...${'a'.repeat(97)}TARGET${'b'.repeat(97)}...`);
    assert.equal(w.pad, ' '.repeat(100));
    assert.equal(w.width, 6);
    // near the start, the right side gets what the left does not need
    const start = excerptWindow(line, 2, 1);
    assert.equal(start.text, `${'a'.repeat(200)}...`);
    assert.equal(start.pad, '  ');
  });

  test('a NUL-filled 20 MB line: a window of escapes, not the line', () => {
    const line = '\0'.repeat(20_000_000);
    const w = excerptWindow(line, 0, line.length);
    assert.equal(w.text, `${'\\x00'.repeat(50)}...`);
    assert.equal(w.pad, '');
    assert.equal(w.width, 148);
    const mid = excerptWindow(line, 10_000_000, 1);
    assert.equal(mid.text, `...${'\\x00'.repeat(50)}...`);
    assert.equal(mid.pad, ' '.repeat(3 + 4 * 24));
  });

  test('the long line\'s marked range is cut to three quarters of the window', () => {
    const line = 'y'.repeat(5000);
    const w = excerptWindow(line, 100, 4000);
    assert.equal(w.width, 150);
    assert.equal(w.text, `...${'y'.repeat(200)}...`);
    assert.equal(w.pad, ' '.repeat(3 + 25));
  });

  test('a real compile of a 1 MB NUL-filled file prints a few hundred bytes', () => {
    const file = path.join(scratch, 'zeros.dts');
    fs.writeFileSync(file, Buffer.alloc(1_000_000));
    const r = compileFile(file);
    const text = renderAllText(r.diagnostics, { lineText: sourceLines(r.sources) });
    assert.equal(text, [
      `${file}:1:1: error: NUL byte in the input: this is a binary file, not device-tree source text [preprocessor]`,
      `  ${'\\x00'.repeat(50)}...`,
      '  ^~~~~~~~',
    ].join('\n'));
  });

  test('messages longer than MAX_MESSAGE are cut with a count', () => {
    assert.equal(clipText('abc', 3), 'abc');
    assert.equal(clipText('abcdef', 3), 'abc... [3 more characters]');
    const d: Diagnostic = { rule: 'syntax', severity: 'error', message: `Bad integer literal '${'9'.repeat(MAX_MESSAGE + 500)}'`, file: 'a.dts' };
    const text = renderText(d);
    assert.equal(text, `a.dts: error: Bad integer literal '${'9'.repeat(MAX_MESSAGE - 21)}... [522 more characters] [syntax]`);
  });
});
