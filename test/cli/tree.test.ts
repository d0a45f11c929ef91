// Whole trees (§6 of issue 11): files, folders and globs (expanded by dtkit, in a stable
// order); --jobs over worker threads with output byte-identical whatever N; --shard I/N
// whose parts are exactly the whole; the progress line only on a terminal; the closing
// summary and --timings; the exit policy (errors fail, warnings only past --max-warnings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expandInputs, parseShard, shardOf } from '../../src/input/expand.js';
import { Progress } from '../../src/cli/progress.js';
import { linuxDtDir, skipUnless } from '../support/corpus.js';
import { inFolder, tempDir, writeTree } from '../input/support.js';
import { dtkit } from './support.js';

const DTS = { accept: /\.dts$/, what: '.dts' };

function tree(): string {
  const root = tempDir('dtkit-tree-');
  writeTree(root, {
    'b/z.dts': '', 'b/a.dts': '', 'b/sub/m.dts': '', 'b/sub/m.dtsi': '', 'b/.git/x.dts': '', 'b/notes.txt': '',
    'c/one.dts': '', 'c/two.dtb': '', 'c/[x].dts': '', 'empty/': '',
  });
  fs.symlinkSync('sub', path.join(root, 'b/loop'));
  return root;
}

test('folders: every input file below, sorted, hidden folders and links to folders skipped; each input once', () => {
  const root = tree();
  inFolder(root, () => {
    const r = expandInputs(['b', 'c/one.dts', 'b/a.dts', 'missing.dts', '-'], DTS);
    assert.deepEqual(r.inputs, [
      { input: 'b/a.dts', base: 'b' }, { input: 'b/sub/m.dts', base: 'b' }, { input: 'b/z.dts', base: 'b' },
      { input: 'c/one.dts' }, { input: 'missing.dts' }, { input: '-' },
    ]);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(expandInputs(['c'], { accept: /\.dt[sb]$/, what: '.dts or .dtb' }).inputs.map((i) => i.input), ['c/[x].dts', 'c/one.dts', 'c/two.dtb']);
    assert.deepEqual(expandInputs(['empty'], DTS).problems, ["no .dts files in the folder 'empty'"]);
  });
});

test('globs, expanded by dtkit (quoted in a shell): *, ?, [..], {a,b}, **; a file named like a glob is itself', () => {
  const root = tree();
  inFolder(root, () => {
    const inputs = (...args: string[]) => expandInputs(args, DTS).inputs.map((i) => i.input);
    assert.deepEqual(inputs('b/*.dts'), ['b/a.dts', 'b/z.dts']);
    assert.deepEqual(inputs('b/?.dts'), ['b/a.dts', 'b/z.dts']);
    assert.deepEqual(inputs('b/[a-m].dts'), ['b/a.dts']);
    assert.deepEqual(inputs('b/{z,a}.dts'), ['b/a.dts', 'b/z.dts']);
    assert.deepEqual(inputs('b/**/*.dts'), ['b/a.dts', 'b/sub/m.dts', 'b/z.dts']);
    assert.deepEqual(inputs('**/m.dts*'), ['b/sub/m.dts', 'b/sub/m.dtsi']);
    assert.deepEqual(inputs('c/[x].dts'), ['c/[x].dts']);
    assert.deepEqual(inputs(path.join(root, 'c/*.dts')), [path.join(root, 'c/[x].dts'), path.join(root, 'c/one.dts')]);
    assert.deepEqual(expandInputs(['nope/*.dts'], DTS).problems, ["no input matches 'nope/*.dts'"]);
    assert.equal(expandInputs(['b/*.dts'], DTS).inputs[0].base, 'b');
  });
});

test('--shard I/N: every N-th input from the I-th; the N shards are the whole, each input once', () => {
  assert.deepEqual(parseShard('2/3'), { index: 2, count: 3 });
  for (const bad of ['0/3', '4/3', '1/0', 'x', '1/2/3', '-1/2']) assert.equal(parseShard(bad), undefined, bad);
  const all = Array.from({ length: 11 }, (_, i) => i);
  const parts = [1, 2, 3].map((index) => shardOf(all, { index, count: 3 }));
  assert.deepEqual(parts, [[0, 3, 6, 9], [1, 4, 7, 10], [2, 5, 8]]);
  assert.deepEqual(parts.flat().sort((a, b) => a - b), all);
  const r = dtkit(['validate', '--shard', '3/2', 'x.dts']);
  assert.deepEqual([r.status, r.stderr], [2, "dtkit: error: bad --shard '3/2' (I/N with 1 <= I <= N, e.g. 2/4)\n"]);
});

