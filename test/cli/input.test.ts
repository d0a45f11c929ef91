// The input rules on the command line: `-` is standard input for every command that takes
// one input, dtc's `-I FORMAT` / `-O FORMAT` / `-i DIR` spelling, and a swapped base and
// overlay warned about by every command that takes both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BASE, OVERLAY } from '../overlay/fixtures.js';
import { compileDts } from '../overlay/support.js';
import { tempDir } from '../input/support.js';
import { fixturesDir } from '../qcom/support.js';
import { dtkit } from './support.js';

const BOARD = '/dts-v1/;\n/include/ "part.dtsi"\n/ {\n\tcompatible = "acme,board";\n\tmodel = "acme";\n};\n';

function workdir(): string {
  const dir = tempDir('dtkit-cli-input-');
  fs.mkdirSync(path.join(dir, 'parts'));
  fs.writeFileSync(path.join(dir, 'parts', 'part.dtsi'), '/ { part = <7>; };\n');
  fs.writeFileSync(path.join(dir, 'board.dts'), BOARD);
  fs.writeFileSync(path.join(dir, 'base.dtb'), compileDts(BASE, 'base.dts').bytes);
  fs.writeFileSync(path.join(dir, 'ov.dtbo'), compileDts(OVERLAY, 'ov.dtso').bytes);
  return dir;
}

test("dtc's spelling: -I dts -O dtb -i DIR; -I dtb is a folder when one of that name exists", () => {
  const dir = workdir();
  const dtc = dtkit(['compile', '-I', 'dts', '-O', 'dtb', '-i', 'parts', '-o', 'b.dtb', 'board.dts'], { cwd: dir });
  assert.equal(dtc.status, 0, dtc.stderr);
  const back = dtkit(['compile', '-I', 'dtb', '-O', 'dts', 'b.dtb'], { cwd: dir });
  assert.match(back.stdout, /part = <0x07>;/);
  const wrong = dtkit(['compile', '-I', 'dts', 'b.dtb'], { cwd: dir });
  assert.deepEqual([wrong.status, wrong.stderr], [1, "dtkit: error: 'b.dtb' is a DTB (it starts with the FDT magic 0xd00dfeed), not DTS source [io]\n"]);
  const both = dtkit(['compile', '-I', 'dts', '-I', 'dtb', 'b.dtb'], { cwd: dir });
  assert.deepEqual([both.status, both.stderr], [2, 'dtkit: error: -I dts and -I dtb contradict each other\n']);
  // a folder named dtb: -I dtb is that folder (the input format is read from the file anyway)
  fs.mkdirSync(path.join(dir, 'dtb'));
  fs.writeFileSync(path.join(dir, 'dtb', 'part.dtsi'), '/ { part = <9>; };\n');
  const folder = dtkit(['compile', '-I', 'dtb', '-O', 'dts', 'board.dts'], { cwd: dir });
  assert.match(folder.stdout, /part = <0x09>;/, folder.stderr);
  const yaml = dtkit(['compile', '-O', 'yaml', 'board.dts'], { cwd: dir });
  assert.deepEqual([yaml.status, yaml.stderr], [2, "dtkit: error: option '-O, --out-format <format>' argument 'yaml' is invalid. Allowed choices are dtb, dts.\n"]);
});

test('- is standard input for compile, decompile, validate, apply, overlay and devmem', () => {
  const dir = workdir();
  const dts = fs.readFileSync(path.join(dir, 'board.dts'));
  const dtb = fs.readFileSync(path.join(dir, 'base.dtb'));
  const compiled = dtkit(['compile', '-i', 'parts', '-O', 'dts', '-'], { cwd: dir, input: dts });
  assert.deepEqual([compiled.status, compiled.stderr], [0, '']);
  assert.match(compiled.stdout, /part = <0x07>;/);
  const decompiled = dtkit(['decompile', '-'], { cwd: dir, input: dtb });
  assert.equal(decompiled.stdout, dtkit(['decompile', 'base.dtb'], { cwd: dir }).stdout);
  const validated = dtkit(['validate', '--no-cache', '--format', 'json', '-i', 'parts', '-'], { cwd: dir, input: dts });
  const report = JSON.parse(validated.stdout) as { summary: { inputs: number }; diagnostics: Array<{ rule: string; file: string }> };
  assert.equal(report.summary.inputs, 1);
  assert.ok(report.diagnostics.length > 0 && report.diagnostics.every((f) => ['<stdin>', 'parts/part.dtsi'].includes(f.file) && !['io', 'syntax', 'preprocessor'].includes(f.rule)), validated.stdout);
  const applied = dtkit(['apply', '-', 'ov.dtbo', '-o', 'out.dtb'], { cwd: dir, input: dtb });
  assert.deepEqual([applied.status, applied.stderr], [0, '']);
  assert.equal(dtkit(['apply', 'base.dtb', 'ov.dtbo', '-o', 'out2.dtb'], { cwd: dir }).status, 0);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'out.dtb')), fs.readFileSync(path.join(dir, 'out2.dtb')));
  const twice = dtkit(['apply', '-', '-', '-o', 'x.dtb'], { cwd: dir, input: dtb });
  assert.deepEqual([twice.status, twice.stderr], [2, 'dtkit: error: standard input (-) can be read only once\n']);
  const board = fs.readFileSync(path.join(fixturesDir, 'adsp-devmem-18.dts'));
  const check = dtkit(['devmem', 'check', '-I', fixturesDir, '--node', 'remoteproc_adsp', '-'], { cwd: dir, input: board });
  assert.equal(check.status, 0, check.stdout);
  assert.match(check.stdout, /^<stdin>: 1 PAS remote processor\n/);
  const overlay = dtkit(['overlay', '--from', '-', 'base.dtb'], { cwd: dir, input: fs.readFileSync(path.join(dir, 'ov.dtbo')) });
  assert.equal(overlay.status, 1);
  assert.match(overlay.stderr, /^<stdin>: error: /m);
});

