// Suppression comments (src/suppress/inline.ts): read by the preprocessor's own lexer (so a
// `//` in a string is no comment), applied to the findings located in the file they are
// written in (through #include and macro expansion), each rule that silenced nothing
// reported as eslint's --report-unused-disable-directives does; on a corpus board and the
// SoC .dtsi it includes, exactly the directed findings disappear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileFile } from '../../src/compile/compile.js';
import { memoryHost } from '../../src/host.js';
import { sourceComments } from '../../src/preprocessor/index.js';
import { resolveRules } from '../../src/rules/levels.js';
import { findDirectives } from '../../src/suppress/inline.js';
import { inputFindings } from '../../src/suppress/findings.js';
import { linuxDtDir, skipUnless } from '../support/corpus.js';
import { dtkit } from '../cli/support.js';
import { tempDir } from '../input/support.js';

test('comments are what lies between the lexer\'s tokens: none inside strings or character literals', () => {
  const text = 'a = "// not /* a comment */"; // one\nb = \'/\'; /* two\n spans */ c\n';
  assert.deepEqual(sourceComments('x.dts', text).map((c) => c.body), [' one', ' two\n spans ']);
});

test('directives: both comment forms, several rules, a reason after --, the line they cover', () => {
  const text = [
    '/dts-v1/;',                                                        // 1
    '/* dtkit-disable-file unit_address_vs_reg */',                     // 2
    '/ {',                                                              // 3
    '\ts = "// dtkit-disable-next-line schema";',                       // 4
    '\t/*',                                                             // 5
    '\t * dtkit-disable-next-line reg_format, avoid_default_addr_size -- the vendor\'s way', // 6
    '\t */',                                                            // 7
    '\ta@1 { };',                                                       // 8
    '\tb@2 { }; // dtkit-disable-next-line unique_unit_address',        // 9
    '\t// dtkit-disable-next-lines schema (not a directive: another word)', // 10
    '};',
  ].join('\n');
  const ds = findDirectives('board.dts', text);
  assert.deepEqual(ds.map((d) => [d.kind, d.span.line, d.span.column, d.line, d.rules.map((r) => `${r.id}@${r.span.line}:${r.span.column}`)]), [
    ['file', 2, 4, undefined, ['unit_address_vs_reg@2:23']],
    ['next-line', 6, 5, 8, ['reg_format@6:29', 'avoid_default_addr_size@6:41']],
    ['next-line', 9, 14, 10, ['unique_unit_address@9:38']],
  ]);
  // only device-tree sources carry directives
  assert.deepEqual(findDirectives('header.h', '// dtkit-disable-file schema\n'), []);
});

const BOARD = `/dts-v1/;
#include "common.dtsi"
#define MACRO_NODE macro@3 { }
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	// dtkit-disable-next-line unit_address_vs_reg
	board@1 { };
	board@2 { };
	/* dtkit-disable-next-line unit_address_vs_reg, bogus_rule */
	MACRO_NODE;
	// dtkit-disable-next-line unit_address_vs_reg -- nothing to silence on the next line
	ok { };
	// dtkit-disable-next-line syntax
	x { };
	// dtkit-disable-next-line
	y { };
};
`;

const COMMON = `/* dtkit-disable-file avoid_default_addr_size */
/ {
	common@11 { };
	// dtkit-disable-next-line unit_address_vs_reg
	common@12 { };
};
`;

function findings(files: Record<string, string>) {
  const host = memoryHost(files);
  const r = compileFile('board.dts', { host });
  const found = inputFindings(r.diagnostics, r.sources, resolveRules({}).levels);
  return { found, keys: found.diagnostics.map((d) => `${d.span?.file}:${d.span?.line}:${d.span?.column} ${d.severity} [${d.rule}] ${d.node ? `${d.node}: ` : ''}${d.message}`) };
}