test('the progress line: on a terminal, redrawn in place, erased at the end; nothing when not a terminal', () => {
  let out = '';
  const p = new Progress(3, { write: (t) => (out += t), isTTY: true, columns: 40 });
  p.started('boards/a-very-long-folder-name/and-a-long-board-name.dts');
  p.finished();
  p.started('b.dts');
  p.finished();
  p.finished();
  p.clear();
  assert.match(out, /^\r\x1b\[K\[0\/3\] 0:00 \.\.\.[\w/-]*board-name\.dts\r/);
  assert.match(out, /\r\x1b\[K\[3\/3\] 0:00 b\.dts\r\x1b\[K$/);
  assert.ok(out.split('\r').every((l) => l.replace('\x1b[K', '').length <= 40), JSON.stringify(out));
  let none = '';
  const q = new Progress(3, { write: (t) => (none += t), isTTY: false });
  q.started('a.dts');
  q.finished();
  q.clear();
  assert.equal(none, '');
});

test('summary, --timings and the exit policy: errors fail, warnings only past --max-warnings', () => {
  const dir = tempDir('dtkit-tree-');
  writeTree(dir, {
    'boards/warn.dts': '/dts-v1/;\n/ {\n\tnode@1 { };\n};\n',
    'boards/clean.dts': '/dts-v1/;\n/ { };\n',
    'bad/broken.dts': '/dts-v1/;\n/ {\n',
  });
  const run = (...args: string[]) => dtkit(['compile', '--no-config', '--out-dir', 'out', ...args], { cwd: dir });
  const ok = run('boards');
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stderr, /\[unit_address_vs_reg\]\n.*\n.*\^~~~~~\n2 inputs, 0 errors, 1 warning\n$/);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'out')).sort(), ['clean.dtb', 'warn.dtb']);
  assert.equal(run('boards', '--max-warnings', '1').status, 0);
  const strict = run('boards', '--max-warnings', '0');
  assert.equal(strict.status, 1);
  assert.match(strict.stderr, /\n2 inputs, 0 errors, 1 warning\ndtkit: error: 1 warning, more than --max-warnings 0 allows\n$/);
  const timed = run('boards', '--timings');
  assert.match(timed.stderr, /\n2 inputs, 0 errors, 1 warning\nslowest inputs:\n {2}[ \d]{4}\.\d\d s {2}boards\/(warn|clean)\.dts\n {2}[ \d]{4}\.\d\d s {2}boards\/(warn|clean)\.dts\n$/);
  const failed = run('boards', 'bad');
  assert.equal(failed.status, 1);
  assert.match(failed.stderr, /\n3 inputs, 1 error, 1 warning\ndtkit: error: 1 of 3 inputs failed\n$/);
  assert.equal(run('boards', '--max-warnings', 'many').stderr, "dtkit: error: bad --max-warnings 'many' (a whole number)\n");
  // the exit policy is in the help
  const help = dtkit(['validate', '--help']).stdout.replace(/\s+/g, ' ');
  assert.match(help, /Exit status: 0 when there is no error \(warnings do not fail a run unless --max-warnings N is exceeded\), 1 on any error or too many warnings, 2 on a usage or config file error\./);
  assert.match(dtkit(['compile', '--help']).stdout.replace(/\s+/g, ' '), /--max-warnings <n> exit 1 when there are more than N warnings/);
});