test('a swapped base and overlay is warned about by apply, validate --overlay, devmem --overlay and overlay --from', () => {
  const dir = workdir();
  const swapped = /the base looks like an overlay \(it has __fixups__\): are the base and the overlay swapped\? \[input_swapped\]/;
  const notOverlay = /base\.dtb: warning: given as an overlay, but it is a base tree \(no \/plugin\/, no fragments, no fixups\): are the base and the overlay swapped\? \[input_swapped\]/;
  const apply = dtkit(['apply', 'ov.dtbo', 'base.dtb', '-o', 'x.dtb'], { cwd: dir });
  assert.match(apply.stderr, swapped);
  assert.match(apply.stderr, notOverlay);
  const validate = dtkit(['validate', '--no-cache', 'ov.dtbo', '--overlay', 'base.dtb'], { cwd: dir });
  assert.match(validate.stdout, swapped);
  assert.match(validate.stdout, notOverlay);
  const devmem = dtkit(['devmem', 'check', 'ov.dtbo', '--overlay', 'base.dtb'], { cwd: dir });
  assert.match(devmem.stdout, swapped);
  const from = dtkit(['overlay', '--from', 'base.dtb', 'ov.dtbo'], { cwd: dir });
  assert.match(from.stderr, notOverlay);
  assert.match(from.stderr, swapped);
});

test('validate BASE --overlay X --host kvm: the composite is checked, findings at lines of both files', () => {
  const dir = workdir();
  fs.writeFileSync(path.join(dir, 'board.dts'), '/dts-v1/;\n#include "lemans-pas.dtsi"\n\n&remoteproc_adsp {\n\tstatus = "okay";\n};\n\n&remoteproc_cdsp0 {\n\tstatus = "okay";\n};\n');
  fs.writeFileSync(path.join(dir, 'kvm.dtso'), '/dts-v1/;\n/plugin/;\n#include <dt-bindings/iommu/qcom,devmem.h>\n\n&remoteproc_adsp {\n\tiommus = <&apps_smmu 0x3000 0x0>;\n};\n\n&remoteproc_cdsp1 {\n\tqcom,devmem = <0x110000 0x110000 0x1000 QCOM_DEVMEM_READ>;\n};\n');
  const r = dtkit(['validate', '--no-cache', '--format', 'json', '-I', fixturesDir, '--host', 'kvm', 'board.dts', '--overlay', 'kvm.dtso'], { cwd: dir });
  assert.equal(r.status, 1);
  const qcom = (JSON.parse(r.stdout) as { diagnostics: Array<{ rule: string; file: string; line: number; column: number; node: string }> }).diagnostics
    .filter((f) => f.rule.startsWith('qcom_')).map((f) => [f.rule, path.basename(f.file), f.line, f.column, f.node]);
  assert.deepEqual(qcom, [
    ['qcom_pas_host', 'lemans-pas.dtsi', 75, 13, '/soc@0/remoteproc@26300000'],
    ['qcom_devmem_ignored', 'kvm.dtso', 10, 2, '/soc@0/remoteproc@2a300000'],
  ]);
});

test('batch compile reads through the same input stage: blobs by content, -i, -W, message style', () => {
  const dir = workdir();
  fs.writeFileSync(path.join(dir, 'warn.dts'), '/dts-v1/;\n/ {\n\tnode@100 { x = <1>; };\n};\n');
  const r = dtkit(['compile', '--out-dir', 'out', '-i', 'parts', '-O', 'dts', 'board.dts', 'base.dtb', 'warn.dts'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^warn\.dts:3:2: warning: \/node@100: node has a unit name, but no reg or ranges property \[unit_address_vs_reg\]$/m);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'out')).sort(), ['base.dts', 'board.dts', 'warn.dts']);
  assert.equal(fs.readFileSync(path.join(dir, 'out', 'base.dts'), 'latin1'), dtkit(['decompile', 'base.dtb'], { cwd: dir }).stdout);
  const quiet = dtkit(['compile', '--out-dir', 'out2', '-W', 'no-unit_address_vs_reg', 'warn.dts'], { cwd: dir });
  assert.deepEqual([quiet.status, quiet.stderr], [0, '']);
  const missing = dtkit(['compile', '--out-dir', 'out3', 'warn.dts', 'nope.dts'], { cwd: dir });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^dtkit: error: cannot read 'nope\.dts': no such file \[io\]\n2 inputs, 1 error, 1 warning\ndtkit: error: 1 of 2 inputs failed\n$/m);
});