test('a directive silences its rules on the next line of its own file, through #include and macro expansion', () => {
  const { found, keys } = findings({ 'board.dts': BOARD, 'common.dtsi': COMMON });
  assert.deepEqual(keys, [
    'board.dts:9:2 warning [unit_address_vs_reg] /board@2: node has a unit name, but no reg or ranges property',
    "board.dts:10:50 error [suppress_invalid] dtkit-disable-next-line names 'bogus_rule', which is no dtkit rule",
    "board.dts:12:29 warning [suppress_unused] unused dtkit-disable-next-line: no 'unit_address_vs_reg' finding on the next line",
    "board.dts:14:29 error [suppress_invalid] dtkit-disable-next-line cannot silence 'syntax': its errors stop the input from loading",
    'board.dts:16:5 error [suppress_invalid] dtkit-disable-next-line names no rule (write the ids it silences: dtkit-disable-next-line RULE[, RULE])',
    'common.dtsi:1:23 warning [suppress_unused] unused dtkit-disable-file: no \'avoid_default_addr_size\' finding in this file',
    'common.dtsi:3:2 warning [unit_address_vs_reg] /common@11: node has a unit name, but no reg or ranges property',
  ]);
  // board@1, macro@3 (its name is in the macro's body: silenced at the invocation's line) and common@12
  assert.equal(found.suppressed, 3);
  // the silenced ones are findings the same tree has without the comments
  const plain = findings({ 'board.dts': BOARD.replace(/dtkit-disable/g, 'nothing'), 'common.dtsi': COMMON.replace(/dtkit-disable/g, 'nothing') });
  assert.deepEqual(plain.keys.filter((k) => k.includes('[unit_address_vs_reg]')).map((k) => k.replace(/^\S+ /, '').replace(/ \[.*\] /, ' ')), [
    'warning /macro@3: node has a unit name, but no reg or ranges property',
    'warning /board@1: node has a unit name, but no reg or ranges property',
    'warning /board@2: node has a unit name, but no reg or ranges property',
    'warning /common@11: node has a unit name, but no reg or ranges property',
    'warning /common@12: node has a unit name, but no reg or ranges property',
  ]);
});

test('a rule switched off leaves its directive unused (as eslint); levels apply to the directives\' own findings', () => {
  const files = { 'board.dts': '/dts-v1/;\n/ {\n\t// dtkit-disable-next-line unit_address_vs_reg\n\ta@1 { };\n};\n' };
  const host = memoryHost(files);
  const r = compileFile('board.dts', { host });
  const off = resolveRules({ warnings: ['no-unit_address_vs_reg'] }).levels;
  assert.deepEqual(inputFindings(r.diagnostics, r.sources, off).diagnostics.map((d) => [d.rule, d.severity]), [['suppress_unused', 'warning']]);
  const quiet = resolveRules({ warnings: ['no-unit_address_vs_reg', 'no-suppress_unused'] }).levels;
  assert.deepEqual(inputFindings(r.diagnostics, r.sources, quiet).diagnostics, []);
  const strict = resolveRules({ errors: ['suppress_unused'], warnings: ['no-unit_address_vs_reg'] }).levels;
  assert.deepEqual(inputFindings(r.diagnostics, r.sources, strict).diagnostics.map((d) => [d.rule, d.severity]), [['suppress_unused', 'error']]);
});

test('compile: a comment hides a finding, never an error that stops dtc writing the tree', () => {
  const dir = tempDir('dtkit-suppress-');
  fs.writeFileSync(path.join(dir, 'dup.dts'), '/dts-v1/;\n/ {\n\t// dtkit-disable-next-line duplicate_node_names\n\ta { }; a { };\n};\n');
  const r = dtkit(['compile', 'dup.dts', '-o', 'dup.dtb'], { cwd: dir });
  assert.deepEqual([r.status, r.stderr], [1, "dup.dts: error: no output: the tree has errors that suppression comments silence (a comment only hides a finding; -E no-RULE switches a check off) [io]\n"]);
  assert.ok(!fs.existsSync(path.join(dir, 'dup.dtb')));
  // a wrong comment fails the run, but the tree is fine: it is written
  fs.writeFileSync(path.join(dir, 'bad.dts'), '/dts-v1/;\n/ {\n\t// dtkit-disable-next-line no_such_rule\n\ta { };\n};\n');
  const bad = dtkit(['compile', 'bad.dts', '-o', 'bad.dtb'], { cwd: dir });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^bad\.dts:3:29: error: dtkit-disable-next-line names 'no_such_rule', which is no dtkit rule \[suppress_invalid\]$/m);
  assert.ok(fs.existsSync(path.join(dir, 'bad.dtb')));
});