test('compile of a folder mirrors it under --out-dir; two inputs writing one output are refused', () => {
  const dir = tempDir('dtkit-tree-');
  writeTree(dir, { 'src/x/a.dts': '/dts-v1/;\n/ { };\n', 'src/y/a.dts': '/dts-v1/;\n/ { };\n' });
  const r = dtkit(['compile', '--no-config', '--out-dir', 'out', 'src'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(fs.existsSync(path.join(dir, 'out/x/a.dtb')) && fs.existsSync(path.join(dir, 'out/y/a.dtb')));
  const clash = dtkit(['compile', '--no-config', '--out-dir', 'out2', 'src/x/a.dts', 'src/y/a.dts'], { cwd: dir });
  assert.deepEqual([clash.status, clash.stderr], [2, "dtkit: error: 'src/x/a.dts' and 'src/y/a.dts' would both be written to 'out2/a.dtb'\n"]);
});

/** Findings of a JSON report, as comparable lines. */
function keys(out: string): string[] {
  return (JSON.parse(out) as { diagnostics: Array<Record<string, unknown>> }).diagnostics
    .map((d) => JSON.stringify([d.rule, d.level, d.file, d.line, d.column, d.node, d.message]));
}

test('corpus: validate over worker threads is byte-identical whatever --jobs; shards are exactly the whole; no progress line in a pipe', (t) => {
  const why = skipUnless({ corpus: true });
  if (why) return t.skip(why);
  const linux = linuxDtDir()!;
  const cache = tempDir('dtkit-cache-');
  // six boards of three SoC families, by a quoted glob and a file
  const args = ['--no-config', '--cache-dir', cache, 'src/arm64/qcom/sm8550-*.dts', 'src/arm64/qcom/qcs404-evb-1000.dts'];
  const one = dtkit(['validate', '-j', '1', ...args], { cwd: linux });
  const two = dtkit(['validate', '-j', '2', ...args], { cwd: linux });
  assert.equal(one.status, two.status);
  assert.ok(one.stdout.length > 1000, one.stderr);
  assert.equal(two.stdout, one.stdout);
  assert.equal(two.stderr, one.stderr);
  assert.doesNotMatch(one.stderr, /\r|\x1b\[K/);
  assert.match(one.stdout, /\n\d+ inputs, \d+ errors?, \d+ warnings?\n$/);
  // input by input in the order given, each input's findings in position order
  const inputs = [...one.stdout.matchAll(/^src\/arm64\/qcom\/([\w-]+)\.dts:\d+:\d+: /gm)].map((m) => m[1]);
  assert.ok(inputs.length > 10);
  const json = dtkit(['validate', '-j', '2', '--format', 'json', ...args], { cwd: linux });
  const shards = [1, 2].map((i) => dtkit(['validate', '-j', '2', '--format', 'json', '--shard', `${i}/2`, ...args], { cwd: linux }));
  const whole = keys(json.stdout).filter((k) => !k.startsWith('["schema-load"'));
  const parts = shards.flatMap((s) => keys(s.stdout)).filter((k) => !k.startsWith('["schema-load"'));
  assert.deepEqual([...parts].sort(), [...whole].sort());
  // 6 inputs: 3 and 3, none twice
  assert.deepEqual(shards.map((s) => (JSON.parse(s.stdout) as { summary: { inputs: number } }).summary.inputs), [3, 3]);
});

test('corpus: compile of a folder over worker threads gives the same files and report whatever --jobs', (t) => {
  const why = skipUnless({ corpus: true });
  if (why) return t.skip(why);
  const linux = linuxDtDir()!;
  const dir = tempDir('dtkit-tree-compile-');
  for (const b of ['sm8650-hdk.dts', 'sm8650-mtp.dts', 'sm8650-qrd.dts', 'msm8916-mtp.dts']) fs.copyFileSync(path.join(linux, 'src/arm64/qcom', b), path.join(dir, b));
  const inc = [...['include', 'src/arm64', 'src'].flatMap((x) => ['-I', path.join(linux, x)]), '-I', path.join(linux, 'src/arm64/qcom')];
  const run = (jobs: string, out: string) => dtkit(['compile', '--no-config', '--no-detect', ...inc, '-j', jobs, '--out-dir', out, '.'], { cwd: dir });
  const a = run('1', path.join(dir, 'o1'));
  const b = run('2', path.join(dir, 'o2'));
  assert.equal(a.status, 0, a.stderr);
  assert.equal(b.stderr, a.stderr);
  assert.match(a.stderr, /\n4 inputs, 0 errors, \d+ warnings\n$/);
  const files = fs.readdirSync(path.join(dir, 'o1')).sort();
  assert.deepEqual(files, ['msm8916-mtp.dtb', 'sm8650-hdk.dtb', 'sm8650-mtp.dtb', 'sm8650-qrd.dtb']);
  for (const f of files) assert.ok(fs.readFileSync(path.join(dir, 'o1', f)).equals(fs.readFileSync(path.join(dir, 'o2', f))), f);
});
