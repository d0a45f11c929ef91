// Baselines (src/suppress/baseline.ts): findings matched by rule, file (relative to the
// baseline), node, property and message, never by line; per input, so a run of some inputs
// judges only theirs; entries that match nothing are notes and --prune drops them. On corpus
// boards: a recorded baseline makes the next run clean, a shifted file still matches, a new
// finding is reported and a fixed one becomes a note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../../src/report/diagnostic.js';
import type { BaselineEntry } from '../../src/suppress/baseline.js';
import { baselineEntry, fixedNotes, matchBaseline, parseBaseline, prunedBaseline, renderBaseline } from '../../src/suppress/baseline.js';
import { linuxDtDir, skipUnless } from '../support/corpus.js';
import { dtkit } from '../cli/support.js';
import { tempDir, writeTree } from '../input/support.js';

const d = (rule: string, file: string, line: number, node?: string, message = 'm', property?: string): Diagnostic =>
  ({ rule, severity: 'warning', message, node, property, span: { file, line, column: 1, length: 0 } });

test('an entry: paths relative to the baseline file, no line; the text sorted, one entry a line, read back the same', () => {
  assert.deepEqual(baselineEntry(d('schema', 'boards/a.dts', 12, '/soc', 'x', 'reg'), 'ci/baseline.json'),
    { rule: 'schema', file: '../boards/a.dts', node: '/soc', property: 'reg', message: 'x' });
  assert.deepEqual(baselineEntry({ rule: 'io', severity: 'error', message: 'gone', file: '<stdin>' }, 'b.json'),
    { rule: 'io', file: '<stdin>', node: null, property: null, message: 'gone' });
  const inputs = new Map<string, BaselineEntry[]>([
    ['z.dts', [{ rule: 'b', file: 'z.dts', node: '/b', property: null, message: 'm' }, { rule: 'a', file: 'z.dts', node: '/a', property: null, message: 'm' }]],
    ['a.dts', [{ rule: 'r', file: 'common.dtsi', node: null, property: null, message: 'q"uote' }]],
    ['empty.dts', []],
  ]);
  const text = renderBaseline(inputs);
  assert.equal(text, `{
  "dtkit-baseline": 1,
  "inputs": {
    "a.dts": [
      {"rule":"r","file":"common.dtsi","node":null,"property":null,"message":"q\\"uote"}
    ],
    "z.dts": [
      {"rule":"a","file":"z.dts","node":"/a","property":null,"message":"m"},
      {"rule":"b","file":"z.dts","node":"/b","property":null,"message":"m"}
    ]
  }
}
`);
  const back = parseBaseline(text, 'b.json').baseline!;
  assert.equal(renderBaseline(back.inputs), text);
  assert.equal(renderBaseline(new Map()), '{\n  "dtkit-baseline": 1,\n  "inputs": {}\n}\n');
});

test('matching: not by line, each entry once, per input; the rest are fixed notes; prune keeps other inputs', () => {
  const findings = [d('w', 'a.dts', 3, '/x'), d('w', 'a.dts', 9, '/x'), d('w', 'common.dtsi', 1, '/y')];
  const entries = new Map<string, BaselineEntry[]>([
    ['a.dts', [...findings.slice(0, 1), findings[2], d('gone', 'a.dts', 5, '/z')].map((f) => baselineEntry(f, 'b.json'))],
    ['other.dts', [baselineEntry(d('w', 'other.dts', 1, '/o'), 'b.json')]],
  ]);
  const baseline = parseBaseline(renderBaseline(entries), 'b.json').baseline!;
  // the same findings on other lines: matched; the second /x is new (the baseline had one)
  const moved = [d('w', 'a.dts', 30, '/x'), d('w', 'a.dts', 90, '/x'), d('w', 'common.dtsi', 7, '/y')];
  const m = matchBaseline('a.dts', moved, baseline);
  assert.deepEqual(m.kept, [moved[1]]);
  assert.equal(m.matched, 2);
  assert.deepEqual(m.fixed.map((e) => e.rule), ['gone']);
  assert.deepEqual(fixedNotes(m, baseline).map((n) => [n.rule, n.severity, n.file, n.message]), [
    ['baseline_fixed', 'info', 'b.json', "baseline entry of 'a.dts' matches no finding (fixed? --prune removes it): [gone] a.dts /z: m"],
  ]);
  // a changed message or node is a new finding
  assert.equal(matchBaseline('a.dts', [d('w', 'a.dts', 3, '/x', 'changed')], baseline).kept.length, 1);
  // an input the baseline does not have: everything is new, nothing fixed
  assert.deepEqual(matchBaseline('new.dts', moved, baseline).fixed, []);
  const pruned = prunedBaseline(baseline, [m]);
  assert.deepEqual([...pruned.keys()], ['a.dts', 'other.dts']);
  assert.deepEqual(pruned.get('a.dts')!.map((e) => e.rule), ['w', 'w']);
  assert.equal(pruned.get('other.dts')!.length, 1);
});