/** Inserts `lines` before the given 1-based line numbers of `text` (the original numbering). */
function insertBefore(text: string, at: Record<number, string>): string {
  const lines = text.split('\n');
  return lines.map((l, i) => (at[i + 1] !== undefined ? `${at[i + 1]}\n${l}` : l)).join('\n');
}

test('corpus: directives in a board and in the SoC .dtsi it includes silence exactly their findings', (t) => {
  const why = skipUnless({ corpus: true });
  if (why) return t.skip(why);
  const linux = linuxDtDir()!;
  const qcom = path.join(linux, 'src/arm64/qcom');
  const board = 'sm8650-ayaneo-pocket-s2.dts';
  const includes = ['include', 'src/arm64', 'src'].flatMap((d) => ['-I', path.join(linux, d)]);
  const run = (dir: string) => {
    const r = dtkit(['compile', '--no-detect', '--no-config', ...includes, '-I', qcom, '--format', 'json', '-o', path.join(dir, 'out.dtb'), board], { cwd: dir });
    return (JSON.parse(r.stdout) as { diagnostics: Array<{ rule: string; file: string; line: number; column: number; node: string; message: string }> }).diagnostics;
  };
  const plain = tempDir('dtkit-suppress-corpus-');
  fs.copyFileSync(path.join(qcom, board), path.join(plain, board));
  const before = run(plain);
  const at = (file: string, line: number) => before.filter((f) => path.basename(f.file) === file && f.line === line);
  // what the comments will aim at: two board findings, one SoC finding, a whole rule in the SoC file
  assert.equal(at(board, 1250).length, 1);
  assert.equal(at(board, 1260).length, 1);
  assert.equal(at('sm8650.dtsi', 2029).filter((f) => f.rule === 'unique_unit_address').length, 1);
  const addrSize = before.filter((f) => path.basename(f.file) === 'sm8650.dtsi' && f.rule === 'avoid_unnecessary_addr_size');
  assert.ok(addrSize.length >= 2);

  const dir = tempDir('dtkit-suppress-corpus-');
  fs.writeFileSync(path.join(dir, board), insertBefore(fs.readFileSync(path.join(qcom, board), 'latin1'), {
    1250: '\t/* dtkit-disable-next-line unit_address_vs_reg */',
    1260: '\t// dtkit-disable-next-line unit_address_vs_reg, interrupts_property -- the second silences nothing',
  }));
  fs.writeFileSync(path.join(dir, 'sm8650.dtsi'), insertBefore(fs.readFileSync(path.join(qcom, 'sm8650.dtsi'), 'latin1'), {
    1: '/* dtkit-disable-file avoid_unnecessary_addr_size */',
    2029: '\t\t\t// dtkit-disable-next-line unique_unit_address',
  }));
  const after = run(dir);
  const key = (f: { rule: string; node: string; message: string }) => `${f.rule} ${f.node} ${f.message}`;
  const silenced = [...at(board, 1250), ...at(board, 1260), ...at('sm8650.dtsi', 2029).filter((f) => f.rule === 'unique_unit_address'), ...addrSize];
  const expected = before.filter((f) => !silenced.includes(f)).map(key).sort();
  assert.deepEqual(after.filter((f) => f.rule !== 'suppress_unused').map(key).sort(), expected);
  assert.deepEqual(after.filter((f) => f.rule === 'suppress_unused').map((f) => [path.basename(f.file), f.line, f.column, f.message]), [
    [board, 1261, 50, "unused dtkit-disable-next-line: no 'interrupts_property' finding on the next line"],
  ]);
});
