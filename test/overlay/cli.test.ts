// `dtkit apply`: one test per failure kind (message, exit code, no output file left), the
// success path from blobs and from sources, and usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ApplyIo } from '../../src/cli/apply.js';
import { applyProcessIo, runApply } from '../../src/cli/apply.js';
import { main } from '../../src/cli/main.js';
import { BASE, CONFLICT, OVERLAY } from './fixtures.js';
import { compileDts } from './support.js';

interface Run {
  code: number;
  err: string;
  out: string;
  dir: string;
  output: string;
}

function workdir(files: Record<string, string | Uint8Array>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-apply-'));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

async function run(files: Record<string, string | Uint8Array>, base: string, overlays: string[], extra: { strict?: boolean; format?: 'text' | 'json'; compileWarnings?: boolean } = {}): Promise<Run> {
  const dir = workdir(files);
  let err = '', out = '';
  const io: ApplyIo = { ...applyProcessIo, err: (t) => (err += t), out: (t) => (out += t) };
  const output = path.join(dir, 'out.dtb');
  const code = await runApply(path.join(dir, base), overlays.map((o) => path.join(dir, o)), { output, include: [], format: extra.format ?? 'text', strict: extra.strict, compileWarnings: extra.compileWarnings }, io);
  return { code, err: err.split(dir + path.sep).join(''), out, dir, output };
}

/** The directory holds exactly the inputs: no output, no temp file. */
function assertNothingWritten(r: Run, inputs: string[]): void {
  assert.equal(fs.existsSync(r.output), false, 'no output file');
  assert.deepEqual(fs.readdirSync(r.dir).sort(), [...inputs].sort(), 'no stray temp file');
}

const baseDtb = () => compileDts(BASE, 'base.dts').bytes;

test('success: blobs in, composite out, exit 0, nothing on stderr', async () => {
  const r = await run({ 'base.dtb': baseDtb(), 'ov.dtbo': compileDts(OVERLAY, 'ov.dtso').bytes }, 'base.dtb', ['ov.dtbo']);
  assert.equal(r.err, '');
  assert.equal(r.code, 0);
  assert.ok(fs.statSync(r.output).size > 0);
});

test('success from sources: .dts base compiled with -@, .dtso overlay compiled here', async () => {
  const r = await run({ 'base.dts': BASE, 'ov.dtso': OVERLAY }, 'base.dts', ['ov.dtso']);
  assert.equal(r.code, 0, r.err);
  const fromBlobs = await run({ 'base.dtb': baseDtb(), 'ov.dtbo': compileDts(OVERLAY, 'ov.dtso').bytes }, 'base.dtb', ['ov.dtbo']);
  assert.deepEqual(fs.readFileSync(r.output), fs.readFileSync(fromBlobs.output));
});

test('failure: base without -@', async () => {
  const r = await run({ 'base.dtb': compileDts(BASE, 'base.dts', { symbols: false }).bytes, 'ov.dtbo': compileDts(OVERLAY, 'ov.dtso').bytes }, 'base.dtb', ['ov.dtbo']);
  assert.equal(r.code, 1);
  assert.equal(r.err, 'base.dtb: error: base has no __symbols__; compile it with -@ [overlay_no_symbols]\nnote: ov.dtbo refers to base labels uart, cfg, pinctrl\n');
  assertNothingWritten(r, ['base.dtb', 'ov.dtbo']);
});

test('failure: unknown label, located in the .dtso with an excerpt', async () => {
  const r = await run({ 'base.dts': BASE, 'ov.dtso': '/dts-v1/;\n/plugin/;\n&uart {\n\tpinctrl-0 = <&cgf>;\n};\n' }, 'base.dts', ['ov.dtso']);
  assert.equal(r.code, 1);
  assert.equal(
    r.err,
    'ov.dtso:4:15: error: /fragment@0/__overlay__:pinctrl-0: label "cgf" (cell at byte 0) is not defined in the base: no /__symbols__/cgf [overlay_unknown_label]\n' +
      '  \tpinctrl-0 = <&cgf>;\n  \t             ^~~~\nnote: did you mean "cfg"?\n',
  );
  assertNothingWritten(r, ['base.dts', 'ov.dtso']);
});

test('failure: target path missing in the base', async () => {
  const r = await run({ 'base.dts': BASE, 'ov.dtso': '/dts-v1/;\n/plugin/;\n&{/soc@0/nothere} { x = <1>; };\n' }, 'base.dts', ['ov.dtso']);
  assert.equal(r.code, 1);
  assert.match(r.err, /^ov\.dtso:3:1: error: \/fragment@0:target-path: fragment target-path "\/soc@0\/nothere" is not a node of the base \[overlay_target_missing\]\n/);
  assertNothingWritten(r, ['base.dts', 'ov.dtso']);
});

test('failure: malformed fixup entry', async () => {
  const bad = compileDts('/dts-v1/;\n/ {\n\tfragment@0 { target-path = "/"; __overlay__ { p = <0xffffffff>; }; };\n\t__fixups__ { uart = "/fragment@0/__overlay__:p:x"; };\n};\n', 'bad.dts', { symbols: false });
  const r = await run({ 'base.dtb': baseDtb(), 'bad.dtbo': bad.bytes }, 'base.dtb', ['bad.dtbo']);
  assert.equal(r.code, 1);
  assert.equal(r.err, 'bad.dtbo: error: /__fixups__:uart: malformed __fixups__ property "uart": entry "/fragment@0/__overlay__:p:x" has offset "x", not a decimal number [overlay_bad_fixup]\n');
  assertNothingWritten(r, ['base.dtb', 'bad.dtbo']);
});

test('failure: conflicting phandle with --strict (a warning without it)', async () => {
  const conflict = CONFLICT;
  const strict = await run({ 'base.dts': BASE, 'ov.dtso': conflict }, 'base.dts', ['ov.dtso'], { strict: true });
  assert.equal(strict.code, 1);
  assert.match(strict.err, /^ov\.dtso:4:8: error: \/fragment@0\/__overlay__\/cfg-state:phandle: overlay node \/fragment@0\/__overlay__\/cfg-state changes the phandle of base node \/soc@0\/pinctrl@200\/cfg-state/);
  assertNothingWritten(strict, ['base.dts', 'ov.dtso']);
  const lax = await run({ 'base.dts': BASE, 'ov.dtso': conflict }, 'base.dts', ['ov.dtso']);
  assert.equal(lax.code, 0);
  assert.match(lax.err, /^ov\.dtso:4:8: warning: /);
});

test('failure: not a blob', async () => {
  const r = await run({ 'base.dtb': baseDtb(), 'ov.dtbo': 'this is text' }, 'base.dtb', ['ov.dtbo']);
  assert.equal(r.code, 1);
  assert.equal(r.err, 'ov.dtbo: error: bad magic 0x74686973 at offset 0x0 (a DTB starts with 0xd00dfeed) [fdt]\n');
  assertNothingWritten(r, ['base.dtb', 'ov.dtbo']);
});

test('failure: an overlay source that does not compile stops before applying', async () => {
  const r = await run({ 'base.dts': BASE, 'ov.dtso': '/dts-v1/;\n/plugin/;\n&uart { status = ; };\n' }, 'base.dts', ['ov.dtso']);
  assert.equal(r.code, 1);
  assert.match(r.err, /^ov\.dtso:3:/m);
  assertNothingWritten(r, ['base.dts', 'ov.dtso']);
});

test('failure leaves an existing output file as it was', async () => {
  const dir = workdir({ 'base.dtb': compileDts(BASE, 'base.dts', { symbols: false }).bytes, 'ov.dtbo': compileDts(OVERLAY, 'ov.dtso').bytes, 'out.dtb': 'previous' });
  const io: ApplyIo = { ...applyProcessIo, err: () => undefined };
  const code = await runApply(path.join(dir, 'base.dtb'), [path.join(dir, 'ov.dtbo')], { output: path.join(dir, 'out.dtb'), include: [], format: 'text' }, io);
  assert.equal(code, 1);
  assert.equal(fs.readFileSync(path.join(dir, 'out.dtb'), 'latin1'), 'previous');
});

test('failure: a missing input file', async () => {
  const r = await run({ 'base.dtb': baseDtb() }, 'base.dtb', ['gone.dtbo']);
  assert.equal(r.code, 1);
  assert.equal(r.err, "dtkit: error: cannot read 'gone.dtbo': no such file [io]\n");
  assertNothingWritten(r, ['base.dtb']);
});

test("the inputs' compile warnings show only when asked for", async () => {
  const noisy = BASE.replace('reg = <0x100 0x10>;', 'reg = <0x100>;');
  const quiet = await run({ 'base.dts': noisy, 'ov.dtso': OVERLAY }, 'base.dts', ['ov.dtso']);
  assert.equal(quiet.code, 0);
  assert.equal(quiet.err, '');
  const loud = await run({ 'base.dts': noisy, 'ov.dtso': OVERLAY }, 'base.dts', ['ov.dtso'], { compileWarnings: true });
  assert.equal(loud.code, 0);
  assert.match(loud.err, /^base\.dts:11:22: warning: .*\[reg_format\]$/m);
});

test('--format json reports findings as records', async () => {
  const r = await run({ 'base.dtb': compileDts(BASE, 'base.dts', { symbols: false }).bytes, 'ov.dtbo': compileDts(OVERLAY, 'ov.dtso').bytes }, 'base.dtb', ['ov.dtbo'], { format: 'json' });
  assert.equal(r.code, 1);
  const records = (JSON.parse(r.out) as { diagnostics: { rule: string; message: string; level: string }[] }).diagnostics;
  assert.deepEqual(records.map((x) => [x.rule, x.level, x.message]), [['overlay_no_symbols', 'error', 'base has no __symbols__; compile it with -@']]);
});

test('usage: a missing -o is a usage error (exit 2)', async () => {
  const write = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    assert.equal(await main(['apply', 'base.dtb', 'ov.dtbo']), 2);
    assert.equal(await main(['apply', 'base.dtb', '-o', 'x.dtb']), 2);
  } finally {
    process.stderr.write = write;
  }
});