test('a file that is not a baseline is an error that says so', () => {
  const bad = (text: string) => parseBaseline(text, 'b.json').diagnostics.map((x) => x.message);
  assert.match(bad('{')[0], /^not a dtkit baseline: /);
  assert.deepEqual(bad('{"inputs": {}}'), ['not a dtkit baseline (expected {"dtkit-baseline": 1, "inputs": {...}}; write one with --write-baseline)']);
  assert.deepEqual(bad('{"dtkit-baseline": 1, "inputs": {"a.dts": [{"rule": 1}]}}'), ['the entries of input "a.dts" are not a list of {rule, file, node, property, message}']);
  const dir = tempDir('dtkit-baseline-');
  writeTree(dir, { 'b.json': '[]', 'x.dts': '/dts-v1/;\n/ { };\n' });
  const r = dtkit(['compile', '--baseline', 'b.json', 'x.dts', '-o', 'x.dtb'], { cwd: dir });
  assert.deepEqual([r.status, r.stderr], [2, 'b.json: error: not a dtkit baseline (expected {"dtkit-baseline": 1, "inputs": {...}}; write one with --write-baseline) [baseline]\n']);
  const prune = dtkit(['compile', '--prune', 'x.dts', '-o', 'x.dtb'], { cwd: dir });
  assert.deepEqual([prune.status, prune.stderr], [2, 'dtkit: error: --prune goes with --baseline FILE\n']);
});

test('corpus: record, then only new findings fail; a shifted file still matches; fixed entries are notes, --prune drops them', (t) => {
  const why = skipUnless({ corpus: true });
  if (why) return t.skip(why);
  const linux = linuxDtDir()!;
  const qcom = path.join(linux, 'src/arm64/qcom');
  const dir = tempDir('dtkit-baseline-corpus-');
  const boards = ['sm8650-ayaneo-pocket-s2.dts', 'msm8916-longcheer-l8910.dts'];
  for (const b of boards) fs.copyFileSync(path.join(qcom, b), path.join(dir, b));
  const includes = [...['include', 'src/arm64', 'src'].flatMap((x) => ['-I', path.join(linux, x)]), '-I', qcom];
  const compile = (...extra: string[]) => dtkit(['compile', '--no-detect', '--no-config', ...includes, '--out-dir', 'out', ...extra, ...boards], { cwd: dir });

  const first = compile();
  assert.equal(first.status, 0, first.stderr);
  const warnings = (first.stderr.match(/: warning: /g) ?? []).length;
  assert.ok(warnings > 10, first.stderr);
  const written = compile('--write-baseline', 'ci/baseline.json');
  assert.ok(!fs.existsSync(path.join(dir, 'ci')), 'no such folder: nothing written');
  assert.equal(written.status, 1);
  fs.mkdirSync(path.join(dir, 'ci'));
  const recorded = compile('--write-baseline', 'ci/baseline.json');
  assert.deepEqual([recorded.status, recorded.stderr], [0, `2 inputs, 0 errors, 0 warnings (${warnings} findings written to the baseline)\n`]);
  const text = fs.readFileSync(path.join(dir, 'ci/baseline.json'), 'utf8');
  assert.match(text, /^ {4}"\.\.\/sm8650-ayaneo-pocket-s2\.dts": \[$/m);

  const clean = compile('--baseline', 'ci/baseline.json', '--max-warnings', '0');
  assert.deepEqual([clean.status, clean.stderr], [0, `2 inputs, 0 errors, 0 warnings (${warnings} in the baseline)\n`]);

  // three lines added at the top shift every finding in the board: still the same findings
  const board = path.join(dir, boards[0]);
  const original = fs.readFileSync(board, 'latin1');
  fs.writeFileSync(board, `// a comment\n// another\n\n${original}`);
  assert.deepEqual(compile('--baseline', 'ci/baseline.json').stderr, clean.stderr);

  // a new finding fails the run; the node it replaced is a fixed entry
  const lines = original.split('\n');
  const at = 1249;
  assert.match(lines[at], /lost_reg_mem: lost-reg-mem \{/);
  lines[at] = lines[at].replace('lost-reg-mem {', 'lost-reg-mem-new {');
  fs.writeFileSync(board, lines.join('\n'));
  const changed = compile('--baseline', 'ci/baseline.json', '--max-warnings', '0');
  assert.equal(changed.status, 1, changed.stderr);
  assert.match(changed.stderr, /^sm8650-ayaneo-pocket-s2\.dts:1250:16: warning: \/reserved-memory\/lost-reg-mem-new: node has a reg or ranges property, but no unit name \[unit_address_vs_reg\]$/m);
  assert.match(changed.stderr, /^ci\/baseline\.json: info: baseline entry of '\.\.\/sm8650-ayaneo-pocket-s2\.dts' matches no finding \(fixed\? --prune removes it\): \[unit_address_vs_reg\] \.\.\/sm8650-ayaneo-pocket-s2\.dts \/reserved-memory\/lost-reg-mem: node has a reg or ranges property, but no unit name \[baseline_fixed\]$/m);
  assert.match(changed.stderr, /^2 inputs, 0 errors, 1 warning, 1 info \(\d+ in the baseline\)\ndtkit: error: 1 warning, more than --max-warnings 0 allows\n$/m);

  // --prune drops the fixed entry and keeps the other board's, which this run did not judge
  const pruned = dtkit(['compile', '--no-detect', '--no-config', ...includes, '--out-dir', 'out', '--baseline', 'ci/baseline.json', '--prune', boards[0]], { cwd: dir });
  assert.equal(pruned.status, 0, pruned.stderr);
  const after = parseBaseline(fs.readFileSync(path.join(dir, 'ci/baseline.json'), 'utf8'), 'ci/baseline.json').baseline!;
  const before = parseBaseline(text, 'ci/baseline.json').baseline!;
  assert.equal(after.inputs.get(`../${boards[0]}`)!.length, before.inputs.get(`../${boards[0]}`)!.length - 1);
  assert.deepEqual(after.inputs.get(`../${boards[1]}`), before.inputs.get(`../${boards[1]}`));
  assert.doesNotMatch(compile('--baseline', 'ci/baseline.json').stderr, /info: baseline entry/);
});
